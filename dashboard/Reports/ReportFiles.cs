using BudgetPerf.Warehouse.Engines;

namespace BudgetPerf.Dashboard.Reports;

/// <summary>
/// The single entry point for report files, used by <c>budgetperf report</c> and meant for the dashboard's
/// 生成报告 / 反馈书 / 纠偏表 buttons: a request (project or department, year, period, kind) in, the file's bytes, name
/// and content type out — or null when the project or department is not in the warehouse or not in the request's scope.
/// A request whose <see cref="ReportRequest.Problem"/> is not null throws <see cref="ArgumentException"/>: check it first
/// (the command line exits 2; an endpoint would answer 400).
/// </summary>
public static class ReportFiles
{
    public static async Task<ReportFile?> BuildAsync(WarehouseEngine engine, ReportRequest request, CancellationToken ct = default)
    {
        if (request.Problem is { } problem) throw new ArgumentException(problem, nameof(request));
        var (project, department) = (request.Project?.Trim(), request.Department?.Trim());
        return (request.Kind, project is { Length: > 0 }) switch
        {
            (ReportKind.Monitoring, true) => await MonitoringAsync(engine, project!, request, ct),
            (ReportKind.Monitoring, false) => await DepartmentMonitoringAsync(engine, department!, request, ct),
            (ReportKind.Feedback, true) => Feedback(await FeedbackData.ForProjectAsync(engine, request.Scope, project!, request.Year, ct), "绩效评价结果反馈书"),
            (ReportKind.Feedback, false) => Feedback(await FeedbackData.ForDepartmentAsync(engine, request.Scope, department!, request.Year, ct), "部门整体绩效评价结果反馈书"),
            (ReportKind.Correction, true) => await FormAsync(engine, project!, request, "附件2_项目支出绩效监控纠偏表", CorrectionForms.WriteCorrection, ct),
            (ReportKind.Adjustment, true) => await FormAsync(engine, project!, request, "附件3_项目支出绩效目标调整表", CorrectionForms.WriteAdjustment, ct),
            _ => throw new ArgumentException(request.Problem ?? $"{request.Kind} 按项目生成", nameof(request)),
        };
    }

    private static async Task<ReportFile?> MonitoringAsync(WarehouseEngine engine, string project, ReportRequest request, CancellationToken ct)
    {
        var data = await MonitoringReportData.LoadAsync(engine, request.Scope, project, request.Year, request.Period, ct);
        return data is null ? null : Docx($"{project}_{request.Year}年{request.Period}_绩效监控报告.docx", s => MonitoringReport.Write(data, s));
    }

    private static async Task<ReportFile?> DepartmentMonitoringAsync(WarehouseEngine engine, string department, ReportRequest request,
        CancellationToken ct)
    {
        var data = await DepartmentReportData.LoadAsync(engine, request.Scope, department, request.Year, request.Period, ct);
        return data is null ? null : Docx($"{department}_{request.Year}年{request.Period}_部门绩效监控报告.docx", s => DepartmentReport.Write(data, s));
    }

    private static async Task<ReportFile?> FormAsync(WarehouseEngine engine, string project, ReportRequest request, string title,
        Action<MonitoringReportData, Stream> write, CancellationToken ct)
    {
        var data = await MonitoringReportData.LoadAsync(engine, request.Scope, project, request.Year, request.Period, ct);
        if (data is null) return null;
        using var stream = new MemoryStream();
        write(data, stream);
        return new ReportFile(stream.ToArray(), $"{project}_{request.Year}年{request.Period}_{title}.xlsx", ReportFile.Xlsx);
    }

    private static ReportFile? Feedback(FeedbackData? data, string title) =>
        data is null ? null : Docx($"{data.Code}_{data.Year}年度_{title}.docx", s => FeedbackReport.Write(data, s));

    private static ReportFile Docx(string name, Action<Stream> write)
    {
        using var stream = new MemoryStream();
        write(stream);
        return new ReportFile(stream.ToArray(), name, ReportFile.Docx);
    }
}
