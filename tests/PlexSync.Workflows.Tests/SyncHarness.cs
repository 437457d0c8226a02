using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using PlexSync.Clients;
using PlexSync.Domain;
using PlexSync.Simulators;
using Temporalio.Activities;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker.Interceptors;

namespace PlexSync.Workflows.Tests;

/// <summary>
/// One end-to-end test's world: a simulated Stash and Plex, the real <see cref="SyncActivities"/>
/// with real clients pointed at them, and the two workers a worker process runs (the workflow
/// queue and its Plex queue) on a task queue of the test's own, against the shared dev server.
/// </summary>
public sealed class SyncHarness : IAsyncDisposable
{
    /// <summary>The credentials of every harness; no error message or history may carry them.</summary>
    public const string ApiKey = "e2e-stash-api-key-0f3a";

    public const string PlexToken = "e2e-plex-token-77c1";

    /// <summary>Short retries instead of a time-skipping server: tens to hundreds of milliseconds.</summary>
    public static readonly RetryTuning ShortTuning = new()
    {
        TransientInitial = TimeSpan.FromMilliseconds(50),
        TransientMax = TimeSpan.FromMilliseconds(200),
        TransientFor = TimeSpan.FromSeconds(30),
        NotInPlexInitial = TimeSpan.FromMilliseconds(200),
        NotInPlexMax = TimeSpan.FromMilliseconds(400),
        NotInPlexFor = TimeSpan.FromSeconds(30),
        ActivityTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>The bound of every wait of a test on a workflow or a simulator.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(45);

    private readonly ITemporalClient client;
    private readonly PlexSectionCache sections = new(TimeProvider.System);
    private readonly ConcurrentDictionary<string, List<DateTimeOffset>> starts = new(StringComparer.Ordinal);
    private WorkerPair? workers;

    private SyncHarness(ITemporalClient client, SimulatedLibrary library, SyncSettings settings)
    {
        this.client = client;
        Library = library;
        Settings = settings;
        Stash = StashClient.Create(new StashClientOptions { Url = library.Stash.BaseAddress, ApiKey = ApiKey, Timeout = TimeSpan.FromSeconds(5) });
        var plex = PlexClient.Create(new PlexClientOptions { Url = library.Plex.BaseAddress, Token = PlexToken, Timeout = TimeSpan.FromSeconds(5) });
        Planner = new ScenePlanner(Stash, plex, settings, sections, Posters);
        Activities = new SyncActivities(Stash, plex, Planner, NullLogger<SyncActivities>.Instance);
    }

    public SimulatedLibrary Library { get; }

    public StashSimulator StashSim => Library.Stash;

    public PlexSimulator PlexSim => Library.Plex;

    public SyncSettings Settings { get; }

    public SyncActivities Activities { get; }

    /// <summary>Gets the activities' planner: the sync's steps before any write.</summary>
    public ScenePlanner Planner { get; }

    /// <summary>Gets the worker's memory of the posters it checked.</summary>
    public PosterMemory Posters { get; } = new();

    /// <summary>Gets a Stash client of the test's own, to read scenes as the worker does.</summary>
    public StashClient Stash { get; }

    public string TaskQueue { get; } = "tq-" + Guid.NewGuid();

    /// <summary>
    /// Gets or sets what runs as each activity attempt starts, before its body (activity name and attempt):
    /// the test's hook into the sync at a precise step.
    /// </summary>
    public Func<string, int, Task>? BeforeActivity { get; set; }

    /// <summary>The settings of a test against the simulated library (its section, its path mapping, short retries), changed by <paramref name="configure"/>.</summary>
    public static SyncSettings SimulatedSettings(Func<SyncSettings, SyncSettings>? configure = null)
    {
        var settings = new SyncSettings
        {
            Sections = [SimulatedLibrary.SectionTitle],
            Mappings = new PathMappings([new PathMapping(SimulatedLibrary.StashRoot, SimulatedLibrary.PlexRoot)]),
            Tuning = ShortTuning,
        };
        return configure?.Invoke(settings) ?? settings;
    }

    /// <summary>Starts a library with <paramref name="scenes"/> seeded scenes and the workers.</summary>
    /// <param name="client">The shared dev server's client.</param>
    /// <param name="scenes">How many scenes to seed, each with its Plex item.</param>
    /// <param name="configure">Changes the settings (e.g. the sections, the tuning) before the workers start.</param>
    public static async Task<SyncHarness> StartAsync(ITemporalClient client, int scenes, Func<SyncSettings, SyncSettings>? configure = null)
    {
        var settings = SimulatedSettings(configure);
        var library = await SimulatedLibrary.StartAsync(scenes, ApiKey, PlexToken);
        var harness = new SyncHarness(client, library, settings);
        harness.StartWorkers();
        return harness;
    }

    /// <summary>When each attempt of an activity started, oldest first.</summary>
    public IReadOnlyList<DateTimeOffset> Attempts(string activity)
    {
        var list = starts.GetValueOrDefault(activity);
        if (list is null)
        {
            return [];
        }

        lock (list)
        {
            return [.. list];
        }
    }

    /// <summary>The workflow ID of a scene's sync in this test: the real one, made unique to the test's queue.</summary>
    public string WorkflowId(int sceneId) => SceneSyncWorkflow.WorkflowId(Id(sceneId)) + "@" + TaskQueue;

    /// <summary>Starts a scene's sync with the start options every client start shares.</summary>
    public Task<WorkflowHandle<SceneSyncWorkflow, SceneSyncResult>> StartAsync(int sceneId, PlexMatch? match = null, string reason = SyncReasons.Manual)
    {
        var id = Id(sceneId);
        var options = SyncStarter.Options(TaskQueue, id, reason);
        options.Id = WorkflowId(sceneId);
        return client.StartWorkflowAsync((SceneSyncWorkflow wf) => wf.RunAsync(new SceneSyncInput(id, reason, match)), options);
    }

    /// <summary>Runs a scene's sync to its end; fails the test when it fails or does not end within <see cref="Limit"/>.</summary>
    public async Task<SceneSyncResult> SyncAsync(int sceneId, PlexMatch? match = null)
    {
        var handle = await StartAsync(sceneId, match);
        return await handle.GetResultAsync().WaitAsync(Limit);
    }

    /// <summary>Runs a scene's sync that must fail and returns the failure the workflow failed with.</summary>
    public async Task<ApplicationFailureException> FailAsync(int sceneId)
    {
        var handle = await StartAsync(sceneId);
        var error = await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync().WaitAsync(Limit));
        return Assert.IsType<ApplicationFailureException>(error.InnerException);
    }

