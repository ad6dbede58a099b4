using System.Diagnostics;

namespace BudgetPerf.Dashboard.Readers;

/// <summary>
/// A read's turn in the <see cref="ReaderGate"/>: its slot, held from the gate to its answer. A long computation — a
/// province year's export written row by row — gives the slot up now and then to the reads waiting behind it
/// (<see cref="YieldAsync"/>), so a page or a chart waits for one slice of it and not for the whole (issue 15: a year's
/// 偏差排名, 200,000 rows, is about 1 s to write on DuckDB and is written again after every pass that changes the year). A
/// request that waits for another request's computation leaves its slot for the wait (<see cref="Leave"/>): holding it,
/// it would keep the computation it waits for from taking a slot back. A request the gate does not hold has <see cref="None"/>.
/// </summary>
public sealed class ReaderTurn
{
    private readonly ReaderLane? _lane;
    private readonly TimeSpan _slice;
    private long _since;
    private bool _held;

    internal ReaderTurn(ReaderLane lane, TimeSpan slice)
    {
        _lane = lane;
        _slice = slice;
        _held = true;
        _since = Stopwatch.GetTimestamp();
    }

    private ReaderTurn() { }

    /// <summary>The turn of a request the gate does not hold (ungated, or the gate off): yielding and leaving do nothing.</summary>
    public static ReaderTurn None { get; } = new();

    /// <summary>The turn the gate gave <paramref name="http"/>'s request, or <see cref="None"/>.</summary>
    public static ReaderTurn Of(HttpContext http) => http.Features.Get<ReaderTurn>() ?? None;

    /// <summary>Whether the request holds its slot now.</summary>
    public bool Held => _held;

    /// <summary>
    /// When the slot has been held for a slice and a read is waiting for it: gives it up and waits for it again, behind the
    /// reads waiting now (not cancelled by the asker: a computation others may be waiting for goes on).
    /// </summary>
    public async ValueTask YieldAsync()
    {
        if (_lane is null || !_held || Stopwatch.GetElapsedTime(_since) < _slice || !_lane.Contended) return;
        _held = false;
        _lane.Release();
        await _lane.EnterAsync(CancellationToken.None);
        _held = true;
        _since = Stopwatch.GetTimestamp();
    }

    /// <summary>Takes a slot again after <see cref="Leave"/> (a request that has work of its own to do after its wait).</summary>
    public async ValueTask TakeAgainAsync(CancellationToken ct)
    {
        if (_lane is null || _held) return;
        await _lane.EnterAsync(ct);
        _held = true;
        _since = Stopwatch.GetTimestamp();
    }

    /// <summary>Gives the slot up until <see cref="TakeAgainAsync"/> (the gate does not release it again).</summary>
    public void Leave()
    {
        if (_lane is null || !_held) return;
        _held = false;
        _lane.Release();
    }
}

/// <summary>One lane of the <see cref="ReaderGate"/>: its slots and how many reads are waiting for one.</summary>
internal sealed class ReaderLane(int slots) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, slots));
    private int _waiting;

    public bool Contended => Volatile.Read(ref _waiting) > 0;

    public async Task EnterAsync(CancellationToken ct)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            await _slots.WaitAsync(ct);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    public void Release() => _slots.Release();

    public void Dispose() => _slots.Dispose();
}
