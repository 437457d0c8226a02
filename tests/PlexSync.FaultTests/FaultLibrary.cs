using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using PlexSync.Clients;
using PlexSync.Configuration;
using PlexSync.Simulators;
using PlexSync.Workflows;
using Temporalio.Client;

namespace PlexSync.FaultTests;

/// <summary>
/// One scenario's world (Go: tests/reliability): 240 scenes whose Plex items are in step, every
/// fourth then edited in Stash (details, a tag, the cover), a config file for them, and `plexsync
/// worker` processes on a task queue of the scenario's own. Scene IDs start at a base of its own, so
/// that the real sync IDs (scene-sync/ID) never meet another scenario's on the shared server.
/// </summary>
public sealed class FaultLibrary : IAsyncDisposable
{
    public const int Scenes = 240;
    public const int Edited = Scenes / 4;
    public const string ApiKey = "fault-stash-key-3c8e";
    public const string PlexToken = "fault-plex-token-e41b";

    /// <summary>The bound of a reconciliation under a fault.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    private static int nextBase;

    private readonly string directory = Directory.CreateTempSubdirectory("plexsync-fault-").FullName;
    private readonly List<PlexSyncProcess> workers = [];
    private readonly SimulatedLibrary library;
    private readonly PlexSectionCache sections = new(TimeProvider.System);

    private FaultLibrary(ITemporalClient client, SimulatedLibrary library)
    {
        Client = client;
        this.library = library;
    }

    public ITemporalClient Client { get; set; }

    public StashSimulator Stash => library.Stash;

    public PlexSimulator Plex => library.Plex;

    public string TaskQueue { get; } = "fault-" + Guid.NewGuid().ToString("N")[..8];

    public int Base { get; } = 1_000_000 * Interlocked.Increment(ref nextBase);

    public string ConfigPath => Path.Combine(directory, "plexsync.yaml");

    public PlexSyncConfig Config { get; private set; } = new();

    /// <summary>Every worker's log so far.</summary>
    public IEnumerable<(string Name, string Text)> WorkerLogs =>
        workers.Select((w, i) => ($"the log of worker {i + 1}", w.Output + w.Errors));

    /// <summary>Starts the simulators, brings all scenes in step, edits every fourth (unless told not to), and empties Plex's log.</summary>
    /// <param name="client">The server's client; the worker's config points at its address.</param>
    /// <param name="breaker">False sets the breaker's threshold out of reach, for the comparison figure.</param>
    /// <param name="editQuarter">False leaves Stash in step with Plex, for scenarios that make their own edits.</param>
    public static async Task<FaultLibrary> StartAsync(ITemporalClient client, bool breaker = true, bool editQuarter = true)
    {
        ArgumentNullException.ThrowIfNull(client);
        var fault = new FaultLibrary(client, await SimulatedLibrary.StartAsync(0, ApiKey, PlexToken));
        for (var n = 1; n <= Scenes; n++)
        {
            fault.library.AddScene(SimulatedLibrary.SeedScene(n) with { Id = fault.Base + n }, inPlex: true);
        }

        await File.WriteAllTextAsync(fault.ConfigPath, fault.ConfigYaml(breaker));
        fault.Config = ConfigLoader.Load(fault.ConfigPath, _ => null, needPlex: true);
        await fault.BringInStepAsync();
        for (var n = 4; editQuarter && n <= Scenes; n += 4)
        {
            fault.Stash.Update(fault.Base + n, s =>
            {
                s.Details += " (edited)";
                s.Tags.Add("Edited");
                s.ImageVersion++;
            });
        }

        fault.Plex.ResetLog();
        return fault;
    }

    /// <summary>The Stash ID of the scenario's n-th scene.</summary>
    public int Id(int n) => Base + n;

    /// <summary>The Plex ratingKey of the scenario's n-th scene.</summary>
    public string RatingKey(int n) => library.RatingKey(Id(n)).ToString(CultureInfo.InvariantCulture);

    /// <summary>Starts `plexsync worker` on the scenario's config and waits until it polls.</summary>
    public async Task<PlexSyncProcess> StartWorkerAsync()
    {
        var worker = PlexSyncProcess.Start(["worker", "--config", ConfigPath]);
        workers.Add(worker);
        await worker.WaitForLogAsync("Worker polling", TimeSpan.FromMinutes(1));
        return worker;
    }

    /// <summary>Starts a reconciliation of every scene, in pages of 40, three pages a run, eight syncs at a time.</summary>
    public Task<WorkflowHandle<ReconcileWorkflow, ReconcileProgress>> StartReconcileAsync() =>
        Client.StartWorkflowAsync(
            (ReconcileWorkflow wf) => wf.RunAsync(new ReconcileInput { PageSize = 40, PagesPerRun = 3, Concurrency = 8 }),
            new WorkflowOptions($"{ReconcileWorkflow.DefaultId}@{TaskQueue}", TaskQueue));

