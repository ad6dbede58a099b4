using System.Globalization;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Security;
using Dapper;

namespace BudgetPerf.Warehouse.Policy;

/// <summary>One policy option in force (model policy_current): the value, the shipped default, who changed it.</summary>
public sealed class PolicySetting
{
    public string Setting { get; set; } = "";
    public string Value { get; set; } = "";
    public string? Description { get; set; }
    public string DefaultValue { get; set; } = "";
    public string? ChangedBy { get; set; }
    public DateTime? ChangedAt { get; set; }
}

/// <summary>
/// 政策参数: the policy_setting seed's options as in force, and a 管理员's changes to them, appended to policy_override
/// (migration 0018) and audited. A change takes effect in the marts at the next model build.
/// </summary>
public sealed class PolicyStore(WarehouseEngine engine)
{
    /// <summary>The options whose values are words, with the words allowed; every other option is a number.</summary>
    private static readonly Dictionary<string, string[]> Words = new()
    {
        ["schedule_basis"] = ["month", "day"], ["at_most_double_rule"] = ["zero", "ratio"],
    };

    /// <summary>The roles that may export grids (导出), by their Chinese names separated by ; or 、 (issue 18).</summary>
    public const string ExportRoles = "export_roles";
    /// <summary>The options whose values are lists of words separated by 、 (交叉重复 不比较的常年运转事项).</summary>
    private static readonly HashSet<string> Lists = ["overlap_recurring_items"];

    /// <summary>The roles a list such as <c>领导;财政;分析</c> names (separated by ; 、 , or spaces); unknown names dropped.</summary>
    public static IReadOnlyList<Role> RoleList(string value) =>
        RoleNames(value).Select(Roles.TryParse).OfType<Role>().Distinct().ToArray();

    private static string[] RoleNames(string value) =>
        value.Split([';', '；', '、', ',', '，', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// The options in force (empty until the models are built). From the result cache when a dashboard attached one (issue 15:
    /// every export asks for export_roles, and a read of the catalogue and of policy_current per request was a DuckDB query
    /// pair of each of a burst's downloads): policy_current changes only in a build or with a <see cref="SetAsync"/>, both of
    /// which raise the warehouse version.
    /// </summary>
    public async Task<IReadOnlyList<PolicySetting>> ListAsync(CancellationToken ct = default)
    {
        if (Caching.ResultCaches.Of(engine) is not { } cache) return await ReadAsync(ct);
        var found = await cache.GetOrAddAsync("policy_current", ReadAsync, Caching.CachedRows.SizeOf, ct);
        return Caching.CachedRows.Copy(found.Value);
    }

    private async Task<IReadOnlyList<PolicySetting>> ReadAsync(CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        if (await engine.RelationTypeAsync(connection, "policy_current", ct) is null) return [];
        return (await connection.QueryAsync<PolicySetting>(new CommandDefinition(
            "SELECT * FROM policy_current ORDER BY setting", cancellationToken: ct))).AsList();
    }

    /// <summary>Why <paramref name="value"/> cannot be <paramref name="setting"/>'s value, or null when it can.</summary>
    public async Task<string?> ProblemAsync(string setting, string value, CancellationToken ct = default)
    {
        var current = (await ListAsync(ct)).FirstOrDefault(s => s.Setting == setting);
        var text = value.Trim();
        if (current is null) return $"没有名为 {setting} 的政策参数";
        if (text.Length == 0) return "取值不能为空";
        if (Words.TryGetValue(setting, out var words))
            return words.Contains(text) ? null : $"{setting} 只能取 {string.Join(" / ", words)}";
        if (setting == ExportRoles)
            return RoleNames(text).FirstOrDefault(n => Roles.TryParse(n) is null) is { } unknown
                ? $"没有角色“{unknown}”（可选：{string.Join("、", Roles.AllNames)}，以 ; 分隔）"
                : null;
        if (Lists.Contains(setting))
            return text.Split('、').Any(item => item.Trim().Length == 0) ? "各项用 、 分隔，不能有空项" : null;
        if (setting == "default_period")
            return await PeriodExistsAsync(text, ct) ? null : $"没有监控期间“{text}”（如 1-6月）";
        return decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out _) ? null : $"{setting} 应为数字，“{text}” 不是";
    }

    /// <summary>Records the new value (after <see cref="ProblemAsync"/> said it is valid) and audits the change.</summary>
    public async Task SetAsync(string setting, string value, string actor, string? reason, CancellationToken ct = default)
    {
        if (await ProblemAsync(setting, value, ct) is { } problem) throw new ArgumentException(problem, nameof(value));
        var before = (await ListAsync(ct)).Single(s => s.Setting == setting).Value;
        await using var connection = await engine.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(engine.Sql("""
            INSERT INTO policy_override (setting, value, changed_by, changed_at, reason) VALUES (@setting, @value, @actor, @at, @reason)
            """), new { setting, value = value.Trim(), actor, at = DateTime.Now, reason }, tx, cancellationToken: ct));
        await AuditLog.AppendAsync(engine, connection, tx, actor, "policy.set",
            $"{setting}: {before} → {value.Trim()}" + (reason is { Length: > 0 } ? $"（{reason}）" : ""), "ok", ct);
        await Caching.WarehouseVersion.BumpAsync(engine, connection, tx, "policy.set", ct); // pages read policy_current at once
        await tx.CommitAsync(ct);
        Caching.WarehouseVersion.Committed(engine);
    }

    private async Task<bool> PeriodExistsAsync(string period, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            engine.Sql("SELECT CAST(COUNT(*) AS BIGINT) FROM period WHERE period = @period"), new { period }, cancellationToken: ct)) > 0;
    }
}
