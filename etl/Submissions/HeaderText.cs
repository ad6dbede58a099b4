using System.Text;

namespace BudgetPerf.Etl.Submissions;

/// <summary>Header matching that ignores spaces, the required-mark <c>*</c>, case and full-width/half-width forms.</summary>
public static class HeaderText
{
    public static string Normalize(string header)
    {
        var s = header.Normalize(NormalizationForm.FormKC);   // full-width letters, digits, brackets → half-width
        var b = new StringBuilder(s.Length);
        foreach (var c in s)
            if (!char.IsWhiteSpace(c) && c != '*' && c != '\uFEFF') b.Append(char.ToLowerInvariant(c));
        return b.ToString();
    }
}
