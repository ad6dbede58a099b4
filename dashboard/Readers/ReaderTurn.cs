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
    private Func<Task>? _after;

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
    /// When the slot has been held for a slice and a read is waiting for it: gives it up and waits for it again as a
    /// computation, behind the reads that answer (not cancelled by the asker: a computation others may be waiting for goes on).
    /// </summary>
    public async ValueTask YieldAsync()
    {
        if (_lane is null || !_held || Stopwatch.GetElapsedTime(_since) < _slice || !_lane.Contended) return;
        await RequeueAsync();
    }

    /// <summary>
    /// Before a computation (a cache miss): the slot is kept when no read that answers is waiting for it, else given to them
    /// and waited for again as a computation; a request not holding one takes one as a computation.
    /// </summary>
    public async ValueTask ComputingAsync()
    {
        if (_lane is null || (_held && !_lane.AnswersWaiting)) return;
        await RequeueAsync();
    }

    private async ValueTask RequeueAsync()
    {
        if (_held)
        {
            _held = false;
            _lane!.Release();
        }
        await TakeAsync(CancellationToken.None, computation: true);
    }

    /// <summary>Waits for a slot in the lane's queue of answers or of computations, and holds it from now.</summary>
    private async ValueTask TakeAsync(CancellationToken ct, bool computation)
    {
        await _lane!.EnterAsync(ct, computation);
        _held = true;
        _since = Stopwatch.GetTimestamp();
    }

    /// <summary>Takes a slot again after <see cref="Leave"/> (a request that has work of its own to do after its wait).</summary>
    public async ValueTask TakeAgainAsync(CancellationToken ct)
    {
        if (_lane is null || _held) return;
        await TakeAsync(ct, computation: false);
    }

    /// <summary>
    /// <paramref name="answer"/> (bytes in hand: a chart, a kept export) sent in this turn for a slice at most, then outside
    /// the gate: what a send takes longer than that is the client's download, and a slow one (a 15 MB 偏差排名 over a county's
    /// link) would hold the slot every read waits for. A send left in the turn keeps the gate's count of the copying it costs
    /// (issue 15, DuckDB, province, 200 uploads into a filled year: every send outside the gate let the closed loop's readers
    /// answer 55 % more reads and took the passes' core, upload p95 4.36 → 6.71 s).
    /// </summary>
    public IResult Sending(IResult answer) => _lane is null ? answer : new SentInTurn(answer, this);

    private sealed class SentInTurn(IResult answer, ReaderTurn turn) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var send = answer.ExecuteAsync(httpContext);
            var mayLeave = turn._held && turn._slice != TimeSpan.MaxValue && !send.IsCompleted;   // SliceMs 0: never
            if (mayLeave && await Task.WhenAny(send, Task.Delay(turn._slice)) != send) turn.Leave();
            await send;
        }
    }

    /// <summary>
    /// Work for after the answer (a stale answer computed again, <see cref="Caching.ReadCache.RefreshAsync{T}"/>): the gate
    /// runs it once the response is complete, so the client has its answer without waiting for it, in a turn of a lane of
    /// its own (<see cref="ReaderGate"/>). A request the gate does not hold (<see cref="None"/>): nothing is done.
    /// </summary>
    public void After(Func<Task> work)
    {
        if (_lane is not null) _after = work;
    }

    /// <summary>The work <see cref="After"/> left for the gate, if any (taken once).</summary>
    internal Func<Task>? TakeAfter() => Interlocked.Exchange(ref _after, null);

    /// <summary>Gives the slot up until <see cref="TakeAgainAsync"/> (the gate does not release it again).</summary>
    public void Leave()
    {
        if (_lane is null || !_held) return;
        _held = false;
        _lane.Release();
    }
}

/// <summary>
/// One lane of the <see cref="ReaderGate"/>: its slots, and the reads waiting for one in two queues. A read that answers — a
/// page shell, an answer the result cache keeps, one waited for — is served before a computation (a cache miss about to
/// compute, an export taking its slot back after a slice), which it would otherwise wait behind for a slice or a whole
/// chart's query: issue 15, readers pausing a second between reads of a year being filled, DuckDB, province, 200 uploads,
/// the same turn for every read: page shells 25–64 ms idle → 977–1,214 ms in the burst, behind the whole-year exports each
/// pass makes to compute again. A computation that has waited <c>patience</c> goes first, so a flood of answers does not
/// starve it (the readers of a computing answer wait for it).
/// </summary>
internal sealed class ReaderLane(int slots, TimeSpan patience)
{
    private readonly Lock _gate = new();
    private readonly LinkedList<Waiter> _answers = new();
    private readonly LinkedList<Waiter> _computations = new();
    private int _free = Math.Max(1, slots);

    private sealed record Waiter(TaskCompletionSource Entered, long Since);

    /// <summary>Whether a read is waiting for a slot.</summary>
    public bool Contended
    {
        get { lock (_gate) return _answers.Count + _computations.Count > 0; }
    }

    /// <summary>Whether a read that answers is waiting for a slot (a computation holding one gives it up for it).</summary>
    public bool AnswersWaiting
    {
        get { lock (_gate) return _answers.Count > 0; }
    }

    /// <summary>Waits for a slot: in the answers' queue, or with <paramref name="computation"/> behind them.</summary>
    public async Task EnterAsync(CancellationToken ct, bool computation = false)
    {
        LinkedListNode<Waiter> node;
        lock (_gate)
        {
            if (_free > 0)
            {
                _free--;
                return;
            }
            var waiter = new Waiter(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), Stopwatch.GetTimestamp());
            node = (computation ? _computations : _answers).AddLast(waiter);
        }
        await using (ct.Register(() => Cancel(node)))
            await node.Value.Entered.Task;
    }

    /// <summary>Gives the slot to the next read (<see cref="ReaderLane"/> says which), or frees it.</summary>
    public void Release()
    {
        LinkedListNode<Waiter>? next;
        lock (_gate)
        {
            next = _computations.First is { } longest && (_answers.First is null || Stopwatch.GetElapsedTime(longest.Value.Since) >= patience)
                ? longest
                : _answers.First;
            if (next is null)
            {
                _free++;
                return;
            }
            next.List!.Remove(next);
        }
        next.Value.Entered.SetResult();
    }

    private void Cancel(LinkedListNode<Waiter> node)
    {
        lock (_gate)
        {
            if (node.List is null) return; // given the slot already: the caller has it and releases it
            node.List.Remove(node);
        }
        node.Value.Entered.TrySetCanceled();
    }
}
