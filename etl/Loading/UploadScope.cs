using BudgetPerf.Etl.Reading;
using BudgetPerf.Etl.Submissions;
using BudgetPerf.Etl.Validation;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Security;
using Dapper;

namespace BudgetPerf.Etl.Loading;

/// <summary>
/// The department scope of an upload (权责统一, issue 6): a 部门 user submits only for their own departments. Every
/// row whose department is outside the submitter's scope is an error naming its cell, so nothing of the file loads.
/// A row's department is its 部门编码 / 主管部门编码 when it carries one, and for a project the department the
/// warehouse already knows for it (the project master first, then the latest fund submission naming one, as
/// <c>dim_project</c> does). A project unknown to the warehouse is accepted only when its row (or an earlier row of
/// the same file) names an in-scope department. Only the scoped path pays for this: one query per 1,000 rows for the projects
/// they name, then a dictionary lookup per row; <see cref="DataScope.All"/> leaves the parts untouched.
/// </summary>
internal static class UploadScope
{
    /// <summary>The parts, each checked against <paramref name="scope"/> while its rows are read.</summary>
    public static async Task<List<(ISubmissionSource Source, SubmissionKind? Kind)>> ApplyAsync(WarehouseEngine engine,
        DataScope scope, List<(ISubmissionSource Source, SubmissionKind? Kind)> parts, List<LoadIssue> issues, CancellationToken ct,
        Action<string>? asked = null)
    {
        if (scope.IsAll || parts.Count == 0) return parts;
        scope = await scope.ResolveAsync(engine, ct);
        var check = new Check(scope, new Owners(engine, asked), issues);
        return parts.Select(p => (p.Kind is null ? p.Source : new ScopedSource(p.Source, p.Kind, check), p.Kind)).ToList();
    }

    /// <summary>
    /// project_code → department_code of the projects a file names, as the warehouse knows them: asked for a chunk of the
    /// file's rows at a time (issue 15: the whole raw tables were ranked for every 部门 upload, seconds at province scale
    /// for a file of 20 rows), on a connection of its own (the load's connection may be appending meanwhile).
    /// </summary>
    private sealed class Owners(WarehouseEngine engine, Action<string>? asked)
    {
        private readonly Dictionary<string, string?> _known = new(StringComparer.Ordinal);

        public bool TryGet(string project, out string owner)
        {
            owner = _known.GetValueOrDefault(project) ?? "";
            return owner.Length > 0;
        }

