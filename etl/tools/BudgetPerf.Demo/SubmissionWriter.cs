using CsvHelper;

namespace BudgetPerf.Etl.Demo;

/// <summary>The flat submission families (spec/submissions.md) with their Chinese headers, in column order.</summary>
internal static class SubmissionFamilies
{
    public static readonly string[] Project =
        ["项目编码", "项目名称", "主管部门编码", "主管部门", "实施单位", "项目类型", "项目级次", "资金性质", "开始时间", "完成时间", "是否重点项目", "年度总体目标", "区划代码", "省级区划", "市级区划", "县级区划"];

    public static readonly string[] MonitoringFund =
        ["年度", "期间", "项目编码", "项目名称", "主管部门编码", "主管部门", "实施单位", "资金类别", "年初预算数", "调整后预算数", "期间计划执行数", "期间执行数", "全年预计执行数", "结转年数"];

    public static readonly string[] MonitoringIndicator =
        ["年度", "期间", "项目编码", "一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "计量单位", "期间指标值", "期间执行情况", "全年预计完成情况", "偏差原因", "偏差原因说明", "改进措施", "完成目标可能性", "备注"];

    public static readonly string[] SelfEvalFund =
        ["年度", "项目编码", "项目名称", "主管部门编码", "主管部门", "资金类别", "年初预算数", "全年预算数", "全年执行数", "分值", "得分"];

    public static readonly string[] SelfEvalIndicator =
        ["年度", "项目编码", "一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "计量单位", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"];

    public static readonly string[] Correction =
        ["年度", "季度", "项目编码", "一级指标", "二级指标", "三级指标", "完成时指标值", "本季度应完成值", "实际完成", "执行偏差", "存在的主要问题", "改进措施和有关建议"];

    public static readonly string[] Adjustment =
        ["年度", "项目编码", "调整原因及依据", "原先申请资金", "计划调整后资金", "一级指标", "二级指标", "三级指标", "原指标", "调整后指标", "指标标准解释"];

    public static readonly string[] DeptMonitoringFund =
        ["年度", "期间", "部门编码", "部门名称", "资金类别", "年初预算数", "调整后预算数", "期间计划执行数", "期间执行数", "全年预计执行数", "结转年数"];

    public static readonly string[] DeptMonitoringIndicator = ["年度", "期间", "部门编码", .. MonitoringIndicator[3..]];

    public static readonly string[] DeptSelfEvalFund =
        ["年度", "部门编码", "部门名称", "资金类别", "年初预算数", "全年预算数", "全年执行数", "分值", "得分"];

    public static readonly string[] DeptSelfEvalIndicator = ["年度", "部门编码", .. SelfEvalIndicator[2..]];
}

/// <summary>
/// Writes one submission CSV the way Excel saves "CSV UTF-8": BOM, comma, CRLF. Cells are written one by one and
/// the row closed with <see cref="End"/>; nothing is buffered beyond the writer's buffer.
/// </summary>
internal sealed class SubmissionWriter : IDisposable
{
    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with { WriteByteOrderMark = true, BufferSize = 1 << 17 };
    private readonly CsvWriter _csv;

    public SubmissionWriter(string path, string[] headers)
    {
        Path = path;
        _csv = CsvWriter.ToFile(path, Options, FileOptions.SequentialScan);
        _csv.WriteHeader(headers);
    }

    public string Path { get; }
    public long Rows { get; private set; }

    public SubmissionWriter Text(string? value)
    {
        _csv.WriteField(value ?? "");
        return this;
    }

    /// <summary>An amount in 万元 or a score: invariant, up to 4 decimals, blank for null.</summary>
    public SubmissionWriter Amount(decimal? value)
    {
        if (value is { } v) _csv.WriteField(v, "0.####");
        else _csv.WriteField("");
        return this;
    }

    public SubmissionWriter Int(int? value)
    {
        if (value is { } v) _csv.WriteField(v, "");
        else _csv.WriteField("");
        return this;
    }

    public void End()
    {
        _csv.EndRecord();
        Rows++;
    }

    public void Dispose() => _csv.Dispose();
}
