using System.Globalization;
using System.Text;

namespace BudgetPerf.Etl.Validation;

/// <summary>
/// Reads numbers the way departments write them: <c>1,234.56</c>, full-width digits (<c>１２３</c>), surrounding
/// spaces, <c>1234.56万</c> in a 万元 column, <c>86%</c> or <c>0.86</c> in a rate column. Always <c>decimal</c>.
/// </summary>
public static class CellParser
{
    public static bool TryAmount(string text, out decimal value)
    {
        var s = Clean(text);
        if (s.EndsWith("万元", StringComparison.Ordinal)) s = s[..^2];
        else if (s.EndsWith('万')) s = s[..^1];
        return decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>A rate as a fraction: <c>86%</c> → 0.86, <c>0.86</c> → 0.86, <c>８６％</c> → 0.86.</summary>
    public static bool TryRate(string text, out decimal value)
    {
        var s = Clean(text);
        var percent = s.EndsWith('%');
        if (percent) s = s[..^1];
        if (!decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out value)) return false;
        if (percent) value /= 100m;
        return true;
    }

    public static bool TryInteger(string text, out int value)
    {
        var s = Clean(text);
        if (s.EndsWith('年')) s = s[..^1];
        if (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out value)) return true;
        // Excel sometimes stores 2024 as "2024.0"
        if (decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d)
            && d is >= int.MinValue and <= int.MaxValue)
        {
            value = (int)d;
            return true;
        }
        return false;
    }

    /// <summary>Trims, folds full-width characters to half-width and drops thousands separators and spaces.</summary>
    public static string Clean(string text) => Fold(text).Replace(",", "").Replace(" ", "");

    /// <summary>Full-width to half-width (NFKC) and trimmed; ASCII text comes back as is, without allocating.</summary>
    public static string Fold(string text)
    {
        var ascii = true;
        foreach (var c in text)
            if (c > 0x7F) { ascii = false; break; }
        if (ascii) return text.Trim();
        var cache = _folded ??= new Dictionary<string, string>(StringComparer.Ordinal);
        if (cache.TryGetValue(text, out var folded)) return folded;
        folded = text.Normalize(NormalizationForm.FormKC).Trim();
        if (cache.Count < FoldCacheSize && text.Length <= 64) cache[text] = folded;
        return folded;
    }

    /// <summary>
    /// NFKC through ICU costs far more than a lookup, and vocabulary cells (≥, 确定能, 经费保障 …) repeat on every row:
    /// short texts are remembered per thread, up to this many.
    /// </summary>
    private const int FoldCacheSize = 4096;

    [ThreadStatic] private static Dictionary<string, string>? _folded;
}
