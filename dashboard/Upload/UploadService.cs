using System.Collections.Concurrent;
using BudgetPerf.Etl.Loading;
using BudgetPerf.Warehouse.Engines;
using BudgetPerf.Warehouse.Models;

namespace BudgetPerf.Dashboard.Upload;

/// <summary>One uploaded file's outcome, with the id of its <c>errors.csv</c> when it was rejected.</summary>
public sealed record UploadedFile(LoadResult Result, string? ErrorsId);

/// <summary>What one upload did: per-file results and, when something loaded, the model rebuild.</summary>
public sealed record UploadOutcome(IReadOnlyList<UploadedFile> Files, BuildResult? Build);

/// <summary>
/// 数据上报 in-process: the dashboard owns the DuckDB file, so uploads go through the same loader as
/// <c>budgetperf load</c>, then the models rebuild. One upload at a time.
/// </summary>
public sealed class UploadService(WarehouseEngine engine)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, string> _errorFiles = new();
    private readonly string _root = Path.Combine(Path.GetTempPath(), "budgetperf-uploads");

    public async Task<UploadOutcome> UploadAsync(IReadOnlyList<(string Name, Func<Stream> Open)> files, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var dir = Path.Combine(_root, Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            var loader = new SubmissionLoader(engine);
            var results = new List<UploadedFile>();
            foreach (var (name, open) in files)
            {
                var path = Path.Combine(dir, Path.GetFileName(name));
                await using (var target = File.Create(path))
                await using (var source = open())
                    await source.CopyToAsync(target, ct);
                var result = await loader.LoadFileAsync(path, new LoadOptions(), ct);
                string? errorsId = null;
                if (result.ErrorsFile is { } errors)
                {
                    errorsId = Guid.NewGuid().ToString("N");
                    _errorFiles[errorsId] = errors;
                }
                results.Add(new UploadedFile(result, errorsId));
            }
            BuildResult? build = null;
            if (results.Any(r => r.Result.Status == LoadStatus.Loaded))
                build = await new ModelRunner(engine).BuildAsync(new BuildOptions { ArtifactsDir = Path.Combine(_root, "target") }, ct);
            return new UploadOutcome(results, build);
        }
        finally
        {
            _gate.Release();
        }
    }

    public string? ErrorsFile(string id) => _errorFiles.TryGetValue(id, out var path) && File.Exists(path) ? path : null;
}

public static class UploadEndpoints
{
    public static void MapUploadEndpoints(this WebApplication app) =>
        app.MapGet("/upload/errors/{id}", (string id, UploadService uploads) =>
            uploads.ErrorsFile(id) is { } path
                ? Results.File(path, "text/csv; charset=utf-8", "errors.csv")
                : Results.NotFound());
}
