namespace BudgetPerf.Etl.Templates;

/// <summary>
/// What goes into a printed form (<see cref="PrintedForms"/>): the head's values by field (项目名称, 主管部门, 填报单位 …),
/// each fund line's values by field (keyed by the line as printed, 资金总额 / 子项目 1 …, or a new line), the indicators,
/// the goal and sheet-level texts (keyed by their label). A value <c>=FORMULA;cached</c> is written as a formula with its
/// cached value.
/// </summary>
public sealed class FormFill
{
    public int Year { get; init; }
    public int Quarter { get; init; } = 2;
    public Dictionary<string, string> Head { get; } = [];
    public Dictionary<string, Dictionary<string, string>> Funds { get; } = [];
    public List<IndicatorFill> Indicators { get; } = [];
    public Dictionary<string, string> Goals { get; } = [];
    public Dictionary<string, string> Texts { get; } = [];
}

/// <summary>One indicator: its levels and its values by field; a check-box field (偏差原因, 完成目标可能性) holds the options ticked, joined by ；.</summary>
public sealed record IndicatorFill(string Level1, string Level2, string Level3, Dictionary<string, string> Values);

/// <summary>
/// How an office prints a form: with the print's merges or none, blank rows between the parts and blank columns on
/// the left, the value columns in another order, captions with or without their line breaks, the empty skeleton rows
/// (a 二级 with no 三级) kept; with <paramref name="DropDowns"/>, the drop-down lists our templates add (一级指标 from the
/// form's own, 完成目标可能性, 是否偏差, a check-box's √).
/// </summary>
public sealed record PrintOptions(bool Merges = true, int BlankRows = 0, int BlankColumns = 0, bool ReorderColumns = false,
    bool LineBreaks = true, bool Skeleton = true, bool DropDowns = true);
