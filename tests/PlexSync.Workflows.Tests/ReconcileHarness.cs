using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PlexSync.Clients;
using PlexSync.Domain;
using PlexSync.Simulators;
using Temporalio.Client;

namespace PlexSync.Workflows.Tests;

/// <summary>
/// A reconciliation test's world: simulated Stash and Plex, the real activities (the sync's and the
/// reconciliation's) with real clients, and the two workers of a worker process on a queue of the
/// test's own. Scene IDs start at a base of the test's own, so that the real child IDs
/// (scene-sync/ID) never meet another test's syncs on the shared dev server.
/// </summary>
public sealed class ReconcileHarness : IAsyncDisposable
{
    public const string ApiKey = "reconcile-stash-key-5d1e";
    public const string PlexToken = "reconcile-plex-token-a9b2";

    /// <summary>The bound of every wait on a workflow.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    private static int nextBase;

    private readonly ITemporalClient client;
    private readonly PlexSectionCache sections = new(TimeProvider.System);
    private readonly TestMeters meters = new();
    private readonly SyncActivities earlierWorker;
    private WorkerPair? workers;

    private ReconcileHarness(ITemporalClient client, SimulatedLibrary library, SyncSettings settings)
    {
        this.client = client;
        Library = library;
        Settings = settings;
        var stash = StashClient.Create(new StashClientOptions { Url = library.Stash.BaseAddress, ApiKey = ApiKey, Timeout = TimeSpan.FromSeconds(5) });
        var plex = PlexClient.Create(new PlexClientOptions { Url = library.Plex.BaseAddress, Token = PlexToken, Timeout = TimeSpan.FromSeconds(5) });
        Stash = new RecordingStash(stash);
        // The reconciliation reads its pages through the sync's planner: that is the client to record.
        var planner = new ScenePlanner(Stash, plex, settings, sections, new PosterMemory());
        Sync = new SyncActivities(Stash, plex, planner, NullLogger<SyncActivities>.Instance);
        Reconcile = new ReconcileActivities(planner, new ReconcileMetrics(meters), NullLogger<ReconcileActivities>.Instance);
        earlierWorker = new SyncActivities(stash, plex, new ScenePlanner(stash, plex, settings, sections, new PosterMemory()), NullLogger<SyncActivities>.Instance);
    }

    public SimulatedLibrary Library { get; }

    public StashSimulator StashSim => Library.Stash;

    public PlexSimulator PlexSim => Library.Plex;

    public SyncSettings Settings { get; }

    public SyncActivities Sync { get; }

    public ReconcileActivities Reconcile { get; }

    /// <summary>Gets the Stash client of CheckScenes, which records every page it reads.</summary>
    public RecordingStash Stash { get; }

    public string TaskQueue { get; } = "tq-" + Guid.NewGuid();

    /// <summary>Gets the first scene ID of this test, minus one.</summary>
    public int Base { get; } = 100_000 * Interlocked.Increment(ref nextBase);

    public static async Task<ReconcileHarness> StartAsync(ITemporalClient client)
    {
        var settings = SyncHarness.SimulatedSettings();
        var library = await SimulatedLibrary.StartAsync(0, ApiKey, PlexToken);
        var harness = new ReconcileHarness(client, library, settings);
        harness.StartWorkers();
        return harness;
    }

    /// <summary>The Stash ID of the test's n-th scene.</summary>
    public string Id(int n) => (Base + n).ToString(CultureInfo.InvariantCulture);

    /// <summary>Adds the test's scenes 1..<paramref name="count"/>, each with its Plex item; all share <paramref name="updatedAt"/> when given.</summary>
    public void AddScenes(int count, DateTimeOffset? updatedAt = null)
    {
        for (var n = 1; n <= count; n++)
        {
            StashSim.Put(SimulatedLibrary.SeedScene(n) with { Id = Base + n }, updatedAt);
            Library.ScanIntoPlex(Base + n);
        }
    }

    /// <summary>The Plex ratingKey of the test's n-th scene.</summary>
    public string RatingKey(int n) => Library.RatingKey(Base + n).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Brings the Plex items of scenes 1..<paramref name="count"/> in step directly with the sync's own
    /// activity code, without Temporal (faster than hundreds of syncs), as an earlier worker process
    /// would have (its poster memory is not the workers'), then empties both request logs.
    /// </summary>
    public async Task PreSyncAsync(int count)
    {
        await InStep.BringAsync(earlierWorker, Stash, Settings.Scene, Enumerable.Range(1, count).Select(Id));
        PlexSim.ResetLog();
        StashSim.ResetLog();
    }

    /// <summary>Starts a reconciliation on the test's queue.</summary>
    public Task<WorkflowHandle<ReconcileWorkflow, ReconcileProgress>> StartAsync(ReconcileInput input) =>
        client.StartWorkflowAsync(
            (ReconcileWorkflow wf) => wf.RunAsync(input),
            new WorkflowOptions("reconcile-" + Guid.NewGuid(), TaskQueue));

