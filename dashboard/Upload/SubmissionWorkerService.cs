using BudgetPerf.Etl.Queue;

namespace BudgetPerf.Dashboard.Upload;

/// <summary>
/// The dashboard's background worker of the submission queue (<see cref="SubmissionWorker"/>, which holds the logic): every
/// instance runs one; the build lock makes them take turns. Stopping the host cancels a pass; what it had taken is taken
/// again by the next worker (this instance restarted, or another).
/// </summary>
public sealed class SubmissionWorkerService(SubmissionWorker worker) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() => worker.RunAsync(stoppingToken), stoppingToken);
}
