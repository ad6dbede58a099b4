namespace BudgetPerf.Etl.Demo;

/// <summary>
/// Deterministic seeds and draws. Every stream is a <see cref="Random"/> built from a seed mixed here
/// (SplitMix64), so a project's numbers depend only on the run's seed and the project's own keys,
/// never on iteration order, hashing or the clock.
/// </summary>
internal static class DemoRandom
{
    public static int Mix(int seed, int a) => Finish(Step((ulong)(uint)seed, a));
    public static int Mix(int seed, int a, int b) => Finish(Step(Step((ulong)(uint)seed, a), b));
    public static int Mix(int seed, int a, int b, int c) => Finish(Step(Step(Step((ulong)(uint)seed, a), b), c));

    public static Random For(int seed, int a) => new(Mix(seed, a));
    public static Random For(int seed, int a, int b) => new(Mix(seed, a, b));
    public static Random For(int seed, int a, int b, int c) => new(Mix(seed, a, b, c));

    private static ulong Step(ulong state, int value)
    {
        var z = state + 0x9E3779B97F4A7C15UL + (ulong)(uint)value * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static int Finish(ulong z) => (int)(z & 0x7FFFFFFF);

    /// <summary>True with the given chance in percent.</summary>
    public static bool Chance(this Random r, int percent) => r.Next(100) < percent;

    /// <summary>True with the given chance in per-mille.</summary>
    public static bool ChancePermille(this Random r, int permille) => r.Next(1000) < permille;

    /// <summary>A whole number in [lo, hi], both ends included.</summary>
    public static int Between(this Random r, int lo, int hi) => r.Next(lo, hi + 1);

    /// <summary>A fraction drawn in basis points: <c>Fraction(3500, 6000)</c> is 0.35–0.60.</summary>
    public static decimal Fraction(this Random r, int loBp, int hiBp) => r.Next(loBp, hiBp + 1) / 10000m;

    public static T Pick<T>(this Random r, IReadOnlyList<T> items) => items[r.Next(items.Count)];

    /// <summary>Index drawn by integer weights.</summary>
    public static int PickWeighted(this Random r, ReadOnlySpan<int> weights)
    {
        var total = 0;
        foreach (var w in weights) total += w;
        var x = r.Next(total);
        for (var i = 0; i < weights.Length; i++)
        {
            if (x < weights[i]) return i;
            x -= weights[i];
        }
        return weights.Length - 1;
    }
}
