using BudgetPerf.Dashboard.Readers;
using Microsoft.AspNetCore.Http;

namespace BudgetPerf.Tests.Integration.Readers;

/// <summary>The readers' gate (issue 15): which requests are reads, and that no more of them than its slots run at once.</summary>
public sealed class ReaderGateTests
{
    private static HttpContext Request(string method, string path, string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        return context;
    }

    [Theory]
    [InlineData("GET", "/export/ranking", true)]
    [InlineData("GET", "/chart/heatmap.png", true)]
    [InlineData("GET", "/report/monitoring", true)]
    [InlineData("GET", "/", true)]
    [InlineData("GET", "/ranking", true)]
    [InlineData("GET", "/project/101-2019-012", true)]
    [InlineData("POST", "/upload", false)]
    [InlineData("GET", "/upload/submissions/7", false)]
    [InlineData("GET", "/upload", false)]
    [InlineData("GET", "/login", false)]
    [InlineData("GET", "/_blazor", false)]
    [InlineData("GET", "/_framework/blazor.web.js", false)]
    [InlineData("GET", "/app.css", false)]
    [InlineData("GET", "/health", false)]
    [InlineData("POST", "/ranking", false)]
    public void A_read_is_a_GET_of_a_page_chart_export_or_report(string method, string path, bool read) =>
        Assert.Equal(read, ReaderGate.IsRead(Request(method, path).Request));

