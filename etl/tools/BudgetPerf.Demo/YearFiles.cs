namespace BudgetPerf.Etl.Demo;

/// <summary>The files of one fiscal year, open together so each project is simulated once and written to all.</summary>
internal sealed class YearFiles : IDisposable
{
    /// <summary>The monitoring period the demo reports.</summary>
    public const string Period = "1-6月";

    /// <summary>The quarter of the 纠偏 that follows 1-6月 monitoring.</summary>
    public const string Quarter = "Q2";

    public YearFiles(string directory, int year, bool selfEvaluation)
    {
        Year = year;
        SubmissionWriter Open(string name, string[] headers) => new(Path.Combine(directory, $"{year}_{name}.csv"), headers);
        MonitoringFund = Open($"{Period}_监控资金", SubmissionFamilies.MonitoringFund);
        MonitoringIndicator = Open($"{Period}_监控指标", SubmissionFamilies.MonitoringIndicator);
        Correction = Open("纠偏", SubmissionFamilies.Correction);
        Adjustment = Open("调整", SubmissionFamilies.Adjustment);
        if (selfEvaluation)
        {
            SelfEvalFund = Open("自评资金", SubmissionFamilies.SelfEvalFund);
            SelfEvalIndicator = Open("自评指标", SubmissionFamilies.SelfEvalIndicator);
        }
        DeptMonitoringFund = Open($"{Period}_部门整体监控资金", SubmissionFamilies.DeptMonitoringFund);
        DeptMonitoringIndicator = Open($"{Period}_部门整体监控指标", SubmissionFamilies.DeptMonitoringIndicator);
        if (selfEvaluation)
        {
            DeptSelfEvalFund = Open("部门整体自评资金", SubmissionFamilies.DeptSelfEvalFund);
            DeptSelfEvalIndicator = Open("部门整体自评指标", SubmissionFamilies.DeptSelfEvalIndicator);
        }
    }

    public int Year { get; }
    public SubmissionWriter MonitoringFund { get; }
    public SubmissionWriter MonitoringIndicator { get; }
    public SubmissionWriter Correction { get; }
    public SubmissionWriter Adjustment { get; }
    public SubmissionWriter? SelfEvalFund { get; }
    public SubmissionWriter? SelfEvalIndicator { get; }
    public SubmissionWriter DeptMonitoringFund { get; }
    public SubmissionWriter DeptMonitoringIndicator { get; }
    public SubmissionWriter? DeptSelfEvalFund { get; }
    public SubmissionWriter? DeptSelfEvalIndicator { get; }

    /// <summary>Monitoring, then what follows from it (纠偏, 调整), then year end; project files before department ones.</summary>
    public IEnumerable<SubmissionWriter> InLoadOrder =>
        new[]
        {
            MonitoringFund, MonitoringIndicator, Correction, Adjustment, SelfEvalFund, SelfEvalIndicator,
            DeptMonitoringFund, DeptMonitoringIndicator, DeptSelfEvalFund, DeptSelfEvalIndicator,
        }.OfType<SubmissionWriter>();

    public void Dispose()
    {
        foreach (var w in InLoadOrder) w.Dispose();
    }
}
