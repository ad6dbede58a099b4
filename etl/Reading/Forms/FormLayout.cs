namespace BudgetPerf.Etl.Reading.Forms;

/// <summary>Whose form: one project's (项目) or a whole department's (部门整体).</summary>
public enum FormScope { Project, Department }

/// <summary>What a form reports, which fixes the submission families its blocks land in.</summary>
public enum FormPurpose
{
    /// <summary>监控情况表 (附件1, 表2-2, 表1-2): 资金 and 指标 blocks.</summary>
    Monitoring,
    /// <summary>纠偏表 (附件2): one 指标 block, quarterly.</summary>
    Correction,
    /// <summary>调整表 (附件3): the head (原因, 资金) and one 指标 block.</summary>
    Adjustment,
    /// <summary>自我评价评分表 (表2-3-2, 表1-3-2) and the national 项目支出绩效自评表.</summary>
    SelfEvaluation,
    /// <summary>绩效目标申报表 (表2-1, 表1-1): declared budget and targets.</summary>
    Declaration,
}

/// <summary>
/// A label cell of a form's head and the field it fills (项目名称, 主管部门 …). <paramref name="Span"/> is the label's
/// printed width in columns, <paramref name="ValueSpan"/> the value's; <paramref name="Inline"/> prints label and value in
/// one cell (<c>项目（政策）名称：X</c>); <paramref name="Below"/> prints the value under the label.
/// </summary>
public sealed record LabelCell(string Field, string Printed, int Span = 1, int ValueSpan = 1, bool Inline = false, bool Below = false);

/// <summary>
/// A column caption of a block: the field it fills (the family's Chinese header, null when the column is derived and
/// not read, such as 执行率), the caption as printed, its printed width, and — for a two-row header — the group
/// caption printed above it (偏差原因分析 over 经费保障 …). A <paramref name="Option"/> caption is a check-box
/// column whose tick means that value of the field (经费保障 for 偏差原因).
/// </summary>
public sealed record Caption(string? Field, string Printed, int Span = 1, string? Group = null, string? Option = null);

/// <summary>
/// The fund block (项目资金（万元）): its left label merged down over the lines, the line names (merged over
/// <paramref name="LineSpan"/> columns), the amount captions. <paramref name="Parts"/> are printed lines that are parts of
/// 资金总额 (子项目, 小计 …): loaded as their own lines, never added to the total.
/// </summary>
public sealed record FundBlock(string Label, int LineSpan, string[] Lines, Caption[] Columns);

/// <summary>
/// The indicator block: an optional side label merged down the left (绩效指标), the level captions (一级指标 … or
/// 一级目标 …, under a group such as 指标名称), the value columns, and the printed skeleton (一级 → its 二级, each with
/// <paramref name="RowsPerLevel2"/> pre-printed rows) and the common indicators the form pre-prints with their targets
/// (<paramref name="Common"/>: 立项依据充分性 充分 …, the 半年 and 全年 values as 表2-1 / 表1-1 print them; a form prints
/// the ones its columns hold). Left unfilled they load as 未填报, never dropped.
/// </summary>
public sealed record IndicatorBlock(string? SideLabel, string? LevelGroup, string[] Levels, Caption[] Columns,
    (string Level1, string[] Level2)[] Skeleton, int RowsPerLevel2 = 2, CommonIndicator[]? Common = null);

/// <summary>A common indicator pre-printed in a form with its 半年 / 全年 指标值 (常纺院 表2-1, 表2-2, 表1-1, 表1-2).</summary>
public sealed record CommonIndicator(string Level1, string Level2, string Level3, string? Half, string? Year);

/// <summary>
/// A printed form as its 办法 prints it (the seed file's section rebuilt as a grid): title, the year/period line,
/// the head's label rows, the fund block, the goal rows, the indicator block, the sheet-level text rows under the grid
/// and the footer. The reader (<see cref="LayoutEngine"/>) recognises the form by <paramref name="TitleWords"/> and finds
/// every part by its captions (with <see cref="FormVocabulary"/>'s synonyms), never by address; the writer
/// (<c>PrintedForms</c>) prints the same description, so templates and the test corpus are the printed page.
/// </summary>
/// <param name="Id">The form's number in its 办法 (附件1, 表2-2 …).</param>
/// <param name="Source">The document and section the layout was rebuilt from.</param>
/// <param name="PeriodLine">The year/period line, <c>{0}</c> the year (<c>（{0}年度）</c>, <c>（{0}年 2季度）</c>).</param>
public sealed record FormLayout(
    string Id,
    string Title,
    string[] TitleWords,
    FormScope Scope,
    FormPurpose Purpose,
    string Source,
    string PeriodLine,
    LabelCell[][] Head,
    FundBlock? Funds,
    string[] Goals,
    IndicatorBlock Indicators,
    string[] SheetTexts,
    string[] Footer)
{
    /// <summary>Printed width in columns: the widest of the blocks.</summary>
    public int Width => Math.Max(
        Indicators.Columns.Sum(c => c.Span) + Indicators.Levels.Length + (Indicators.SideLabel is null ? 0 : 1),
        Funds is null ? 0 : 1 + Funds.LineSpan + Funds.Columns.Sum(c => c.Span));
}
