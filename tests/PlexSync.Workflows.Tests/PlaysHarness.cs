using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using PlexSync.Clients;
using PlexSync.Simulators;
using Temporalio.Client;

namespace PlexSync.Workflows.Tests;

/// <summary>
/// A plays test's world: simulated Stash and Plex (a Plex server of its own, so the row workflows' IDs never meet
/// another test's), the real plays activities with real clients, and the two workers of a worker process on a queue
/// of the test's own. Scene IDs start at a base of the test's own.
/// </summary>
public sealed class PlaysHarness : IAsyncDisposable
{
    public const string ApiKey = "plays-stash-key-71c4";
    public const string PlexToken = "plays-plex-token-0e9d";

    /// <summary>The bound of every wait on a workflow.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    private static int nextBase;

    private readonly ITemporalClient client;
    private readonly PlexSectionCache sections = new(TimeProvider.System);
    private readonly PlexServerCache servers = new(TimeProvider.System);
    private readonly TestMeters meters = new();
    private WorkerPair? workers;

    private PlaysHarness(ITemporalClient client, SimulatedLibrary library, SyncSettings settings, TimeSpan stashTimeout)
    {
        this.client = client;
        Library = library;
        Settings = settings;
        var stash = StashClient.Create(new StashClientOptions { Url = library.Stash.BaseAddress, ApiKey = ApiKey, Timeout = stashTimeout });
        var plex = PlexClient.Create(new PlexClientOptions { Url = library.Plex.BaseAddress, Token = PlexToken, Timeout = TimeSpan.FromSeconds(5) });
        Plays = new PlaysActivities(stash, plex, settings, sections, servers, NullLogger<PlaysActivities>.Instance);
        Record = new RecordPlayActivities(stash, NullLogger<RecordPlayActivities>.Instance);
        var planner = new ScenePlanner(stash, plex, settings, sections, new PosterMemory());
        Sync = new SyncActivities(stash, plex, planner, NullLogger<SyncActivities>.Instance);
        Reconcile = new ReconcileActivities(planner, new ReconcileMetrics(meters), NullLogger<ReconcileActivities>.Instance);
    }

    public SimulatedLibrary Library { get; }

    public StashSimulator StashSim => Library.Stash;

    public PlexSimulator PlexSim => Library.Plex;

    public SyncSettings Settings { get; }

    public PlaysActivities Plays { get; }

    public RecordPlayActivities Record { get; }

    public SyncActivities Sync { get; }

    public ReconcileActivities Reconcile { get; }

    public string TaskQueue { get; } = "tq-" + Guid.NewGuid();

    public int Base { get; } = 100_000 * Interlocked.Increment(ref nextBase);

    public string Server => PlexSim.MachineIdentifier;

    /// <summary>Starts the world and its workers; <paramref name="configure"/> changes the settings first (accounts, tuning).</summary>
    public static async Task<PlaysHarness> StartAsync(ITemporalClient client, Func<SyncSettings, SyncSettings>? configure = null, TimeSpan? stashTimeout = null)
    {
        var settings = SyncHarness.SimulatedSettings(configure);
        var library = await SimulatedLibrary.StartAsync(0, ApiKey, PlexToken);
        var harness = new PlaysHarness(client, library, settings, stashTimeout ?? TimeSpan.FromSeconds(5));
        harness.workers = new WorkerPair(
            client,
            harness.TaskQueue,
            settings.Tuning,
            o => o.AddAllActivities(harness.Plays).AddAllActivities(harness.Record).AddAllActivities(harness.Sync).AddAllActivities(harness.Reconcile));
        return harness;
    }

    /// <summary>The Stash ID of the test's n-th scene.</summary>
    public int Id(int n) => Base + n;

    /// <summary>Adds the test's scenes 1..<paramref name="count"/>, each with its Plex item; their updated_at is <paramref name="updatedAt"/> when given.</summary>
    public void AddScenes(int count, DateTimeOffset? updatedAt = null)
    {
        for (var n = 1; n <= count; n++)
        {
            StashSim.Put(SimulatedLibrary.SeedScene(n) with { Id = Id(n) }, updatedAt);
            Library.ScanIntoPlex(Id(n));
        }
    }

    /// <summary>The Plex ratingKey of the test's n-th scene.</summary>
    public int RatingKey(int n) => Library.RatingKey(Id(n));

    /// <summary>A play of scene n in Plex, at <paramref name="viewedAt"/>: a history row; returns its ID.</summary>
    public int Play(int n, long viewedAt, int account = 1) => PlexSim.RecordPlay(RatingKey(n), viewedAt, account);

    /// <summary>Scene n's plays in Stash, as Unix seconds, sorted.</summary>
    public IReadOnlyList<long> StashPlays(int n) => [.. StashSim.PlayHistory(Id(n)).Select(t => t.ToUnixTimeSeconds()).Order()];

    /// <summary>Starts a plays run on the test's queue.</summary>
    public Task<WorkflowHandle<PlaysWorkflow, PlaysResult>> StartAsync(PlaysInput input) =>
        client.StartWorkflowAsync((PlaysWorkflow wf) => wf.RunAsync(input), new WorkflowOptions("plays-" + Guid.NewGuid(), TaskQueue));

    /// <summary>Runs a plays run to its end within <see cref="Limit"/>.</summary>
    public async Task<PlaysResult> RunAsync(PlaysInput input) => await (await StartAsync(input)).GetResultAsync().WaitAsync(Limit);

    /// <summary>The result of a row's RecordPlay workflow.</summary>
    public Task<RecordPlayResult> RowResultAsync(long historyId, long viewedAt) =>
        client.GetWorkflowHandle<RecordPlayWorkflow, RecordPlayResult>(RecordPlayWorkflow.WorkflowId(Server, historyId, viewedAt)).GetResultAsync().WaitAsync(Limit);

    public async ValueTask DisposeAsync()
    {
        if (workers is not null)
        {
            await workers.DisposeAsync();
        }

        sections.Dispose();
        servers.Dispose();
        meters.Dispose();
        await Library.DisposeAsync();
    }

    /// <summary>A number as the invariant culture writes it.</summary>
    public static string Text(long n) => n.ToString(CultureInfo.InvariantCulture);
}
