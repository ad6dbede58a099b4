using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Security;
using Dapper;

namespace BudgetPerf.Warehouse.Annotations;

/// <summary>
/// 财政批注 of consequence flags (<c>flag_annotation</c>, append-only): each annotation adds a row and an <c>audit_log</c>
/// row ('annotate') in one transaction; the latest row of a flag is its current annotation (<c>flag_annotation_current</c>).
/// Reads are scoped by the project's department (dim_project). Who may annotate is the dashboard's gate, not the store's.
/// </summary>
public sealed class FlagAnnotationStore(WarehouseEngine engine)
{
    public const int NoteMaxLength = 500;
    private const string AuditAction = "annotate";

    /// <summary>The error in a decision and note, or null when they may be stored.</summary>
    public static string? Validate(string? decision, string? note) =>
        !FlagDecision.IsValid(decision) ? $"批注结论须为 {string.Join(" / ", FlagDecision.All)}（收到“{decision}”）"
        : note?.Trim().Length > NoteMaxLength ? $"批注说明不能超过 {NoteMaxLength} 字"
        : null;

    /// <summary>Appends the annotation (the flag's current one from now on) with its audit row; returns the row written.</summary>
    public async Task<FlagAnnotation> AddAsync(int year, string project, string flag, string decision, string? note, string annotatedBy,
        CancellationToken ct = default)
    {
        if (Validate(decision, note) is { } error) throw new ArgumentException(error);
        var now = DateTime.Now;
        var row = new FlagAnnotation
        {
            FiscalYear = year, ProjectCode = project, Flag = flag, Decision = decision,
            Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(), AnnotatedBy = annotatedBy,
            AnnotatedAt = new DateTime(now.Ticks - now.Ticks % 10, now.Kind),   // microseconds: what both engines keep
        };
        await using var connection = await engine.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        row.AnnotationId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(engine.Sql("""
            INSERT INTO flag_annotation (fiscal_year, project_code, flag, decision, note, annotated_by, annotated_at)
            VALUES (@FiscalYear, @ProjectCode, @Flag, @Decision, @Note, @AnnotatedBy, @AnnotatedAt)
            RETURNING annotation_id
            """), new { row.FiscalYear, row.ProjectCode, row.Flag, row.Decision, row.Note, row.AnnotatedBy, row.AnnotatedAt }, tx,
            cancellationToken: ct));
        await AuditLog.AppendAsync(engine, connection, tx, annotatedBy, AuditAction, Describe(year, project, flag) + $"：{decision}{(row.Note is null ? "" : "；" + row.Note)}",
            "ok", ct);
        await Caching.WarehouseVersion.BumpAsync(engine, connection, tx, AuditAction, ct); // the cuts export carries it at once
        await tx.CommitAsync(ct);
        Caching.WarehouseVersion.Committed(engine);
        return row;
    }

    /// <summary>Records a refused annotation (no right, or a flag out of scope) in the audit log.</summary>
    public async Task RefuseAsync(string actor, int year, string project, string flag, string reason, CancellationToken ct = default)
    {
        await using var connection = await engine.OpenAsync(ct);
        await AuditLog.AppendAsync(engine, connection, null, actor, AuditAction, $"{Describe(year, project, flag)}（{reason}）", "refused", ct);
    }

    /// <summary>The current annotation of every flag of the year whose project is in scope.</summary>
    public async Task<IReadOnlyList<FlagAnnotation>> CurrentAsync(DataScope scope, int year, CancellationToken ct = default)
    {
        var p = DataScope.Parameters(new { year });
        var inScope = scope.Condition("p.department_code", p);
        return await ListAsync($"""
            SELECT a.* FROM flag_annotation_current a
            LEFT JOIN dim_project p ON p.project_code = a.project_code
            WHERE a.fiscal_year = @year AND {inScope}
            ORDER BY a.project_code, a.flag
            """, p, ct);
    }

    /// <summary>Every annotation of the project (history included), newest first within each year and flag; none out of scope.</summary>
    public async Task<IReadOnlyList<FlagAnnotation>> ForProjectAsync(DataScope scope, string project, CancellationToken ct = default)
    {
        var p = DataScope.Parameters(new { project });
        var inScope = scope.Condition("(SELECT sp.department_code FROM dim_project sp WHERE sp.project_code = @project)", p);
        return await ListAsync($"""
            SELECT a.* FROM flag_annotation a
            WHERE a.project_code = @project AND {inScope}
            ORDER BY a.fiscal_year DESC, a.flag, a.annotated_at DESC, a.annotation_id DESC
            """, p, ct);
    }

    private static string Describe(int year, string project, string flag) => $"{year} {project} {flag}";

    /// <summary>Rows of a scoped query; none while dim_project (the scope's source) has not been built.</summary>
    private async Task<IReadOnlyList<FlagAnnotation>> ListAsync(string sql, DynamicParameters p, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        if (await engine.RelationTypeAsync(connection, "dim_project", ct) is null) return [];
        return (await connection.QueryAsync<FlagAnnotation>(new CommandDefinition(engine.Sql(sql), p, cancellationToken: ct))).AsList();
    }
}
