using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Dashboard.Reports;

/// <summary>Which file: 绩效监控报告 (Word), 评价结果反馈书 (Word), 附件2 纠偏表 or 附件3 调整表 (xlsx, prefilled).</summary>
public enum ReportKind
{
    Monitoring,
    Feedback,
    Correction,
    Adjustment,
}

/// <summary>
/// One report file to build: of a project or of a department (exactly one of the two), for a year and a monitoring
/// period (the period is not used by the 反馈书, which is about the year-end self-evaluation). <see cref="Scope"/> is
/// the caller's: a project or department outside it is answered like an unknown one (no file).
/// </summary>
public sealed record ReportRequest(string? Project, string? Department, int Year, string Period, ReportKind Kind)
{
    /// <summary>The departments the caller may see; the command line uses <see cref="DataScope.All"/>.</summary>
    public DataScope Scope { get; init; } = DataScope.All;

    public static ReportRequest ForProject(string project, int year, string period, ReportKind kind) =>
        new(project, null, year, period, kind);

    public static ReportRequest ForDepartment(string department, int year, string period, ReportKind kind) =>
        new(null, department, year, period, kind);

    /// <summary>The project or department code the request is about.</summary>
    public string Subject => Project ?? Department ?? "";

    /// <summary>Null when the request is well-formed, else what is wrong (in Chinese).</summary>
    public string? Problem
    {
        get
        {
            bool hasProject = !string.IsNullOrWhiteSpace(Project), hasDepartment = !string.IsNullOrWhiteSpace(Department);
            if (hasProject == hasDepartment) return "请给出项目编码或 --department 部门编码，二者必须且只能给出其一";
            if (!hasProject && Kind is ReportKind.Correction or ReportKind.Adjustment) return "纠偏表和调整表按项目生成，请给出项目编码";
            return null;
        }
    }
}

/// <summary>A built report: the bytes, the file name to offer and its content type.</summary>
public sealed record ReportFile(byte[] Content, string FileName, string ContentType)
{
    public const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
}
