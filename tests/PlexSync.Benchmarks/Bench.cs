using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PlexSync.Workflows;
using Temporalio.Client;
using Temporalio.Converters;
using Temporalio.Testing;

namespace PlexSync.Benchmarks;

/// <summary>
/// The benchmark's scenarios for one build. Each run has a Temporal dev server of its own (so that one build's
/// histories never meet another's), simulated Stash and Plex answering every request after a set latency, and
/// `worker` as its own process; reconciliations start with the input every build of this design reads, and
/// hooks run the build's own `hook`, so that any build of this design can be measured. Each scenario returns its figures and
/// checks the results (counts, a sample of items in step), never speed.
/// </summary>
/// <param name="build">The build measured.</param>
/// <param name="latency">How long each simulated request takes before its answer.</param>
public sealed class Bench(BenchBuild build, TimeSpan latency)
{
    /// <summary>The runs' settings: the defaults, with Plex's two caps raised so that the figures measure PlexSync and Temporal rather than the caps.</summary>
    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["plex.activities_per_second"] = "1000",
        ["plex.requests_per_second"] = "1000",
    };

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(15);

    // The longest an idle worker is left to settle after start-up before it is watched.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    // Keys another build of this design may not know (the Go build has no plays): left out of the file, and turned off for
    // ours through the environment, which a build ignores where it does not know a variable.
    private static readonly string[] UnsharedKeys = ["reconcile.schedule", "plays.every"];

    private static readonly Dictionary<string, string> Environment = new() { ["PLEXSYNC_RECONCILE_SCHEDULE"] = "off", ["PLEXSYNC_PLAYS_EVERY"] = "off" };

    private static readonly string[] TitleField = ["title"];

    // What `reconcile --all` asks of any build of this design, with the default page size, concurrency and pages per
    // run; every field is given (an empty ID list and entity, no progress yet), so that no build depends on its own
    // defaults for an absent one.
    private static readonly object EveryScene = new Dictionary<string, object>
    {
        ["scope"] = "all",
        ["ids"] = Array.Empty<string>(),
        ["entityId"] = "",
        ["pageSize"] = ReconcileInput.DefaultPageSize,
        ["concurrency"] = ReconcileInput.DefaultConcurrency,
        ["pagesPerRun"] = ReconcileInput.DefaultPagesPerRun,
        ["progress"] = new Dictionary<string, int>(),
    };

    /// <summary>Reconciles <paramref name="scenes"/> changed scenes with a worker that has just started.</summary>
    public async Task<IReadOnlyList<Figure>> FreshAsync(int scenes)
    {
        var scenario = string.Create(CultureInfo.InvariantCulture, $"{scenes:N0} scenes all changed, fresh worker");
        await using var rig = await Rig.StartAsync(build, scenes, Settings, latency);
        var figures = await ReconcileAsync(rig, scenario, "", scenes, changed: true);
        figures.Add(new(scenario, "worker peak RSS", PeakRss(rig.Worker), "MiB"));
        return figures;
    }

    /// <summary>
    /// Three reconciliations of <paramref name="scenes"/> scenes on one worker: all changed (the worker has just
    /// started), all changed again (a warm worker: the steady state), and unchanged.
    /// </summary>
    public async Task<IReadOnlyList<Figure>> ScaleAsync(int scenes)
    {
        var scenario = string.Create(CultureInfo.InvariantCulture, $"{scenes:N0} scenes");
        await using var rig = await Rig.StartAsync(build, scenes, Settings, latency);
        var figures = await ReconcileAsync(rig, scenario, "all changed", scenes, changed: true);
        for (var n = 1; n <= scenes; n++)
        {
            rig.World.Stash.Update(rig.World.Id(n), s => s.Title += " (edited)");
        }

        figures.AddRange(await ReconcileAsync(rig, scenario, "all changed again (warm)", scenes, changed: true));
        figures.AddRange(await ReconcileAsync(rig, scenario, "unchanged (warm)", scenes, changed: false));
        figures.Add(new(scenario, "worker peak RSS", PeakRss(rig.Worker), "MiB"));
        return figures;
    }

    /// <summary>Watches a worker that has nothing to do for <paramref name="window"/>, after it settled; the config's defaults.</summary>
    public async Task<IReadOnlyList<Figure>> IdleAsync(TimeSpan window)
    {
        const string scenario = "idle worker";
        await using var rig = await Rig.StartAsync(build, 0, null, latency);

        // A measurement window, not a wait for a condition: nothing happens in it by design.
        await Task.Delay(window < Settle ? window : Settle);
        var before = LinuxProcesses.CpuTime(rig.Worker.Id);
        await Task.Delay(window);
        var cpu = LinuxProcesses.CpuTime(rig.Worker.Id) - before;
        return
        [
            new(scenario, "worker CPU to start (to its polling log)", rig.StartupCpu.TotalSeconds, "s"),
            new(scenario, "worker CPU per minute", cpu.TotalSeconds / window.TotalMinutes, "s"),
            new(scenario, "worker RSS", LinuxProcesses.RssMiB(rig.Worker.Id) ?? double.NaN, "MiB"),
        ];
    }

    /// <summary>
    /// Edits one scene <paramref name="hooks"/> times, each time running the build's `hook` as Stash would:
    /// the hook process's wall time, the time from its start to the edit being in Plex, and, for the first
    /// hook after the worker started, the time from its sync's start to the edit being in Plex.
    /// </summary>
    public async Task<IReadOnlyList<Figure>> HooksAsync(int hooks)
    {
        var scenario = string.Create(CultureInfo.InvariantCulture, $"{hooks} hooks one after another");
        await using var rig = await Rig.StartAsync(build, 1, Settings, latency, inStep: true);
        var world = rig.World;
        var id = world.Id(1);
        var ratingKey = world.Library.RatingKey(id);
        var sync = rig.Client.GetWorkflowHandle(SceneSyncWorkflow.WorkflowId(id.ToString(CultureInfo.InvariantCulture)));
        var process = new List<TimeSpan>();
        var applied = new List<TimeSpan>();
        var firstSync = TimeSpan.Zero;
        for (var i = 0; i < hooks; i++)
        {
            var title = $"Edit {i}";
            world.Stash.Update(id, s => s.Title = title);
            var clock = Stopwatch.StartNew();
            var (code, output) = await build.Hook.RunAsync(["hook", "--config", world.ConfigPath], TimeSpan.FromMinutes(1), Environment, HookInput(id, title));
            process.Add(clock.Elapsed);
            if (code != 0)
            {
                throw new InvalidOperationException($"{build.Name}: hook exited {code}: {output}");
            }

            await world.Plex.WaitForAsync(() => world.Plex.TryGetItem(ratingKey, out var item) && item.Title == title, TimeSpan.FromMinutes(1));
            applied.Add(clock.Elapsed);
            if (i == 0)
            {
                firstSync = DateTime.UtcNow - (await sync.DescribeAsync()).StartTime;
            }

            // This sync ends before the next edit, so that each hook starts a sync of its own.
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await sync.GetResultAsync<JsonElement>(rpcOptions: new RpcOptions { CancellationToken = cts.Token });
        }

        return
        [
            new(scenario, "hook process p50", Quantile(process, 0.50), "ms"),
            new(scenario, "hook process p99", Quantile(process, 0.99), "ms"),
            new(scenario, "hook start to the edit in Plex p50", Quantile(applied, 0.50), "ms"),
            new(scenario, "hook start to the edit in Plex p99", Quantile(applied, 0.99), "ms"),
            new(scenario, "first sync after the worker starts (its start to the edit in Plex)", firstSync.TotalSeconds, "s"),
        ];
    }

    // One reconciliation of every scene; its wall time is the server's, from its start to its close.
    private async Task<List<Figure>> ReconcileAsync(Rig rig, string scenario, string label, int scenes, bool changed)
    {
        var world = rig.World;
        world.Plex.ResetLog();
        world.Stash.ResetLog();
        var syncsBefore = await CountSyncsAsync(rig);
        var cpuBefore = Cpu.Sample(rig.Worker.Id);
        var handle = await rig.Client.StartWorkflowAsync(
            ReconcileWorkflow.Name, [EveryScene], new WorkflowOptions(ReconcileWorkflow.DefaultId, rig.World.TaskQueue));
        var started = (await handle.DescribeAsync()).StartTime;
        using var cts = new CancellationTokenSource(Limit);
        var progress = await handle.GetResultAsync<JsonElement>(rpcOptions: new RpcOptions { CancellationToken = cts.Token });
        var closed = (await handle.DescribeAsync()).CloseTime ?? DateTime.UtcNow;
        var cpu = Cpu.Sample(rig.Worker.Id) - cpuBefore;
        var wall = closed - started;

        var expected = changed ? scenes : 0;
        var (seen, differed, failed) = (Count(progress, "seen"), Count(progress, "changed"), Count(progress, "failed"));
        if (seen != scenes || differed != expected || failed != 0)
        {
            throw new InvalidOperationException($"{build.Name}: reconciliation ended with {progress}: want {scenes} seen, {expected} changed, none failed");
        }

        var prefix = label.Length > 0 ? label + ": " : "";
        double n = scenes;
        var plexReads = world.Plex.Count("GET");
        List<Figure> figures =
        [
            new(scenario, prefix + "rate", n / wall.TotalSeconds, "scenes/s"),
            new(scenario, prefix + "worker CPU per scene", cpu.Worker.TotalMilliseconds / n, "ms"),
            new(scenario, prefix + "Temporal server CPU per scene", cpu.Server.TotalMilliseconds / n, "ms"),
            new(scenario, prefix + "Plex reads per scene", plexReads / n, ""),
            new(scenario, prefix + "Plex writes per scene", (world.Plex.Requests().Count - plexReads) / n, ""),
            new(scenario, prefix + "Stash requests per scene", world.Stash.Requests().Count / n, ""),
            new(scenario, prefix + "SceneSync workflows per scene", (await CountSyncsAsync(rig) - syncsBefore) / n, ""),
        ];

        // After the counts: checking our build reads the sample's scenes from Stash.
        if (changed)
        {
            // A sample of fifty scenes: exactly as Stash's data calls for, or for another build with Stash's title.
            var sample = Enumerable.Range(1, scenes).Where(i => i % Math.Max(1, scenes / 50) == 1);
            if (build.Ours)
            {
                await world.AssertInStepAsync(sample);
            }
            else
            {
                AssertTitles(world, sample);
            }
        }

        return figures;
    }

    private void AssertTitles(WorkerWorld world, IEnumerable<int> sample)
    {
        foreach (var n in sample)
        {
            var id = world.Id(n);
            if (!world.Stash.TryGetScene(id, out var scene) || !world.Plex.TryGetItem(world.Library.RatingKey(id), out var item) || item.Title != scene.Title)
            {
                throw new InvalidOperationException($"{build.Name}: scene {id}'s Plex item does not have its Stash title");
            }
        }
    }

    private static async Task<long> CountSyncsAsync(Rig rig) =>
        (await rig.Client.CountWorkflowsAsync($"WorkflowType = '{SceneSyncWorkflow.Name}' AND TaskQueue = '{rig.World.TaskQueue}'")).Count;

    // A count of a reconciliation's result, whichever case the build writes its names in.
    private static int Count(JsonElement progress, string name) =>
        progress.EnumerateObject().FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value is { ValueKind: JsonValueKind.Number } value
            ? value.GetInt32()
            : throw new InvalidOperationException($"the reconciliation's result has no count \"{name}\": {progress}");

    private static double PeakRss(PlexSyncProcess worker) => LinuxProcesses.PeakRssMiB(worker.Id) ?? double.NaN;

    /// <summary>The input Stash gives a plugin's hook when a scene's title is edited.</summary>
    private static string HookInput(int id, string title) => JsonSerializer.Serialize(new
    {
        server_connection = new { Scheme = "http", Host = "127.0.0.1", Port = 9999 },
        args = new { hookContext = new { id, type = "Scene.Update.Post", input = new { title }, inputFields = TitleField } },
    });

    private static double Quantile(List<TimeSpan> times, double quantile)
    {
        var sorted = times.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * quantile))].TotalMilliseconds;
    }

    /// <summary>One run's dev server, simulated library and worker.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private Rig(WorkflowEnvironment server, WorkerWorld world)
        {
            Server = server;
            World = world;
        }

        public WorkflowEnvironment Server { get; }

        public WorkerWorld World { get; }

        public ITemporalClient Client => Server.Client;

        public PlexSyncProcess Worker { get; private set; } = null!;

        /// <summary>Gets the worker's CPU time when it logged that it polls.</summary>
        public TimeSpan StartupCpu { get; private set; }

        public static async Task<Rig> StartAsync(BenchBuild build, int scenes, IReadOnlyDictionary<string, string>? settings, TimeSpan latency, bool inStep = false)
        {
            // The default converter reads any build's payloads (results as JsonElement).
            var server = await WorkflowEnvironment.StartLocalAsync(TestServers.Options(dataConverter: DataConverter.Default));
            WorkerWorld world;
            try
            {
                world = await WorkerWorld.StartAsync(server.Client, scenes, settings, UnsharedKeys);
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }

            var rig = new Rig(server, world);
            try
            {
                if (inStep)
                {
                    await world.BringInStepAsync(scenes);
                }

                world.Plex.RequestLatency = latency;
                world.Stash.RequestLatency = latency;
                rig.Worker = await world.StartWorkerAsync(Environment, build.Worker);
                rig.StartupCpu = LinuxProcesses.CpuTime(rig.Worker.Id);
                return rig;
            }
            catch
            {
                await rig.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await World.DisposeAsync();
            await Server.DisposeAsync();
        }
    }
}
