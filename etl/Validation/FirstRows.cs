using System.Runtime.CompilerServices;

namespace BudgetPerf.Etl.Validation;

/// <summary>
/// The first row of each key (a 64-bit hash of a row's identity cells), for the duplicate check of a file with a million
/// rows: one open-addressing table of (key, row) pairs, so a lookup is one probe into one array (a dictionary's bucket
/// and entry arrays cost two cache misses a row). Kept at most 3/4 full.
/// </summary>
internal sealed class FirstRows
{
    private (ulong Key, int Row)[] _slots = new (ulong, int)[1024];   // Row 0: an empty slot (rows are 1-based)
    private int _count;

    /// <summary>The first row recorded with <paramref name="key"/>, or 0 after recording <paramref name="row"/> as its first.</summary>
    /// <remarks>Called once per row of every file: compiled optimised at once, not first as slow tier-0 code.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int FirstOrAdd(ulong key, int row)
    {
        if (_count >= _slots.Length / 4 * 3) Grow();
        var mask = _slots.Length - 1;
        for (var i = Home(key, mask); ; i = (i + 1) & mask)
        {
            ref var slot = ref _slots[i];
            if (slot.Row == 0)
            {
                slot = (key, row);
                _count++;
                return 0;
            }
            if (slot.Key == key) return slot.Row;
        }
    }

    /// <summary>Fibonacci hashing: the key's high bits, well mixed, pick the home slot.</summary>
    private static int Home(ulong key, int mask) => (int)((key * 0x9E3779B97F4A7C15UL) >> 32) & mask;

    private void Grow()
    {
        var old = _slots;
        _slots = new (ulong, int)[old.Length * 2];
        var mask = _slots.Length - 1;
        foreach (var (key, row) in old)
        {
            if (row == 0) continue;
            var i = Home(key, mask);
            while (_slots[i].Row != 0) i = (i + 1) & mask;
            _slots[i] = (key, row);
        }
    }
}
