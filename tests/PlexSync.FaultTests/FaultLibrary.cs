using PlexSync.Simulators;
using PlexSync.Workflows;
using Temporalio.Client;

namespace PlexSync.FaultTests;

/// <summary>
/// One scenario's world: 240 scenes whose Plex items are in step, every
/// fourth then edited in Stash (details, a tag, the cover), and `plexsync worker` processes with
/// short timeouts and cool-downs, so that scenarios finish in seconds with the production policies' shape.
/// </summary>
public sealed class FaultLibrary : IAsyncDisposable
{
    public const int Scenes = 240;
    public const int Edited = Scenes / 4;

    /// <summary>The bound of a reconciliation under a fault.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    private FaultLibrary(WorkerWorld world) => World = world;

    public WorkerWorld World { get; }

    public ITemporalClient Client
    {
        get => World.Client;
        set => World.Client = value;
    }

    public StashSimulator Stash => World.Stash;

    public PlexSimulator Plex => World.Plex;

    public string TaskQueue => World.TaskQueue;

    private string ReconcileId => $"{ReconcileWorkflow.DefaultId}@{TaskQueue}";

    /// <summary>Starts the world, brings all scenes in step, edits every fourth (unless told not to), and empties Plex's log.</summary>
    /// <param name="client">The server's client; the worker's config points at its address.</param>
    /// <param name="breaker">False sets the breaker's threshold out of reach, for the comparison figure.</param>
    /// <param name="editQuarter">False leaves Stash in step with Plex, for scenarios that make their own edits.</param>
    public static async Task<FaultLibrary> StartAsync(ITemporalClient client, bool breaker = true, bool editQuarter = true)
    {
        var world = await WorkerWorld.StartAsync(client, Scenes, new Dictionary<string, string>
        {
            ["stash.timeout"] = "2s",
            ["plex.timeout"] = "2s",
            ["plex.breaker_failures"] = breaker ? "5" : "1000000",
            ["plex.breaker_cooldown"] = "1s",
            ["retry.transient_initial"] = "100ms",
            ["retry.transient_max"] = "1s",
            ["retry.transient_for"] = "3m",
            ["retry.not_in_plex_initial"] = "200ms",
            ["retry.not_in_plex_max"] = "1s",
            ["retry.not_in_plex_for"] = "3m",
            ["retry.activity_timeout"] = "5s",
        });
        await world.BringInStepAsync(Scenes);
        for (var n = 4; editQuarter && n <= Scenes; n += 4)
        {
            world.Stash.Update(world.Id(n), s =>
            {
                s.Details += " (edited)";
                s.Tags.Add("Edited");
                s.ImageVersion++;
            });
        }

        world.Plex.ResetLog();
        return new FaultLibrary(world);
    }

    public int Id(int n) => World.Id(n);

    public string RatingKey(int n) => World.RatingKey(n);

    public Task<PlexSyncProcess> StartWorkerAsync() => World.StartWorkerAsync();

    public Task AssertInStepAsync(IEnumerable<int> scenes) => World.AssertInStepAsync(scenes);

    /// <summary>Starts a reconciliation of every scene, in pages of 40, three pages a run, eight syncs at a time.</summary>
    private Task<WorkflowHandle<ReconcileWorkflow, ReconcileProgress>> StartReconcileAsync() =>
        Client.StartWorkflowAsync(
            (ReconcileWorkflow wf) => wf.RunAsync(new ReconcileInput { PageSize = 40, PagesPerRun = 3, Concurrency = 8 }),
            new WorkflowOptions(ReconcileId, TaskQueue));

    /// <summary>Waits for the reconciliation's result, through the scenario's current client.</summary>
    public async Task<ReconcileProgress> ResultAsync()
    {
        using var cts = new CancellationTokenSource(Limit);
        return await Client.GetWorkflowHandle<ReconcileWorkflow, ReconcileProgress>(ReconcileId)
            .GetResultAsync(rpcOptions: new RpcOptions { CancellationToken = cts.Token });
    }

    /// <summary>Starts a worker and the reconciliation, and returns the worker once Plex has received <paramref name="writes"/> writes: the run is under way.</summary>
    public async Task<PlexSyncProcess> RunUntilWrittenAsync(int writes)
    {
        var worker = await StartWorkerAsync();
        await StartReconcileAsync();
        await WhenWrittenAsync(writes);
        return worker;
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
        var edited = Enumerable.Range(1, Scenes).Where(n => n % 4 == 0).ToList();
        foreach (var n in edited)
        {
            // One upload brought it in step before the run, one more for the edited cover.
            Assert.True(
                Plex.TryGetItem(World.Library.RatingKey(Id(n)), out var item) && item.Uploads == 2,
                $"scene {Id(n)}'s new cover was uploaded more than once");
        }

        var stray = Plex.WrittenRatingKeys().Except(edited.Select(RatingKey)).ToList();
        Assert.True(stray.Count == 0, $"items of unedited scenes were written: {string.Join(", ", stray)}");
        Assert.True(
            progress is { Seen: Scenes, Changed: Edited, Failed: 0 } && progress.Synced + progress.Unchanged + progress.InProgress == Edited,
            $"progress {progress}: want {Scenes} seen, {Edited} changed, all synced or unchanged, none failed");
    }

    /// <summary>No credential in any history of the scenario's workflows or in any worker's log.</summary>
    public async Task AssertNoCredentialsAsync()
    {
        var histories = await Credentials.HistoriesAsync(Client, "the fault server", $"TaskQueue = '{TaskQueue}'");
        Assert.NotEmpty(histories);
        var findings = Credentials.Find(histories.Concat(World.WorkerLogs), WorkerWorld.Secrets);
        Assert.True(findings.Count == 0, "a credential leaked:\n" + string.Join('\n', findings));
    }

    public ValueTask DisposeAsync() => World.DisposeAsync();
}
