using System.Security.Cryptography;
using System.Text;
using BudgetPerf.Etl.Reading.Xlsx;
using BudgetPerf.Etl.Submissions;

namespace BudgetPerf.Etl.Reading.Forms;

/// <summary>
/// What a form sheet says once for all its rows: year, period or quarter, and whose it is. A project form with no
/// 项目编码 is matched on (主管部门 / 归口管理部门 / 填报单位, 项目名称) through the project directory, else given a
/// stable derived code; a code and a name in one cell (<c>219-池州市…</c>) are split.
/// </summary>
public sealed class FormIdentity
{
    private readonly FormLayout _layout;
    private readonly string? _year, _period, _quarter, _code, _name, _department, _departmentCode;
    private readonly string? _reason, _original, _adjusted;

    /// <summary>附件3's head beside 调整原因及依据 and the amounts: 调整后预期目标 (产出 / 预期成效 / 目标完成度), 工作任务, 时间安排.</summary>
    public static readonly string[] AdjustmentHead =
        ["调整原因及依据", "原先申请资金", "计划调整后资金", "项目产出", "项目预期成效", "目标完成度", "具体工作任务/工作量", "计划时间安排"];

    private readonly FormHead _head;

    public FormIdentity(FormLayout layout, FormHead head, string? captionPeriod, ProjectLookup? lookup)
    {
        _layout = layout;
        _head = head;
        _year = head.Year;
        _period = head.Get("期间") ?? captionPeriod ?? head.Period ?? "1-6月";
        _quarter = head.Quarter;
        var department = head.Get("主管部门") ?? head.Get("填报单位");
        if (department is not null) (_departmentCode, _department) = FormHead.SplitCode(department);
        _departmentCode = head.Get("主管部门编码") ?? _departmentCode;
        if (layout.Scope == FormScope.Department)
        {
            var name = head.Get("部门名称") ?? department;
            var (code, plain) = name is null ? (null, null) : FormHead.SplitCode(name);
            _name = plain;
            _code = head.Get("部门编码") ?? code ?? (plain is null ? null : Derived("D", plain));
        }
        else
        {
            _name = head.Get("项目名称");
            _code = head.Get("项目编码")
                ?? (_name is null ? null : lookup?.Invoke(_department ?? "", _name) ?? Derived("X", $"{_department}|{_name}"));
        }
        _reason = head.Get("调整原因及依据");
        _original = head.Get("原先申请资金");
        _adjusted = head.Get("计划调整后资金");
    }

    /// <summary>What the head gave that the explanation shows besides the labels read.</summary>
    public IEnumerable<(string Field, string Value)> Found
    {
        get
        {
            if (_year is not null) yield return ("年度", _year);
            if (_layout.Purpose == FormPurpose.Monitoring) yield return ("期间", _period!);
            if (_layout.Purpose == FormPurpose.Correction && _quarter is not null) yield return ("季度", _quarter);
            if (_code is not null) yield return (_layout.Scope == FormScope.Department ? "部门编码" : "项目编码", _code);
        }
    }

    private bool Department => _layout.Scope == FormScope.Department;

    public string[] Prefix(SubmissionKind kind) =>
    [
        "年度",
        .. kind.IndexOf("period") >= 0 ? ["期间"] : Array.Empty<string>(),
        .. kind.IndexOf("quarter") >= 0 ? ["季度"] : Array.Empty<string>(),
        Department ? "部门编码" : "项目编码",
        .. Naming(kind) ? Department ? ["部门名称"] : ["项目名称", "主管部门", "主管部门编码"] : Array.Empty<string>(),
        .. kind == SubmissionKinds.Adjustment ? AdjustmentHead : Array.Empty<string>(),
    ];

    public string?[] PrefixValues(SubmissionKind kind) =>
    [
        _year,
        .. kind.IndexOf("period") >= 0 ? [_period] : Array.Empty<string?>(),
        .. kind.IndexOf("quarter") >= 0 ? [_quarter] : Array.Empty<string?>(),
        _code,
        .. Naming(kind) ? Department ? [_name] : [_name, _department, _departmentCode] : Array.Empty<string?>(),
        .. kind == SubmissionKinds.Adjustment ? [_reason, _original, _adjusted, .. AdjustmentHead[3..].Select(_head.Get)] : Array.Empty<string?>(),
    ];

    private static bool Naming(SubmissionKind kind) => kind.IndexOf("fund_line") >= 0;

    /// <summary>A stable code for a project (or department) the warehouse does not know yet: prefix + 10 hex of SHA-256.</summary>
    public static string Derived(string prefix, string key) =>
        prefix + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..10];
}
