using System.Diagnostics;
using System.Text.Json;
using PlexSync.Hosting;
using PlexSync.Simulators;
using PlexSync.Workflows;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Client.Schedules;
using Xunit.Abstractions;

namespace PlexSync.FaultTests;

/// <summary>
/// Plays in Plex reach Stash exactly once with everything going wrong at once: the plays schedule a `plexsync worker`
/// created fires twice (runs overlapping), Stash applies every third play it is sent and answers 503, Plex's history
/// shifts while it is paged, and the worker is killed mid-run. Prints its figures.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class PlaysFaultTests(DevServerFixture server, ITestOutputHelper output)
{
    private const int Scenes = 20;
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task FiftyPlays_EveryThirdAnswerLost_HistoryShifting_ScheduleFiredTwice_WorkerKilled_ExactlyFifty_ThenTheNextRunAddsNothing()
    {
        await using var world = await WorkerWorld.StartAsync(server.Client, Scenes, new Dictionary<string, string>
        {
            ["stash.timeout"] = "2s",
            ["plex.timeout"] = "2s",
            ["retry.transient_initial"] = "100ms",
            ["retry.transient_max"] = "1s",
            ["retry.transient_for"] = "3m",
            ["retry.activity_timeout"] = "5s",
            ["plays.every"] = "1h", // the worker creates the schedule; the test fires it
            ["plays.accounts"] = "[1, alice]",
            ["plays.page_size"] = "5",
        });
        world.Plex.AddAccount(23, "alice");
        var first = await world.StartWorkerAsync();

        // After the schedule exists (its first run starts from its creation): 46 plays, scene 5 by two accounts in one
        // second, one file no scene has and one name two scenes have; 2 more plays appear while the history is paged.
        var t0 = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1;
        var expected = Enumerable.Range(1, Scenes).ToDictionary(n => n, _ => new List<long>());
        var rows = new List<int>();
        void Play(int n, long at, int account = 1)
        {
            rows.Add(world.Plex.RecordPlay(world.Library.RatingKey(world.Id(n)), at, account));
            expected[n].Add(at);
        }

        for (var i = 0; i < 46; i++)
        {
            Play(1 + (i % Scenes), t0 + (i * 3));
        }

        Play(5, t0 + 500);
        Play(5, t0 + 500, account: 23);
        var stray = world.Plex.AddItem(SimulatedLibrary.SectionKey, SimulatedLibrary.PlexRoot + "/other/clip.mp4");
        world.Plex.RecordPlay(stray, t0 + 600);
        world.Stash.Put(new StashScene { Id = world.Id(50), Files = ["/srv/a/x.mp4"] });
        world.Stash.Put(new StashScene { Id = world.Id(51), Files = ["/srv/b/x.mp4"] });
        world.Plex.RecordPlay(world.Plex.AddItem(SimulatedLibrary.SectionKey, SimulatedLibrary.PlexRoot + "/new/x.mp4"), t0 + 601);
        world.Plex.OnHistoryRead = page =>
        {
            switch (page)
            {
                case 1:
                    Play(7, t0 + 12); // at the second the next page starts from
                    break;
                case 2:
                    Assert.True(world.Plex.DeleteHistory(rows[0])); // read already, then deleted in Plex: recorded all the same
                    break;
                case 3:
                    Play(9, t0 + 400);
                    break;
                default:
                    break;
            }
        };
        world.Stash.AddFieldFault(new StashFieldFault { Field = "sceneAddPlay", Every = 3 });

        // The schedule fires twice, its runs allowed to overlap. A run's workflow ID ends with the second it was started
        // for, so a second firing within the same second is refused by Temporal: the second one waits for the next second.
        var schedule = server.Client.GetScheduleHandle(PlaysSchedule.Id(world.TaskQueue));
        var firstAt = await TriggerAsync(schedule, 1);
        await Poll.UntilAsync(() => DateTime.UtcNow.Second != firstAt.Second || DateTime.UtcNow - firstAt >= TimeSpan.FromSeconds(1), Limit, "the second after the first firing");
        await TriggerAsync(schedule, 2);

        await world.Stash.WaitForAsync(() => world.Stash.FieldCount("sceneAddPlay") >= 20, TimeSpan.FromMinutes(2));
        var killedAfter = world.Stash.FieldCount("sceneAddPlay");
        await first.SignalAsync("KILL");
        var restarted = Stopwatch.StartNew();
        await world.StartWorkerAsync();
        var results = await CompletedRunsAsync(2);
        var done = restarted.Elapsed;
        world.Plex.OnHistoryRead = null;

        Assert.Equal(50, expected.Values.Sum(v => v.Count));
        foreach (var (n, times) in expected)
        {
            var stash = world.Stash.PlayHistory(world.Id(n)).Select(t => t.ToUnixTimeSeconds()).Order().ToList();
            Assert.True(times.Order().SequenceEqual(stash), $"scene {n}: Stash has [{string.Join(", ", stash)}], Plex [{string.Join(", ", times.Order())}]");
            Assert.True(world.Stash.TryGetScene(world.Id(n), out var scene) && scene.PlayHistory.Count == times.Count);
        }

        var adds = world.Stash.FieldCount("sceneAddPlay");
        var lost = world.Stash.Requests().Count(r => r.Status == 503);
        Assert.Equal(50, adds); // each play sent once: no retry sent it again after its answer was lost
        Assert.True(lost >= 16, $"{lost} answers lost; every third of 50 should have been");
        Assert.Empty(world.Stash.PlayHistory(world.Id(50)).Concat(world.Stash.PlayHistory(world.Id(51))));

        // Nothing unmatched silently: the file no scene has and the name two scenes have are listed with their reasons.
        var listed = await FailedPlaysAsync(world, 2);
        Assert.Contains(listed, p => p.Outcome == PlayOutcomes.Unmatched && p.Reason.Contains("/data/videos/other/clip.mp4", StringComparison.Ordinal));
        Assert.Contains(listed, p => p.Outcome == PlayOutcomes.Ambiguous && p.Reason.Contains("2 Stash scenes have a file named x.mp4", StringComparison.Ordinal));

        // The schedule's next run reads the same history and sends nothing.
        await schedule.TriggerAsync(new ScheduleTriggerOptions { Overlap = ScheduleOverlapPolicy.Skip });
        var next = (await CompletedRunsAsync(3))[^1];
        Assert.Equal(adds, world.Stash.FieldCount("sceneAddPlay"));
        Assert.Equal(0, next.Progress.Added);

        var repaired = results.Sum(r => r.Progress.Repaired);
        Figures.Report(
            output,
            "Plays, 50 across 20 scenes",
            $"{lost} sceneAddPlay answers lost after Stash applied them, {adds} adds sent for 50 plays, 0 duplicates left ({repaired} repaired), " +
            $"schedule fired twice (runs allowed to overlap), worker killed after {killedAfter} adds, done {FaultSuiteTests.Seconds(done)} after the new worker started; " +
            $"next run: 0 sceneAddPlay sent, {next.Progress.AlreadyHandled} rows refused as recorded before");

        // The runs of this world's queue that completed, oldest first, once there are this many.
        async Task<IReadOnlyList<PlaysResult>> CompletedRunsAsync(int count)
        {
            var query = $"WorkflowType = '{PlaysWorkflow.Name}' AND TaskQueue = '{world.TaskQueue}' AND ExecutionStatus = 'Completed'";
            var runs = new List<WorkflowExecution>();
            await Poll.UntilAsync(
                async ct =>
                {
                    runs.Clear();
                    await foreach (var run in server.Client.ListWorkflowsAsync(query, new WorkflowListOptions { Rpc = new RpcOptions { CancellationToken = ct } }))
                    {
                        runs.Add(run);
                    }

                    return runs.Count >= count;
                },
                Limit,
                $"{count} completed plays runs",
                () => $"{runs.Count} completed");
            var ordered = runs.OrderBy(r => r.CloseTime).ToList();
            return await Task.WhenAll(ordered.Select(r => server.Client.GetWorkflowHandle(r.Id, r.RunId).GetResultAsync<PlaysResult>()));
        }
    }

    // Fires the schedule now and waits until it has started its n-th run; returns when that run was started for.
    private static async Task<DateTime> TriggerAsync(ScheduleHandle schedule, int n)
    {
        await schedule.TriggerAsync(new ScheduleTriggerOptions { Overlap = ScheduleOverlapPolicy.AllowAll });
        DateTime at = default;
        await Poll.UntilAsync(
            async _ =>
            {
                var actions = (await schedule.DescribeAsync()).Info.RecentActions;
                at = actions.Select(a => a.ScheduledAt).DefaultIfEmpty().Max();
                return actions.Count >= n;
            },
            Limit,
            $"the schedule's run {n}");
        return at;
    }

    // `plexsync failed --plays --json`, once it lists this many of this world's plays.
    private static async Task<List<(string Outcome, string Reason)>> FailedPlaysAsync(WorkerWorld world, int count)
    {
        List<(string, string)> listed = [];
        await Poll.UntilAsync(
            async _ =>
            {
                await using var run = PlexSyncProcess.Start(["failed", "--plays", "--json", "--config", world.ConfigPath]);
                Assert.True(await run.WaitForExitAsync(TimeSpan.FromMinutes(1)) == 0, run.Output + run.Errors);
                listed = [.. JsonDocument.Parse(run.Output).RootElement.EnumerateArray()
                    .Where(e => e.GetProperty("workflowId").GetString()!.Contains(world.Plex.MachineIdentifier, StringComparison.Ordinal))
                    .Select(e => (e.GetProperty("outcome").GetString()!, e.GetProperty("reason").GetString()!))];
                return listed.Count == count;
            },
            Limit,
            $"{count} failed plays listed",
            () => $"{listed.Count} listed");
        return listed;
    }
}