    /// <summary>Waits for the reconciliation's result, through the scenario's current client.</summary>
    public async Task<ReconcileProgress> ResultAsync()
    {
        using var cts = new CancellationTokenSource(Limit);
        return await Client.GetWorkflowHandle<ReconcileWorkflow, ReconcileProgress>($"{ReconcileWorkflow.DefaultId}@{TaskQueue}")
            .GetResultAsync(rpcOptions: new RpcOptions { CancellationToken = cts.Token });
    }

    /// <summary>Waits until Plex has received <paramref name="count"/> writes: the run is under way.</summary>
    public Task WhenWrittenAsync(int count) => Plex.WaitForAsync(() => Plex.Writes() >= count, TimeSpan.FromMinutes(2));

    /// <summary>
    /// The end of every scenario: every item in step (no field off, no duplicate tag), each edited
    /// item's new cover uploaded once, no unedited item written, and the progress adding up.
    /// </summary>
    public async Task AssertInvariantAsync(ReconcileProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        await AssertInStepAsync(Enumerable.Range(1, Scenes));
        for (var n = 4; n <= Scenes; n += 4)
        {
            // One upload brought it in step before the run, one more for the edited cover.
            Assert.True(Plex.TryGetItem(library.RatingKey(Id(n)), out var item) && item.Uploads == 2, $"scene {Id(n)}'s new cover was uploaded more than once");
        }

        var edited = Enumerable.Range(1, Scenes).Where(n => n % 4 == 0).Select(n => RatingKey(n)).ToHashSet();
        var stray = Plex.WrittenRatingKeys().Except(edited).ToList();
        Assert.True(stray.Count == 0, $"items of unedited scenes were written: {string.Join(", ", stray)}");
        Assert.True(
            progress is { Seen: Scenes, Changed: Edited, Failed: 0 } && progress.Synced + progress.Unchanged + progress.InProgress == Edited,
            $"progress {progress}: want {Scenes} seen, {Edited} changed, all synced or unchanged, none failed");
    }

    /// <summary>Checks that these scenes' items hold what Stash's data calls for.</summary>
    public async Task AssertInStepAsync(IEnumerable<int> scenes)
    {
        ArgumentNullException.ThrowIfNull(scenes);
        var stash = StashClient.Create(Config.ToStashClientOptions());
        var options = Config.ToSceneOptions();
        foreach (var n in scenes)
        {
            await InStep.AssertAsync(library, stash, options, Id(n));
        }
    }

    /// <summary>No credential in any history of the scenario's workflows or in any worker's log.</summary>
    public async Task AssertNoCredentialsAsync()
    {
        var histories = await Credentials.HistoriesAsync(Client, "the fault server", $"TaskQueue = '{TaskQueue}'");
        Assert.NotEmpty(histories);
        var findings = Credentials.Find(
            histories.Concat(WorkerLogs),
            new Dictionary<string, string> { [ApiKey] = "the Stash API key", [PlexToken] = "the Plex token" });
        Assert.True(findings.Count == 0, "a credential leaked:\n" + string.Join('\n', findings));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in workers)
        {
            await worker.DisposeAsync();
        }

        sections.Dispose();
        await library.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }


    private async Task BringInStepAsync()
    {
        var stash = StashClient.Create(Config.ToStashClientOptions());
        var plex = PlexClient.Create(Config.ToPlexClientOptions());
        var settings = Config.ToSyncSettings();
        var sync = new SyncActivities(stash, plex, settings, sections, NullLogger<SyncActivities>.Instance);
        await InStep.BringAsync(sync, stash, settings.Scene, Enumerable.Range(1, Scenes).Select(n => Id(n).ToString(CultureInfo.InvariantCulture)));
    }

    // Short cool-downs and timeouts, so that scenarios finish in seconds, with the production policies' shape.
    private string ConfigYaml(bool breaker) => string.Create(CultureInfo.InvariantCulture, $"""
        stash:
          url: {Stash.BaseAddress}
          api_key: {ApiKey}
          timeout: 2s
        plex:
          url: {Plex.BaseAddress}
          token: {PlexToken}
          sections: [{SimulatedLibrary.SectionTitle}]
          timeout: 2s
          breaker_failures: {(breaker ? 5 : 1_000_000)}
          breaker_cooldown: 1s
        path_mappings:
          - from: {SimulatedLibrary.StashRoot}
            to: {SimulatedLibrary.PlexRoot}
        collection_sources: [studio, groups]
        temporal:
          address: {Client.Connection.Options.TargetHost}
          namespace: default
          task_queue: {TaskQueue}
        retry:
          transient_initial: 100ms
          transient_max: 1s
          transient_for: 3m
          not_in_plex_initial: 200ms
          not_in_plex_max: 1s
          not_in_plex_for: 3m
          activity_timeout: 5s
        reconcile:
          schedule: "off"
        spool_path: {Path.Combine(directory, "spool.jsonl")}
        """);
}
