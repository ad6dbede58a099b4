using System.Security.Cryptography;
using BudgetPerf.Etl.Intake;
using BudgetPerf.Etl.Queue;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;
using BudgetPerf.Warehouse.Security;

namespace BudgetPerf.Tests.Integration.Support;

/// <summary>
/// The submission queue's set-up shared by the queue and upload tests (issue 15): the submitter's account (the worker
/// loads with the rights the account has then, <c>SubmitterRights</c>), a file accepted into the queue, and a worker.
/// </summary>
public static class QueueSetup
{
    /// <summary>The 管理员 account every queue test submits as, seeing every department.</summary>
    public static readonly Submitter Admin = new("admin", DataScope.All);

    /// <summary>Adds the account unless it exists; roles such as 管理员 or 部门, departments comma-separated.</summary>
    public static async Task AddUserAsync(WarehouseEngine engine, string name, string roles = "管理员", string departments = "",
        string? displayName = null)
    {
        var users = new UserStore(engine);
        if (await users.FindAsync(name) is not null) return;
        Assert.True(await users.AddAsync(new AppUser
        {
            UserName = name, DisplayName = displayName ?? (roles == "管理员" ? "管理员" : name), PasswordHash = "x",
            Roles = roles, Departments = departments, CreatedAt = DateTime.Now,
        }, "test"));
    }

    /// <summary>
    /// The queue tests' common start: the hand-made files loaded and built into a fresh warehouse (<see cref="HandMade"/>)
    /// and the <see cref="Admin"/> account to submit as.
    /// </summary>
    public static async Task<WarehouseEngine> HandMadeWithAdminAsync(string engineName, TempDir dir,
        Fixtures.PostgresServer postgres, params (string Name, string Csv)[] files)
    {
        var engine = await HandMade.BuildAsync(engineName, dir, postgres, files);
        await AddUserAsync(engine, Admin.UserName);
        return engine;
    }

    /// <summary>A file written to the test's folder, as the intake hands it on (its name, path and SHA-256).</summary>
    public static IntakeItem Item(TempDir dir, string name, string text)
    {
        var path = dir.Write(name, text);
        return new IntakeItem(name, path, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
    }

    /// <summary>Accepted (validated with the submitter's scope) and queued; returns the submission id.</summary>
    public static async Task<long> QueueAsync(WarehouseEngine engine, TempDir dir, string name, string text, Submitter submitter)
    {
        var accepted = Assert.Single(await new SubmissionAcceptance(engine, new SubmissionIntake(engine))
            .AcceptAsync([Item(dir, name, text)], submitter));
        Assert.True(accepted.Queued, string.Join("; ", accepted.File.Result.Issues.Select(i => i.Message)));
        return accepted.SubmissionId!.Value;
    }

    /// <summary>A worker with its own folder; <paramref name="sqlRoot"/> builds another copy of sql/ (a broken model).</summary>
    public static SubmissionWorker Worker(WarehouseEngine engine, TempDir dir, string name, string? sqlRoot = null) =>
        Worker(engine, dir, name, sqlRoot is null ? null : (e, options, ct) => new ModelRunner(e).BuildAsync(options with { SqlRoot = sqlRoot }, ct));

    /// <summary>A worker with its own folder and, when given, its own build.</summary>
    public static SubmissionWorker Worker(WarehouseEngine engine, TempDir dir, string name,
        Func<WarehouseEngine, BuildOptions, CancellationToken, Task<BuildResult>>? build) =>
        new(engine, build is null
            ? new SubmissionWorkerOptions { WorkDir = dir.File(name) }
            : new SubmissionWorkerOptions { WorkDir = dir.File(name), Build = build });
}