        /// <summary>Looks up the codes not asked before, in one parameterised query.</summary>
        public void Fetch(IEnumerable<string> projects)
        {
            var named = projects.ToList();
            if (asked is not null) named.ForEach(asked);   // a worker pass: whether an earlier file of the pass names them
            var ask = named.Where(p => !_known.ContainsKey(p)).Distinct(StringComparer.Ordinal).ToList();
            if (ask.Count == 0) return;
            foreach (var p in ask) _known[p] = null;
            var args = new DynamicParameters();
            for (var i = 0; i < ask.Count; i++) args.Add("p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), ask[i]);
            var list = string.Join(", ", ask.Select((_, i) => "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            using var connection = engine.OpenAsync().GetAwaiter().GetResult();
            foreach (var (project, department) in connection.Query<(string Project, string Department)>(engine.Sql($"""
                SELECT project_code, department_code FROM (
                    SELECT trim(s.project_code) AS project_code, trim(s.department_code) AS department_code,
                           row_number() OVER (PARTITION BY trim(s.project_code)
                                              ORDER BY s.source_rank, s.batch_id DESC, s.source_row DESC) AS pick
                    FROM (
                        SELECT project_code, department_code, 0 AS source_rank, batch_id, source_row FROM raw_project
                        WHERE trim(project_code) IN ({list})
                        UNION ALL
                        SELECT project_code, department_code, 1, batch_id, source_row FROM raw_monitoring_fund
                        WHERE trim(project_code) IN ({list}) AND nullif(trim(department_code), '') IS NOT NULL
                        UNION ALL
                        SELECT project_code, department_code, 1, batch_id, source_row FROM raw_selfeval_fund
                        WHERE trim(project_code) IN ({list}) AND nullif(trim(department_code), '') IS NOT NULL
                    ) s
                    INNER JOIN etl_batch b ON b.batch_id = s.batch_id AND b.status = 'loaded'
                ) ranked
                WHERE pick = 1
                """), args))
                _known[project] = department;
        }
    }

    /// <summary>The per-row decision, shared by the parts of one file (a project declared in one part counts in the next).</summary>
    private sealed class Check(DataScope scope, Owners known, List<LoadIssue> issues)
    {
        private readonly Dictionary<string, string> _declared = new(StringComparer.Ordinal);
        private readonly string _scopeText = scope.Region is not null ? "区划 " + scope.Region
            : scope.Departments.Count == 0 ? "无" : string.Join("、", scope.Departments);
        private bool _reported;

        public Owners Known => known;

        public void Row(ISubmissionSource source, int row, string? projectHeader, string? project, string? departmentHeader,
            string? department)
        {
            if (project is null)
            {
                // a 部门整体 form: its department is the row's own
                if (department is not null && !scope.Includes(department))
                    Refuse(source, row, departmentHeader, department, $"部门 {department} 不在您的上报范围（{_scopeText}）内");
                return;
            }
            if (known.TryGet(project, out var owner) || _declared.TryGetValue(project, out owner))
            {
                if (!scope.Includes(owner))
                    Refuse(source, row, projectHeader, project, $"项目 {project} 属于部门 {owner}，不在您的上报范围（{_scopeText}）内");
                else if (department is not null && !scope.Includes(department))
                    Refuse(source, row, departmentHeader, department,
                        $"项目 {project} 的主管部门编码填为 {department}，不在您的上报范围（{_scopeText}）内");
                return;
            }
            if (department is null)
                Refuse(source, row, projectHeader, project,
                    $"项目 {project} 尚未在数仓登记，此行也未填主管部门编码，无法确认它属于您的部门（{_scopeText}）：" +
                    "请先上报该项目的项目信息或资金表（含主管部门编码）");
            else if (!scope.Includes(department))
                Refuse(source, row, departmentHeader, department, $"项目 {project} 的主管部门 {department} 不在您的上报范围（{_scopeText}）内");
            else
                _declared[project] = department;
        }

        /// <summary>An error, kept within <see cref="SubmissionLoader.IssueCap"/> except the first (which fails the file).</summary>
        private void Refuse(ISubmissionSource source, int row, string? column, string value, string message)
        {
            if (_reported && issues.Count >= SubmissionLoader.IssueCap) return;
            issues.Add(new LoadIssue(source.FileName, source.Sheet, row, column, value, Severity.Error, message));
            _reported = true;
        }
    }

    /// <summary>A part whose rows pass through <see cref="Check"/> as they are read; the rows themselves are unchanged.</summary>
    private sealed class ScopedSource : ISubmissionSource
    {
        private readonly ISubmissionSource _inner;
        private readonly Check _check;
        private readonly int _project, _department;
        private readonly string? _projectHeader, _departmentHeader;

        public ScopedSource(ISubmissionSource inner, SubmissionKind kind, Check check)
        {
            _inner = inner;
            _check = check;
            (_project, _projectHeader) = Column(inner.Headers, kind, "project_code");
            (_department, _departmentHeader) = Column(inner.Headers, kind, "department_code");
        }

        private static (int Index, string? Header) Column(IReadOnlyList<string> headers, SubmissionKind kind, string column)
        {
            for (var i = 0; i < headers.Count; i++)
                if (kind.FieldFor(headers[i]) is { } field && field.Column == column) return (i, field.Header);
            return (-1, null);
        }

        public string FileName => _inner.FileName;
        public string? Sheet => _inner.Sheet;
        public IReadOnlyList<string> Headers => _inner.Headers;

        /// <summary>Rows per lookup of the projects they name (a one-department file: one lookup).</summary>
        private const int Chunk = 1000;

        public IEnumerable<SourceRow> Rows()
        {
            var chunk = new List<SourceRow>(Chunk);
            foreach (var row in _inner.Rows())
            {
                chunk.Add(row);
                if (chunk.Count < Chunk) continue;
                foreach (var checkedRow in Checked(chunk)) yield return checkedRow;
                chunk.Clear();
            }
            foreach (var checkedRow in Checked(chunk)) yield return checkedRow;
        }

        private List<SourceRow> Checked(List<SourceRow> rows)
        {
            if (_project >= 0) _check.Known.Fetch(rows.Select(r => Cell(r, _project)).OfType<string>());
            foreach (var row in rows)
            {
                var project = Cell(row, _project);
                var department = Cell(row, _department);
                if (_project >= 0 ? project is not null : department is not null)
                    _check.Row(_inner, row.RowNumber, _projectHeader, project, _departmentHeader, department);
            }
            return rows;
        }

        private static string? Cell(SourceRow row, int index) =>
            index < 0 || index >= row.Cells.Length || string.IsNullOrWhiteSpace(row.Cells[index]) ? null : row.Cells[index]!.Trim();

        public void Dispose() { }   // the file disposes the part it wraps
    }
}
