using System.Text;
using System.Text.RegularExpressions;

namespace BudgetPerf.Etl.Submissions;

/// <summary>
/// Header matching that ignores spaces, the required-mark <c>*</c>, case, full-width/half-width forms and a
/// trailing unit in brackets (<c>期间执行数（万元）</c> is <c>期间执行数</c>).
/// </summary>
public static partial class HeaderText
{
    [GeneratedRegex(@"\([^()]*\)$")]
    private static partial Regex TrailingUnit();

    public static string Normalize(string header)
    {
        var s = header.Normalize(NormalizationForm.FormKC).Trim();   // full-width letters, digits, brackets → half-width
        s = TrailingUnit().Replace(s, "");
        var b = new StringBuilder(s.Length);
        foreach (var c in s)
            if (!char.IsWhiteSpace(c) && c != '*' && c != '\uFEFF') b.Append(char.ToLowerInvariant(c));
        return b.ToString();
    }
}
