using System.Text.RegularExpressions;
using BudgetPerf.Etl.Reading;
using BudgetPerf.Etl.Reading.Xlsx;
using BudgetPerf.Etl.Validation;
using BudgetPerf.Warehouse.Regulations;
using CsvHelper;

namespace BudgetPerf.Etl.Regulations;

/// <summary>A regulation table's rows, or its problems (each naming file, sheet, row, column and reason); never both.</summary>
public sealed record RegulationTable(IReadOnlyList<RegulationArticle> Rows, IReadOnlyList<LoadIssue> Problems);

/// <summary>
/// 法规条款表 (CSV or the first sheet of an xlsx): a header row with 办法 (document, the full title), 条 (article:
/// 第四条, or 4), 款 (clause: （四）, 四 or blank) and 原文 (text: the phrase that carries the rule), in any order and
/// under their English names too. Any problem rejects the whole table.
/// </summary>
public static partial class RegulationTableReader
{
    private static readonly Dictionary<string, string[]> Columns = new()
    {
        ["document"] = ["办法", "文件", "办法全称", "document"], ["article"] = ["条", "条款", "article"],
        ["clause"] = ["款", "项", "clause"], ["text"] = ["原文", "条文", "text"],
    };

    public const int MaxLength = 500;

    public static RegulationTable Read(string path, string fileName)
    {
        var (sheet, rows) = Path.GetExtension(fileName).Equals(".xlsx", StringComparison.OrdinalIgnoreCase) ? Xlsx(path) : (null, Csv(path));
        var problems = new List<LoadIssue>();
        LoadIssue Problem(int row, string column, string? value, string message) =>
            new(fileName, sheet, row, column, value, Severity.Error, message);
        if (rows.Count == 0) return new([], [Problem(1, "", null, "文件是空的：第一行应为表头 办法、条、款、原文")]);

        var header = rows[0].Cells.Select(c => c?.Trim() ?? "").ToArray();
        var index = Columns.ToDictionary(c => c.Key, c => Array.FindIndex(header, h => c.Value.Contains(h, StringComparer.OrdinalIgnoreCase)));
        foreach (var missing in new[] { "document", "article", "text" }.Where(c => index[c] < 0))
            problems.Add(Problem(rows[0].Row, Columns[missing][0], null, $"表头缺少列“{Columns[missing][0]}”（应有 办法、条、款、原文）"));
        if (problems.Count > 0) return new([], problems);

        var articles = new List<RegulationArticle>();
        foreach (var (row, cells) in rows.Skip(1))
        {
            string? Cell(string column) => index[column] is >= 0 and var i && i < cells.Length && !string.IsNullOrWhiteSpace(cells[i]) ? cells[i]!.Trim() : null;
            var (document, article, clause, text) = (Cell("document"), Cell("article"), Cell("clause"), Cell("text"));
            if (document is null && article is null && clause is null && text is null) continue;
            if (document is null) problems.Add(Problem(row, "办法", null, "办法全称不能为空"));
            else if (document.Length > 200) problems.Add(Problem(row, "办法", document, "办法全称超过 200 字"));
            var normalisedArticle = Article(article);
            if (normalisedArticle is null) problems.Add(Problem(row, "条", article, "条应写作“第四条”或“4”"));
            var normalisedClause = clause is null ? null : ClauseText(clause);
            if (clause is not null && normalisedClause is null) problems.Add(Problem(row, "款", clause, "款应写作“（四）”或“四”"));
            if (text is null) problems.Add(Problem(row, "原文", null, "原文不能为空：写出规定该规则的原话"));
            else if (text.Length > MaxLength) problems.Add(Problem(row, "原文", text[..20] + "…", $"原文超过 {MaxLength} 字，请只摘录规定该规则的原话"));
            if (document is not null && normalisedArticle is not null && text is not null)
                articles.Add(new RegulationArticle(document.Trim('《', '》'), normalisedArticle, normalisedClause, text, row));
        }
        if (problems.Count == 0 && articles.Count == 0) problems.Add(Problem(rows[0].Row + 1, "", null, "表头下没有条款"));
        return problems.Count > 0 ? new([], problems) : new(articles, []);
    }

    /// <summary>第四条 as written, or 4 → 第四条; null when it is neither.</summary>
    public static string? Article(string? text)
    {
        if (text is null) return null;
        var t = text.Replace(" ", "").Replace("　", "");
        if (ArticleWords().IsMatch(t)) return t;
        return int.TryParse(t, out var n) && n is > 0 and < 1000 ? $"第{Numeral(n)}条" : null;
    }

    private static string? ClauseText(string text)
    {
        var t = text.Trim().Trim('(', ')', '（', '）');
        if (ClauseWords().IsMatch(t)) return t;
        return int.TryParse(t, out var n) && n is > 0 and < 100 ? Numeral(n) : null;
    }

    /// <summary>Chinese numerals as articles are numbered: 4 → 四, 15 → 十五, 42 → 四十二, 100 → 一百.</summary>
    public static string Numeral(int n)
    {
        const string digits = "零一二三四五六七八九";
        if (n < 10) return digits[n].ToString();
        if (n < 20) return "十" + (n % 10 == 0 ? "" : digits[n % 10].ToString());
        if (n < 100) return digits[n / 10] + "十" + (n % 10 == 0 ? "" : digits[n % 10].ToString());
        var rest = n % 100;
        return digits[n / 100] + "百" + (rest == 0 ? "" : rest < 10 ? "零" + digits[rest] : rest < 20 ? "一" + Numeral(rest) : Numeral(rest));
    }

    private static List<(int Row, string?[] Cells)> Csv(string path)
    {
        var (encoding, separator) = CsvSniffer.Sniff(path);
        using var csv = CsvReader.FromFile(path, CsvReaderOptions.Default with { TrimWhitespace = true, Encoding = encoding, Separator = separator });
        var rows = new List<(int, string?[])>();
        csv.ReadHeader();
        if (csv.Headers.Count == 0) return rows;
        rows.Add((1, csv.Headers.ToArray()));
        while (csv.Read())
        {
            var cells = new string?[csv.FieldCount];
            for (var i = 0; i < cells.Length; i++) cells[i] = csv.IsEmpty(i) ? null : csv.GetString(i);
            rows.Add(((int)csv.RowNumber + 1, cells));
        }
        return rows;
    }

    private static (string? Sheet, List<(int Row, string?[] Cells)> Rows) Xlsx(string path)
    {
        XlsxGuard.Check(path);
        using var workbook = new XlsxWorkbook(path);
        var sheet = workbook.Sheets.FirstOrDefault() ?? throw new InvalidDataException("xlsx 没有工作表");
        return (sheet, workbook.Rows(sheet).Select(r => (r.RowNumber, r.Cells)).ToList());
    }

    [GeneratedRegex(@"^第[一二三四五六七八九十百零]+条$")]
    private static partial Regex ArticleWords();

    [GeneratedRegex(@"^[一二三四五六七八九十]+$")]
    private static partial Regex ClauseWords();
}