    /// <summary>Runs a reconciliation to its end within <see cref="Limit"/>.</summary>
    public async Task<ReconcileProgress> RunAsync(ReconcileInput input) =>
        await (await StartAsync(input)).GetResultAsync().WaitAsync(Limit);

    /// <summary>The metadata PUTs Plex received, by ratingKey (the edit names the item in its id parameter).</summary>
    public IReadOnlyDictionary<string, int> EditsByRatingKey() =>
        PlexSim.Requests()
            .Where(r => r.Method == "PUT" && r.Path.StartsWith("/library/sections/", StringComparison.Ordinal))
            .GroupBy(r => r.Query["id"].Single())
            .ToDictionary(g => g.Key, g => g.Count());

    /// <summary>The ratingKeys that received any write (PUT or POST).</summary>
    public IReadOnlySet<string> WrittenRatingKeys() => PlexSim.WrittenRatingKeys();

    /// <summary>The Stash ID of a performer of one of the test's scenes, from Stash's own answer (the client reads names only).</summary>
    public async Task<string> PerformerIdAsync(int n, string name)
    {
        using var http = new HttpClient { BaseAddress = StashSim.BaseAddress };
        http.DefaultRequestHeaders.Add("ApiKey", ApiKey);
        using var response = await http.PostAsJsonAsync("graphql", new { query = $"{{ findScene(id: \"{Id(n)}\") {{ performers {{ id name }} }} }}" });
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return answer.RootElement.GetProperty("data").GetProperty("findScene").GetProperty("performers").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == name).GetProperty("id").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        if (workers is not null)
        {
            await workers.DisposeAsync();
        }

        sections.Dispose();
        meters.Dispose();
        await Library.DisposeAsync();
    }

    // Both workers get both activity classes: the Plex queue runs CheckScenes, match and apply.
    private void StartWorkers() =>
        workers = new WorkerPair(client, TaskQueue, Settings.Tuning, o => o.AddAllActivities(Sync).AddAllActivities(Reconcile));
}

/// <summary>
/// The reconciliation's Stash client with a record of every page read, and a hook that runs after a page
/// was read and before CheckScenes goes on: the test's way to change Stash at a precise point of the run.
/// </summary>
public sealed class RecordingStash(IStashClient inner) : IStashClient
{
    private readonly ConcurrentQueue<ScenesPage> pages = new();

    /// <summary>Gets or sets what runs after each findScenes page (the page's number in the run, from 1, and the page).</summary>
    public Action<int, ScenesPage>? AfterPage { get; set; }

    /// <summary>Gets the pages read so far.</summary>
    public IReadOnlyList<ScenesPage> Pages => [.. pages];

    /// <summary>Gets every scene ID read, with repeats.</summary>
    public IReadOnlyList<string> IdsRead => [.. pages.SelectMany(p => p.Scenes.Select(s => s.Id))];

    public Task<Scene?> FindSceneAsync(string id, CancellationToken cancellationToken) => inner.FindSceneAsync(id, cancellationToken);

    public async Task<ScenesPage> FindScenesAsync(ScenesQuery query, CancellationToken cancellationToken) =>
        Record(await inner.FindScenesAsync(query, cancellationToken));

    public async Task<ScenesPage> FindScenesByIdsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        Record(await inner.FindScenesByIdsAsync(ids, cancellationToken));

    public Task<Screenshot?> ScreenshotAsync(string path, CancellationToken cancellationToken) => inner.ScreenshotAsync(path, cancellationToken);

    public Task<ScenePlays?> ScenePlaysAsync(string sceneId, CancellationToken cancellationToken) => inner.ScenePlaysAsync(sceneId, cancellationToken);

    public Task<ScenesByPath> FindScenesByPathAsync(StashPathQuery query, int page, CancellationToken cancellationToken) =>
        inner.FindScenesByPathAsync(query, page, cancellationToken);

    public Task<PlayHistory> AddPlayAsync(string sceneId, DateTimeOffset at, CancellationToken cancellationToken) => inner.AddPlayAsync(sceneId, at, cancellationToken);

    public Task<PlayHistory> DeletePlaysAsync(string sceneId, IReadOnlyList<DateTimeOffset> times, CancellationToken cancellationToken) =>
        inner.DeletePlaysAsync(sceneId, times, cancellationToken);

    public Task SaveResumeAsync(string sceneId, double seconds, CancellationToken cancellationToken) => inner.SaveResumeAsync(sceneId, seconds, cancellationToken);

    private ScenesPage Record(ScenesPage page)
    {
        pages.Enqueue(page);
        AfterPage?.Invoke(pages.Count, page);
        return page;
    }
}
