using System.Globalization;
using System.Text.Json;
using PlexSync.Hosting;
using PlexSync.Simulators;
using PlexSync.Workflows;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;

namespace PlexSync.Tests.EndToEnd;

/// <summary>
/// `plexsync plays sync`, `failed --plays`, `retry --plays`, the plays rows of `status`, the plays schedule a worker
/// creates and plexsync_plays_total, through the real binary and a `plexsync worker` of a world of their own (its
/// simulators, config and task queue) on the end-to-end server.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class PlaysCommandTests(EndToEndFixture fixture)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task DryRunThenBackfill_FailedListsUnmatchedAndAmbiguous_RetryRecordsTheFixedOne_StatusAndMetricsCount()
    {
        var metricsPort = LocalPorts.Free();
        await using var world = await WorkerWorld.StartAsync(fixture.Client, 3, new Dictionary<string, string>
        {
            ["metrics.listen"] = $"127.0.0.1:{metricsPort}",
        });
        var t = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 7200;
        Play(world, 1, t);
        Play(world, 1, t + 60);
        Play(world, 2, t + 120);
        world.Stash.AddPlays(world.Id(2), DateTimeOffset.FromUnixTimeSeconds(t + 120)); // played in Stash already
        var stray = world.Plex.AddItem(SimulatedLibrary.SectionKey, SimulatedLibrary.PlexRoot + "/other/clip.mp4");
        world.Plex.RecordPlay(stray, t + 180);
        world.Stash.Put(new StashScene { Id = world.Id(50), Files = ["/srv/a/x.mp4"] });
        world.Stash.Put(new StashScene { Id = world.Id(51), Files = ["/srv/b/x.mp4"] });
        var twice = world.Plex.AddItem(SimulatedLibrary.SectionKey, SimulatedLibrary.PlexRoot + "/new/x.mp4");
        world.Plex.RecordPlay(twice, t + 240);
        world.Plex.RecordPlay(world.Library.RatingKey(world.Id(3)), t + 300, accountId: 99); // another account's: Plex leaves it out (accountID=1)

        // No schedule (plays.every is off here): `plays sync` alone says what to do instead.
        var (code, output) = await RunAsync(world, "plays", "sync");
        Assert.True(code == 1, output);
        Assert.True(output.Contains("there is no plays schedule", StringComparison.Ordinal), output);

        (code, output) = await RunAsync(world, "plays", "sync", "--since", "3h", "--dry-run");
        Assert.True(code == 0, output);
        Assert.Contains($"Scene {world.Id(1)}  /data/videos/", output, StringComparison.Ordinal);
        Assert.Contains($"  add      {PlayTimes.Show(t)}, {PlayTimes.Show(t + 60)}", output, StringComparison.Ordinal);
        Assert.Contains($"  present  {PlayTimes.Show(t + 120)}", output, StringComparison.Ordinal);
        Assert.Contains(
            $"Unmatched  Plex item {stray}, played {PlayTimes.Show(t + 180)}: no Stash scene has the file /data/videos/other/clip.mp4 or one named clip.mp4",
            output,
            StringComparison.Ordinal);
        Assert.Contains($"Ambiguous  Plex item {twice}, played {PlayTimes.Show(t + 240)}: 2 Stash scenes have a file named x.mp4", output, StringComparison.Ordinal);
        Assert.Contains(
            "Would add 2 plays to 1 scenes; 1 already present; 1 unmatched; 1 ambiguous; 0 plays of other accounts or sections left alone. Nothing was written.",
            output,
            StringComparison.Ordinal);
        Assert.Equal(0, world.Stash.FieldCount("sceneAddPlay"));

        await world.StartWorkerAsync();
        (code, output) = await RunAsync(world, "plays", "sync", "--since", "3h", "--wait");
        Assert.True(code == 0, output);
        Assert.Matches(@"added to Stash\s+│\s+2\b", output);
        Assert.Matches(@"unmatched \(no Stash scene\)\s+│\s+1\b", output);
        Assert.Contains("plexsync failed --plays", output, StringComparison.Ordinal);
        Assert.Equal([t, t + 60], Plays(world, 1));
        Assert.Equal([t + 120], Plays(world, 2));

        var listed = await FailedPlaysAsync(world, 2);
        Assert.Equal(
            [(PlayOutcomes.Ambiguous, twice.ToString(CultureInfo.InvariantCulture)), (PlayOutcomes.Unmatched, stray.ToString(CultureInfo.InvariantCulture))],
            listed.Select(p => (p.GetProperty("outcome").GetString(), p.GetProperty("ratingKey").GetString())).Order());
        (code, output) = await RunAsync(world, "failed", "--plays");
        Assert.True(code == 0, output);
        Assert.Contains("/data/videos/other/clip.mp4", output, StringComparison.Ordinal);
        Assert.Contains("plexsync retry --plays", output, StringComparison.Ordinal);

        // The file becomes a Stash scene: the retry records its play; the ambiguous one stays as it was.
        world.Stash.Put(new StashScene { Id = world.Id(60), Files = [SimulatedLibrary.StashRoot + "/other/clip.mp4"] });
        (code, output) = await RunAsync(world, "retry", "--plays", "--wait");
        Assert.True(code == 0, output);
        Assert.Contains(": retry started", output, StringComparison.Ordinal);
        Assert.Contains(": added", output, StringComparison.Ordinal);
        Assert.Contains(": ambiguous: 2 Stash scenes have a file named x.mp4", output, StringComparison.Ordinal);
        Assert.Equal([t + 180], world.Stash.PlayHistory(world.Id(60)).Select(p => p.ToUnixTimeSeconds()));
        listed = await FailedPlaysAsync(world, 1);
        Assert.Equal(PlayOutcomes.Ambiguous, listed.Single().GetProperty("outcome").GetString());

        // Status: the backfill as the last run, and the rows of the last 24 h by outcome (each run of a retried row counts).
        await Poll.UntilAsync(async ct => (await StatusPlaysAsync(world)).GetProperty("last24h").GetProperty("added").GetInt32() == 3, Limit, "status listing 3 plays added in the last 24 h");
        var plays = await StatusPlaysAsync(world);
        Assert.Equal(2, plays.GetProperty("lastRun").GetProperty("progress").GetProperty("added").GetInt32());
        Assert.Equal((1, 2), (plays.GetProperty("last24h").GetProperty("unmatched").GetInt32(), plays.GetProperty("last24h").GetProperty("ambiguous").GetInt32()));
        (code, output) = await RunAsync(world, "status");
        Assert.True(code == 0, output);
        Assert.Contains("Plays last run", output, StringComparison.Ordinal);
        Assert.Contains("plexsync failed --plays", output, StringComparison.Ordinal);

        using var http = new HttpClient();
        var scrape = new PrometheusScrape(await http.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics")));
        Assert.Equal(3, scrape.Sum("plexsync_plays_total", "result=added"));
        Assert.Equal(1, scrape.Sum("plexsync_plays_total", "result=unmatched"));
        Assert.Equal(2, scrape.Sum("plexsync_plays_total", "result=ambiguous"));
    }

    [Fact]
    public async Task Worker_CreatesTheSchedule_ItsFirstRunStartsFromNow_TheNextFromTheLastRunsCursor()
    {
        await using var world = await WorkerWorld.StartAsync(fixture.Client, 2, new Dictionary<string, string> { ["plays.every"] = "1h" });
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600;
        Play(world, 1, before);
        await world.StartWorkerAsync();
        var schedule = await fixture.Client.GetScheduleHandle(PlaysSchedule.Id(world.TaskQueue)).DescribeAsync();
        Assert.Equal(PlaysSchedule.DefaultNote, schedule.Schedule.State.Note);
        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1;
        Play(world, 2, after);

        var first = await TriggerAndWaitAsync(world, 1);
        Assert.Equal((1, 1), (first.Progress.Added, first.Progress.Read));
        Assert.Empty(Plays(world, 1)); // viewed before the schedule existed: never taken unasked
        Assert.Equal([after], Plays(world, 2));

        // The next run starts from the cursor the first one returned (the schedule hands it over): it reads the row again
        // within its lookback, knows it, and starts nothing. From the schedule's own first cursor it would read it as new.
        var second = await TriggerAndWaitAsync(world, 2);
        Assert.Equal((0, 0, 0), (second.Progress.Read, second.Progress.Added, second.Progress.AlreadyHandled));
        Assert.Equal(first.Cursor.HighViewedAt, second.Cursor.HighViewedAt);
    }

    private static void Play(WorkerWorld world, int n, long at) => world.Plex.RecordPlay(world.Library.RatingKey(world.Id(n)), at);

    private static List<long> Plays(WorkerWorld world, int n) => [.. world.Stash.PlayHistory(world.Id(n)).Select(p => p.ToUnixTimeSeconds()).Order()];

    private Task<(int ExitCode, string Output)> RunAsync(WorkerWorld world, params string[] args) => fixture.RunAsync([.. args, "--config", world.ConfigPath]);

    // Visibility follows a run's close within moments; waits until `failed --plays` lists this many.
    private async Task<List<JsonElement>> FailedPlaysAsync(WorkerWorld world, int count)
    {
        List<JsonElement> listed = [];
        await Poll.UntilAsync(
            async _ =>
            {
                var (code, output) = await RunAsync(world, "failed", "--plays", "--json");
                Assert.True(code == 0, output);
                listed = [.. JsonDocument.Parse(output).RootElement.EnumerateArray().Select(e => e.Clone()).Where(e => e.GetProperty("workflowId").GetString()!.Contains(world.Plex.MachineIdentifier, StringComparison.Ordinal))];
                return listed.Count == count;
            },
            Limit,
            $"{count} failed plays listed",
            () => $"{listed.Count} listed");
        return listed;
    }

    private async Task<JsonElement> StatusPlaysAsync(WorkerWorld world)
    {
        var (code, output) = await RunAsync(world, "status", "--json");
        Assert.True(code == 0, output);
        return JsonDocument.Parse(output).RootElement.GetProperty("plays").Clone();
    }

    // Triggers the schedule with `plays sync` and waits for the n-th run on the world's queue to complete.
    private async Task<PlaysResult> TriggerAndWaitAsync(WorkerWorld world, int n)
    {
        var (code, output) = await RunAsync(world, "plays", "sync");
        Assert.True(code == 0, output);
        var query = $"WorkflowType = '{PlaysWorkflow.Name}' AND TaskQueue = '{world.TaskQueue}' AND ExecutionStatus = 'Completed'";
        WorkflowExecution? newest = null;
        await Poll.UntilAsync(
            async ct =>
            {
                var runs = new List<WorkflowExecution>();
                await foreach (var run in fixture.Client.ListWorkflowsAsync(query, new WorkflowListOptions { Rpc = new RpcOptions { CancellationToken = ct } }))
                {
                    runs.Add(run);
                }

                newest = runs.OrderByDescending(r => r.CloseTime).FirstOrDefault();
                return runs.Count == n;
            },
            Limit,
            $"{n} completed plays runs");
        Assert.Equal(WorkflowExecutionStatus.Completed, newest!.Status);
        return await fixture.Client.GetWorkflowHandle(newest.Id, newest.RunId).GetResultAsync<PlaysResult>();
    }
}