    [Fact]
    public async Task No_more_reads_than_its_slots_run_at_once_and_the_others_wait_their_turn()
    {
        var gate = new ReaderGate(new ReaderGateOptions { Concurrency = 2 });
        var running = 0;
        var most = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task Read()
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            await release.Task;
            Interlocked.Decrement(ref running);
        }
        var reads = Enumerable.Range(0, 6).Select(_ => gate.InvokeAsync(Request("GET", "/export/ranking", "?dept=660102101"), Read)).ToList();
        // an upload is not held behind them
        var upload = gate.InvokeAsync(Request("POST", "/upload"), () => Task.CompletedTask);
        await upload.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(100);
        Assert.Equal(2, Volatile.Read(ref running));
        Assert.All(reads, r => Assert.False(r.IsCompleted)); // two running, four waiting for a slot
        release.SetResult();
        await Task.WhenAll(reads).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, most);
    }

    [Theory]
    [InlineData("/export/ranking", "?format=csv&year=2027", true)]
    [InlineData("/export/trends", "?format=csv&by=fund", true)]
    [InlineData("/export/ranking", "?format=csv&year=2027&dept=660102101", false)]
    [InlineData("/chart/trends.png", "?by=fund", false)]
    [InlineData("/ranking", "?year=2027", false)]
    public void A_bulk_export_is_one_that_names_no_department(string path, string query, bool bulk) =>
        Assert.Equal(bulk, ReaderGate.IsBulk(Request("GET", path, query).Request));

    [Fact]
    public async Task A_view_does_not_queue_behind_a_whole_province_export_and_those_run_one_at_a_time()
    {
        var gate = new ReaderGate(new ReaderGateOptions { Concurrency = 1, BulkConcurrency = 1 });
        var running = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task Export()
        {
            Interlocked.Increment(ref running);
            await release.Task;
            Interlocked.Decrement(ref running);
        }
        var exports = Enumerable.Range(0, 2).Select(_ => gate.InvokeAsync(Request("GET", "/export/ranking", "?year=2027"), Export)).ToList();
        // one department's export and a chart are answered while a whole-year export holds its lane
        await gate.InvokeAsync(Request("GET", "/export/ranking", "?year=2027&dept=660102101"), () => Task.CompletedTask)
            .WaitAsync(TimeSpan.FromSeconds(5));
        await gate.InvokeAsync(Request("GET", "/chart/heatmap.png"), () => Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, Volatile.Read(ref running));
        Assert.All(exports, e => Assert.False(e.IsCompleted)); // one running (above), the other waiting for the lane
        release.SetResult();
        await Task.WhenAll(exports).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task An_export_being_written_gives_its_slot_to_a_waiting_read_once_it_held_it_a_slice()
    {
        var gate = new ReaderGate(new ReaderGateOptions { Concurrency = 1, Slice = TimeSpan.FromMilliseconds(20) });
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var export = Request("GET", "/export/ranking", "?year=2027");
        var writing = gate.InvokeAsync(export, async () =>
        {
            started.SetResult();
            while (!stop.Task.IsCompleted)   // rows written, and the turn offered between them, as GridExport does
            {
                await Task.Delay(5);
                await ReaderTurn.Of(export).YieldAsync();
            }
        });
        await started.Task.WaitAsync(TimeSpan.FromSeconds(5));
        // a chart is answered while the export is still being written (without the yield it would wait for its end)
        await gate.InvokeAsync(Request("GET", "/chart/heatmap.png"), () => Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(writing.IsCompleted);
        stop.SetResult();
        await writing.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_read_that_left_its_slot_for_a_wait_frees_it_and_is_not_released_twice()
    {
        var gate = new ReaderGate(new ReaderGateOptions { Concurrency = 1 });
        var waitOver = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiter = Request("GET", "/export/ranking", "?year=2027");
        var waiting = gate.InvokeAsync(waiter, async () =>
        {
            ReaderTurn.Of(waiter).Leave();   // as ReadCacheKeys does before waiting for another request's computation
            Assert.False(ReaderTurn.Of(waiter).Held);
            await waitOver.Task;
        });
        // the slot it left serves the others meanwhile
        await gate.InvokeAsync(Request("GET", "/chart/heatmap.png"), () => Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(5));
        waitOver.SetResult();
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        // one slot still: two reads after it never run at once (a second release would have made two)
        var running = 0;
        var most = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task Read()
        {
            InterlockedMax(ref most, Interlocked.Increment(ref running));
            await release.Task;
            Interlocked.Decrement(ref running);
        }
        var reads = Enumerable.Range(0, 2).Select(_ => gate.InvokeAsync(Request("GET", "/ranking"), Read)).ToList();
        await Task.Delay(100);
        release.SetResult();
        await Task.WhenAll(reads).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, most);
    }

    /// <summary>
    /// One slot, held by a read until released; a computation (a cache miss, <see cref="ReaderTurn.ComputingAsync"/>) queued
    /// for it, then a read that answers: the order they are given the slot after <paramref name="heldFor"/>.
    /// </summary>
    private static async Task<List<string>> OrderAfterTheHolderAsync(TimeSpan slice, TimeSpan heldFor)
    {
        var gate = new ReaderGate(new ReaderGateOptions { Concurrency = 1, Slice = slice });
        var order = new List<string>();
        var left = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var miss = Request("GET", "/chart/heatmap.png");
        var computing = gate.InvokeAsync(miss, async () =>
        {
            ReaderTurn.Of(miss).Leave();   // it waits for another request meanwhile (ReadCacheKeys)
            left.SetResult();
            await holding.Task;
            await ReaderTurn.Of(miss).ComputingAsync();   // then computes: a slot again, as a computation
            lock (order) order.Add("computation");
        });
        await left.Task.WaitAsync(TimeSpan.FromSeconds(5));
        var holder = gate.InvokeAsync(Request("GET", "/ranking"), async () =>
        {
            holding.SetResult();
            await release.Task;
        });
        await holding.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(50);   // the computation is queued
        var answer = gate.InvokeAsync(Request("GET", "/"), () =>
        {
            lock (order) order.Add("answer");
            return Task.CompletedTask;
        });
        await Task.Delay(heldFor);
        release.SetResult();
        await Task.WhenAll(computing, holder, answer).WaitAsync(TimeSpan.FromSeconds(5));
        return order;
    }

    [Fact]
    public async Task A_read_that_answers_is_given_the_slot_before_a_computation_that_queued_first()
    {
        Assert.Equal(["answer", "computation"], await OrderAfterTheHolderAsync(TimeSpan.FromHours(1), TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task A_computation_that_waited_a_slice_goes_before_the_reads_that_answer()
    {
        Assert.Equal(["computation", "answer"], await OrderAfterTheHolderAsync(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task A_send_holds_its_slot_for_a_slice_and_a_slow_clients_download_goes_on_outside_the_gate()
    {
        var gate = new ReaderGate(new ReaderGateOptions { Concurrency = 1, Slice = TimeSpan.FromSeconds(1) });
        var downloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sending = Request("GET", "/chart/heatmap.png");
        var sent = gate.InvokeAsync(sending, () => ReaderTurn.Of(sending).Sending(new SlowDownload(downloaded.Task)).ExecuteAsync(sending));
        var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var read = gate.InvokeAsync(Request("GET", "/ranking"), () =>
        {
            next.SetResult();
            return Task.CompletedTask;
        });

        await Task.Delay(100);
        Assert.False(next.Task.IsCompleted);   // within its slice the send keeps the turn (what the copying costs is counted)
        await next.Task.WaitAsync(TimeSpan.FromSeconds(10));   // after it, the next read runs while the download goes on
        Assert.False(sent.IsCompleted);
        downloaded.SetResult();
        await Task.WhenAll(sent, read).WaitAsync(TimeSpan.FromSeconds(5));
    }

    /// <summary>An answer whose bytes a client takes until <paramref name="done"/>.</summary>
    private sealed class SlowDownload(Task done) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => done;
    }

    [Fact]
    public async Task A_reads_work_after_its_answer_runs_once_its_response_is_complete_outside_the_reads_slot_one_at_a_time()
    {
        var gate = new ReaderGate(new ReaderGateOptions { Concurrency = 1 });
        var (first, firstBody) = Answered("/chart/heatmap.png");
        var (second, secondBody) = Answered("/chart/trend.png");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new List<string>();
        var completedBefore = new List<bool>();
        Func<Task> Work(string name, Task until, Completion body) => async () =>
        {
            lock (started)
            {
                started.Add(name);
                completedBefore.Add(body.Completed);
            }
            await until;
        };
        var firstRead = gate.InvokeAsync(first, () =>
        {
            ReaderTurn.Of(first).After(Work("first", release.Task, firstBody));
            return Task.CompletedTask;
        });
        await Task.Delay(50);
        // while the first read's work runs, a read is answered in the reads' slot, and another read's work waits for it
        await gate.InvokeAsync(Request("GET", "/ranking"), () => Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(5));
        var secondRead = gate.InvokeAsync(second, () =>
        {
            ReaderTurn.Of(second).After(Work("second", Task.CompletedTask, secondBody));
            return Task.CompletedTask;
        });
        await Task.Delay(100);
        Assert.True(secondBody.Completed);   // its answer is sent; only its work waits
        lock (started) Assert.Equal(["first"], started);
        Assert.False(firstRead.IsCompleted);
        release.SetResult();
        await Task.WhenAll(firstRead, secondRead).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(["first", "second"], started);
        Assert.Equal([true, true], completedBefore);   // each work began after its response was complete
    }

    /// <summary>A GET of <paramref name="path"/> whose response records when it is complete.</summary>
    private static (HttpContext Context, Completion Body) Answered(string path)
    {
        var context = Request("GET", path);
        var body = new Completion(context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()!);
        context.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>(body);
        return (context, body);
    }

    /// <summary>A response body that says whether it was completed (<c>HttpResponse.CompleteAsync</c>).</summary>
    private sealed class Completion(Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature inner)
        : Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature
    {
        public bool Completed { get; private set; }
        public Stream Stream => inner.Stream;
        public System.IO.Pipelines.PipeWriter Writer => inner.Writer;
        public void DisableBuffering() => inner.DisableBuffering();
        public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);
        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
            inner.SendFileAsync(path, offset, count, cancellationToken);

        public async Task CompleteAsync()
        {
            await inner.CompleteAsync();
            Completed = true;
        }
    }

    [Fact]
    public async Task A_read_whose_request_is_cancelled_while_it_waits_gives_no_slot_away()
    {
        var gate = new ReaderGate(new ReaderGateOptions { Concurrency = 1 });
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = gate.InvokeAsync(Request("GET", "/ranking"), () => release.Task);
        var cancelled = Request("GET", "/");
        using var abort = new CancellationTokenSource();
        cancelled.RequestAborted = abort.Token;
        var waiting = gate.InvokeAsync(cancelled, () => Task.CompletedTask);
        await Task.Delay(50);
        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        // the slot is still the holder's: a read after it waits until it is released
        var next = gate.InvokeAsync(Request("GET", "/"), () => Task.CompletedTask);
        await Task.Delay(50);
        Assert.False(next.IsCompleted);
        release.SetResult();
        await Task.WhenAll(holder, next).WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
