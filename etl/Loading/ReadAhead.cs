using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace BudgetPerf.Etl.Loading;

/// <summary>
/// Runs an enumeration (read + validate) on its own thread, a few batches ahead of the consumer (the Appender or
/// COPY), so that parsing and loading overlap on two cores. Memory stays bounded: at most <c>depth × batch</c> rows wait.
/// </summary>
internal static class ReadAhead
{
    public static IEnumerable<T> Of<T>(IEnumerable<T> source, int batch = 1024, int depth = 16)
    {
        using var queue = new BlockingCollection<List<T>>(depth);
        using var stop = new CancellationTokenSource();
        Exception? failure = null;
        // a thread of its own, not one of the pool's, where the dashboard's requests would queue ahead of it (issue 15)
        var producer = Task.Factory.StartNew(() =>
        {
            try
            {
                var list = new List<T>(batch);
                foreach (var item in source)
                {
                    list.Add(item);
                    if (list.Count < batch) continue;
                    queue.Add(list, stop.Token);
                    list = new List<T>(batch);
                }
                if (list.Count > 0) queue.Add(list, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
            catch (Exception ex) { failure = ex; }
            finally { queue.CompleteAdding(); }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            foreach (var list in queue.GetConsumingEnumerable())
                foreach (var item in list) yield return item;
            producer.Wait();
            if (failure is not null) ExceptionDispatchInfo.Throw(failure);
        }
        finally
        {
            stop.Cancel();
            try { producer.Wait(); } catch (AggregateException) { }
        }
    }
}
