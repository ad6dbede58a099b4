using System.Globalization;
using System.Text;

namespace BudgetPerf.Etl.Validation;

/// <summary>Reads numbers the way departments write them: <c>1,234.56</c>, full-width digits, <c>1234.56万</c> in a 万元 column.</summary>
public static class CellParser
{
    public static bool TryAmount(string text, out decimal value)
    {
        var s = Clean(text);
        if (s.EndsWith("万元")) s = s[..^2];
        else if (s.EndsWith('万')) s = s[..^1];
        return decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out value);
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

    /// <summary>Trims, folds full-width characters to half-width and drops thousands separators.</summary>
    public static string Clean(string text) =>
        text.Normalize(NormalizationForm.FormKC).Trim().Replace(",", "").Replace(" ", "");
}