    /// <summary>The requests that changed something in Plex.</summary>
    public int PlexWrites() => PlexSim.Writes();

    /// <summary>Checks that a scene's Plex item holds what Stash's data calls for.</summary>
    public Task AssertInStepAsync(int sceneId) => InStep.AssertAsync(Library, Stash, Settings.Scene, sceneId);

    public async ValueTask DisposeAsync()
    {
        if (workers is not null)
        {
            await workers.DisposeAsync();
        }

        sections.Dispose();
        await Library.DisposeAsync();
    }

    private static string Id(int sceneId) => sceneId.ToString(CultureInfo.InvariantCulture);

    private void StartWorkers() =>
        workers = new WorkerPair(client, TaskQueue, Settings.Tuning, o =>
        {
            o.Interceptors = [new StartHook(this)];
            return o.AddAllActivities(Activities);
        });

    private async Task StartedAsync(string activity, int attempt)
    {
        var list = starts.GetOrAdd(activity, _ => []);
        lock (list)
        {
            list.Add(DateTimeOffset.UtcNow);
        }

        if (BeforeActivity is { } hook)
        {
            await hook(activity, attempt);
        }
    }

    // Records each attempt and runs the test's hook before the activity's body.
    private sealed class StartHook(SyncHarness harness) : IWorkerInterceptor
    {
        public ActivityInboundInterceptor InterceptActivity(ActivityInboundInterceptor nextInterceptor) => new Inbound(nextInterceptor, harness);

        private sealed class Inbound(ActivityInboundInterceptor next, SyncHarness harness) : ActivityInboundInterceptor(next)
        {
            public override async Task<object?> ExecuteActivityAsync(ExecuteActivityInput input)
            {
                var info = ActivityExecutionContext.Current.Info;
                await harness.StartedAsync(info.ActivityType, info.Attempt);
                return await base.ExecuteActivityAsync(input);
            }
        }
    }
}
