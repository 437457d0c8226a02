using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PlexSync.Workflows;
using Temporalio.Client;

namespace PlexSync.Benchmarks;

/// <summary>
/// Measures PlexSync on a real dev server with `plexsync worker` as its own process and the simulators
/// answering every request after a set latency: reconciliations of an unchanged and of a fully changed
/// library, and hooks one after another. It prints figures and checks only correctness, never speed.
/// </summary>
/// <param name="client">The dev server's client.</param>
/// <param name="latency">How long each simulated request takes before its answer.</param>
/// <param name="report">Where each figure goes.</param>
/// <param name="hookBinary">A published plexsync for the hooks (e.g. Native AOT); null for the build beside the benchmark.</param>
public sealed class Bench(ITemporalClient client, TimeSpan latency, Action<string> report, string? hookBinary = null)
{
    /// <summary>The run's settings: the defaults, with Plex's two caps raised so that the figures measure PlexSync and Temporal rather than the caps.</summary>
    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["plex.activities_per_second"] = "1000",
        ["plex.requests_per_second"] = "1000",
    };

    private static readonly TimeSpan Limit = TimeSpan.FromHours(1);

    private static readonly string[] TitleField = ["title"];

    /// <summary>Reconciles <paramref name="scenes"/> scenes, all in step in Plex already or all changed, and reports the figures.</summary>
    public async Task<ReconcileProgress> ReconcileAsync(int scenes, bool changed)
    {
        await using var world = await WorkerWorld.StartAsync(client, scenes, Settings);
        if (!changed)
        {
            await world.BringInStepAsync(scenes);
        }

        world.Plex.ResetLog();
        world.Stash.ResetLog();
        world.Plex.RequestLatency = latency;
        world.Stash.RequestLatency = latency;
        var worker = await world.StartWorkerAsync();

        var cpuBefore = Cpu.Sample(worker.Id);
        var clock = Stopwatch.StartNew();
        using var cts = new CancellationTokenSource(Limit);
        var progress = await client.ExecuteWorkflowAsync(
            (ReconcileWorkflow wf) => wf.RunAsync(new ReconcileInput()),
            new WorkflowOptions($"{ReconcileWorkflow.DefaultId}@{world.TaskQueue}", world.TaskQueue) { Rpc = new RpcOptions { CancellationToken = cts.Token } });
        var wall = clock.Elapsed;
        var cpu = Cpu.Sample(worker.Id) - cpuBefore;

        var expected = changed ? scenes : 0;
        if (progress.Seen != scenes || progress.Changed != expected || progress.Failed != 0)
        {
            throw new InvalidOperationException($"progress {progress}: want {scenes} seen, {expected} changed, none failed");
        }

        var plexReads = world.Plex.Count("GET");
        var plexWrites = world.Plex.Requests().Count - plexReads;
        var syncs = await client.CountWorkflowsAsync($"WorkflowType = '{SceneSyncWorkflow.Name}' AND TaskQueue = '{world.TaskQueue}'");
        double n = scenes;
        report(string.Create(CultureInfo.InvariantCulture, $"""
            {scenes} scenes {(changed ? "all changed" : "unchanged")}: {n / wall.TotalSeconds:0} scenes/s; Plex {plexReads / n:0.00} reads + {plexWrites / n:0.00} writes per scene; Stash {world.Stash.Requests().Count / n:0.00} requests per scene; {syncs.Count / n:0.00} SceneSync workflows per scene; worker peak RSS {(LinuxProcesses.PeakRssMiB(worker.Id) is { } mib ? $"{mib} MiB" : "unknown")}; wall {wall.TotalSeconds:0.0} s; CPU {cpu}
            """));
        if (changed)
        {
            // A sample: every fiftieth scene exactly as Stash's data calls for.
            await world.AssertInStepAsync(Enumerable.Range(1, scenes).Where(i => i % Math.Max(1, scenes / 50) == 1));
        }

        return progress;
    }

    /// <summary>
    /// Edits one scene <paramref name="hooks"/> times, each time running `plexsync hook` as Stash would,
    /// and reports the hook process's wall time and the time from its start to the edit being in Plex.
    /// </summary>
    public async Task HooksAsync(int hooks)
    {
        await using var world = await WorkerWorld.StartAsync(client, 1, Settings);
        await world.BringInStepAsync(1);
        world.Plex.RequestLatency = latency;
        world.Stash.RequestLatency = latency;
        await world.StartWorkerAsync();
        var id = world.Id(1);
        var ratingKey = world.Library.RatingKey(id);
        var process = new List<TimeSpan>();
        var applied = new List<TimeSpan>();
        for (var i = 0; i < hooks; i++)
        {
            var title = $"Edit {i}";
            world.Stash.Update(id, s => s.Title = title);
            var clock = Stopwatch.StartNew();
            var (code, output) = await PlexSyncProcess.RunAsync(
                ["hook", "--config", world.ConfigPath], TimeSpan.FromMinutes(1), stdin: HookInput(id, title), executable: hookBinary);
            process.Add(clock.Elapsed);
            if (code != 0)
            {
                throw new InvalidOperationException($"plexsync hook exited {code}: {output}");
            }

            await world.Plex.WaitForAsync(() => world.Plex.TryGetItem(ratingKey, out var item) && item.Title == title, TimeSpan.FromMinutes(1));
            applied.Add(clock.Elapsed);

            // This sync ends before the next edit, so that each hook starts a sync of its own.
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await client.GetWorkflowHandle(SceneSyncWorkflow.WorkflowId(id.ToString(CultureInfo.InvariantCulture)))
                .GetResultAsync<SceneSyncResult>(rpcOptions: new RpcOptions { CancellationToken = cts.Token });
        }

        report(string.Create(CultureInfo.InvariantCulture, $"""
            {hooks} hooks one after another ({hookBinary ?? "dotnet plexsync.dll"}): hook-to-applied p50 {Ms(applied, 0.50)} p99 {Ms(applied, 0.99)}; the hook process p50 {Ms(process, 0.50)} p99 {Ms(process, 0.99)} max {Ms(process, 1)}
            """));
    }

    /// <summary>The input Stash gives a plugin's hook when a scene's title is edited.</summary>
    private static string HookInput(int id, string title) => JsonSerializer.Serialize(new
    {
        server_connection = new { Scheme = "http", Host = "127.0.0.1", Port = 9999 },
        args = new { hookContext = new { id, type = "Scene.Update.Post", input = new { title }, inputFields = TitleField } },
    });

    private static string Ms(List<TimeSpan> times, double quantile)
    {
        var sorted = times.Order().ToList();
        var at = sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * quantile))];
        return at.TotalMilliseconds.ToString("0 ms", CultureInfo.InvariantCulture);
    }
}
