using System.Data.Common;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using BudgetPerf.Warehouse.Engines;
using Dapper;

namespace BudgetPerf.Warehouse.Models;

/// <summary>
/// The <c>bi</c> schema (BI 视图, issue 18): stable views over the marts and dimensions for Power BI, Excel and FineBI,
/// with a Chinese comment on every view and column. Rebuilt after every model build from <c>sql/bi/</c>: the scripts
/// in name order (<c>name.{engine}.sql</c> only on that engine), then <c>comments.csv</c>. <c>{{ ref('x') }}</c> names a
/// model schema-qualified (an unqualified name inside schema bi would find the bi view of the same name first). On PostgreSQL every view is
/// a security_barrier view keeping only the rows of the departments <c>bi_access</c> grants to current_user.
/// </summary>
public sealed partial class BiLayer(WarehouseEngine engine)
{
    public const string Node = "bi";

    [GeneratedRegex(@"\{\{\s*(barrier|registered|visible|light|ref)(?:\(\s*'([a-z_.]+)'\s*\))?\s*\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"CREATE VIEW bi\.([a-z_]+)")]
    private static partial Regex ViewName();

    public static string Dir(string sqlRoot) => Path.Combine(sqlRoot, "bi");

    /// <summary>The scripts for this engine, in the order they run.</summary>
    public IReadOnlyList<string> Scripts(string sqlRoot)
    {
        var dir = Dir(sqlRoot);
        if (!Directory.Exists(dir)) return [];
        return Directory.EnumerateFiles(dir, "*.sql").Order(StringComparer.Ordinal)
            .Where(f => Path.GetFileName(f).Split('.') is var parts && (parts.Length == 2 || parts[1] == engine.Name))
            .ToArray();
    }

    /// <summary>The view names the scripts create (bi.&lt;name&gt;), in order.</summary>
    public IReadOnlyList<string> Views(string sqlRoot) =>
        Scripts(sqlRoot).SelectMany(f => ViewName().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).ToArray();

    /// <summary>The script with its placeholders filled for this engine.</summary>
    public string Render(string script) => Placeholder().Replace(script, m =>
    {
        var postgres = engine.Name == "postgres";
        var column = m.Groups[2].Value;
        // inside the bi_access subquery an unqualified department_code would be bi_access's own: every row visible
        if (m.Groups[1].Value == "visible" && !column.Contains('.'))
            throw new InvalidDataException($"{{{{ visible('{column}') }}}} must name the column with its table alias (x.{column})");
        return m.Groups[1].Value switch
        {
            "ref" => $"{engine.DefaultSchema}.{column}",
            "barrier" => postgres ? "WITH (security_barrier)" : "",
            "registered" => postgres ? "exists (select 1 from public.bi_access a where a.role_name = current_user)" : "true",
            "visible" => postgres
                ? $"exists (select 1 from public.bi_access a where a.role_name = current_user and (a.department_code is null or a.department_code = {column}))"
                : "true",
            _ => $"case {column} when 'red' then '红灯' when 'yellow' then '黄灯' when 'green' then '绿灯' when 'blue' then '蓝灯' when 'grey' then '未填报' else {column} end",
        };
    });

    /// <summary>COMMENT ON statements from <c>comments.csv</c> (view,column,comment; a blank column is the view's).</summary>
    public static string CommentsSql(string sqlRoot)
    {
        var file = Path.Combine(Dir(sqlRoot), "comments.csv");
        var sql = new StringBuilder();
        foreach (var line in File.ReadLines(file, Encoding.UTF8).Skip(1).Where(l => l.Trim().Length > 0))
        {
            var parts = line.Split(',', 3);
            if (parts.Length != 3) throw new InvalidDataException($"{file}: '{line}' is not view,column,comment");
            var text = parts[2].Trim().Replace("'", "''");
            sql.AppendLine(parts[1].Trim().Length == 0
                ? $"COMMENT ON VIEW bi.{parts[0].Trim()} IS '{text}';"
                : $"COMMENT ON COLUMN bi.{parts[0].Trim()}.{parts[1].Trim()} IS '{text}';");
        }
        return sql.ToString();
    }

    /// <summary>
    /// Drops and recreates the bi schema in one transaction (a failure leaves the previous one): its own, or the
    /// build's when given (the runner builds every model and the bi views in one transaction; a failure here is the
    /// caller's to roll back).
    /// </summary>
    public async Task<NodeResult> BuildAsync(DbConnection connection, string sqlRoot, DbTransaction? buildTransaction = null)
    {
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var rendered = "";
        var own = buildTransaction is null ? await connection.BeginTransactionAsync() : null;
        try
        {
            var scripts = Scripts(sqlRoot).Select(f => Render(File.ReadAllText(f))).Append(CommentsSql(sqlRoot)).ToArray();
            rendered = string.Join("\n", scripts);
            foreach (var script in scripts)
                await connection.ExecuteAsync(script, transaction: own ?? buildTransaction, commandTimeout: 0);
            if (own is not null) await own.CommitAsync();
            return new NodeResult(Node, "model", "success", Views(sqlRoot).Count, DataTestRunner.Seconds(clock),
                ModelNode.Sha256(rendered), null, started);
        }
        catch (Exception ex) when (ex is DbException or InvalidDataException)
        {
            if (own is not null) await own.RollbackAsync();
            return new NodeResult(Node, "model", "error", null, DataTestRunner.Seconds(clock), ModelNode.Sha256(rendered),
                $"sql/bi: {ex.Message}", started);
        }
        finally
        {
            if (own is not null) await own.DisposeAsync();
        }
    }
}
