using System.Security.Claims;
using BudgetPerf.Dashboard.Security;
using BudgetPerf.Warehouse.Annotations;
using BudgetPerf.Warehouse.Queries;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Dashboard.Annotations;

public enum AnnotateOutcome
{
    Saved,

    /// <summary>The user is not 财政.</summary>
    Forbidden,

    /// <summary>No such flag of the project and year within the user's scope.</summary>
    NotFound,

    /// <summary>The decision or note cannot be stored.</summary>
    Invalid,
}

/// <summary>What became of an annotation, with the message the page shows.</summary>
public sealed record AnnotateResult(AnnotateOutcome Outcome, string Message, FlagAnnotation? Annotation = null);

/// <summary>
/// The one gate of 批注 (issue 6: 财政 "read all; may annotate flags"): only a 财政 user, only a flag that
/// mart_cut_candidates holds for a project in the user's scope. Refusals are audited like the annotations themselves.
/// </summary>
public sealed class FlagAnnotationService(FlagAnnotationStore store, ProjectDrillQueries drill)
{
    public async Task<AnnotateResult> AnnotateAsync(ClaimsPrincipal user, int year, string project, string flag, string decision, string? note,
        CancellationToken ct = default)
    {
        var actor = CallerClaims.NameOf(user);
        if (user.Identity?.IsAuthenticated != true || !user.Has(Role.Finance))
        {
            await store.RefuseAsync(actor, year, project, flag, "无批注权限", ct);
            return new(AnnotateOutcome.Forbidden, "只有财政用户可以批注。");
        }
        if (FlagAnnotationStore.Validate(decision, note) is { } error) return new(AnnotateOutcome.Invalid, error);
        var flags = await drill.ConsequencesAsync(user.ScopeOf(), project, year, ct);
        if (!flags.Any(f => f.Flag == flag))
        {
            await store.RefuseAsync(actor, year, project, flag, "没有该建议或不在可见范围", ct);
            return new(AnnotateOutcome.NotFound, $"没有找到项目 {project} {year} 年的“{flag}”建议。");
        }
        var saved = await store.AddAsync(year, project, flag, decision, note, actor, ct);
        return new(AnnotateOutcome.Saved, "批注已保存。", saved);
    }
}
