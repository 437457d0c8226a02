using PlexSync.Simulators;

namespace PlexSync.Workflows.Tests;

/// <summary>
/// The plays workflows with the real activities and clients against the simulated Stash and Plex, on the real dev
/// server: every Plex play reaches Stash exactly once, at its time, whatever is lost or repeated on the way.
/// </summary>
[Collection(DevServerCollection.Name)]
public sealed class PlaysWorkflowTests(DevServerFixture server)
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    [Fact]
    public async Task FiftyPlaysOfTwentyScenes_EveryThirdAnswerLost_PagesShifting_TwoRunsAtOnce_ExactlyFifty_ThenASecondRunAddsNothing()
    {
        await using var h = await PlaysHarness.StartAsync(server.Client);
        h.AddScenes(20);
        var t0 = Now - 7200;
        var expected = Enumerable.Range(1, 20).ToDictionary(n => n, _ => new List<long>());
        var ids = new List<int>();
        void Play(int n, long at)
        {
            ids.Add(h.Play(n, at));
            expected[n].Add(at);
        }

        // 44 rows now (scene 1 three times, at different times), 6 more while the runs page.
        for (var i = 0; i < 44; i++)
        {
            Play(1 + (i % 20), t0 + (i * 7));
        }

        h.PlexSim.OnHistoryRead = page =>
        {
            switch (page)
            {
                case 1:
                    Play(7, t0 + 28); // at the second the next page starts from
                    Play(8, t0 + 3); // late: before what was read, within the lookback
                    Assert.True(h.PlexSim.DeleteHistory(ids[1])); // read already (and recorded), then deleted in Plex
                    break;
                case 3:
                    Play(9, t0 + 400);
                    Play(10, t0 + 401);
                    Play(11, t0 + 401);
                    break;
                case 5:
                    Play(12, t0 + 5);
                    break;
                default:
                    break;
            }
        };
        h.StashSim.AddFieldFault(new StashFieldFault { Field = "sceneAddPlay", Every = 3 });
        var input = new PlaysInput { Cursor = PlaysCursor.From(DateTimeOffset.FromUnixTimeSeconds(t0 - 10)), PageSize = 5, Concurrency = 4 };

        // Two runs over the same rows at once, as a schedule fired twice would start them; then the next run from the
        // first one's cursor, which finds the late rows by its lookback.
        var runs = await Task.WhenAll(h.RunAsync(input), h.RunAsync(input));
        var next = await h.RunAsync(input with { Cursor = runs[0].Cursor });
        h.PlexSim.OnHistoryRead = null;

        Assert.Equal(50, expected.Values.Sum(v => v.Count));
        foreach (var (n, times) in expected)
        {
            Assert.True(times.Order().SequenceEqual(h.StashPlays(n)), $"scene {n}: Stash has [{string.Join(", ", h.StashPlays(n))}], Plex [{string.Join(", ", times.Order())}]");
            Assert.True(h.StashSim.TryGetScene(h.Id(n), out var scene) && scene.PlayHistory.Count == times.Count);
        }

        var all = runs.Append(next).Select(r => r.Progress).ToList();
        Assert.Equal(50, all.Sum(p => p.Added));
        Assert.Equal(0, all.Sum(p => p.Unmatched + p.Ambiguous + p.Failed + p.Repaired));

        // Each of the 50 adds reached Stash once; a third of their answers were lost, and no retry added again.
        Assert.Equal(50, h.StashSim.FieldCount("sceneAddPlay"));

        // Plex has 49 of the rows now (one was deleted after it was recorded): each is refused by its workflow ID.
        var again = await h.RunAsync(input);
        Assert.Equal(50, h.StashSim.FieldCount("sceneAddPlay"));
        Assert.Equal((0, 49), (again.Progress.Added, again.Progress.AlreadyHandled));
    }

    [Fact]
    public async Task OneSceneAtTwoTimes_AndTwoAccountsInOneSecond_AreEachAPlay_OtherAccountsLeftAlone()
    {
        await using var h = await PlaysHarness.StartAsync(server.Client, s => s with { Plays = new PlaysSettings { Accounts = ["1", "alice"] } });
        h.PlexSim.AddAccount(23, "alice");
        h.PlexSim.AddAccount(99, "bob");
        h.AddScenes(2);
        var t = Now - 3600;
        h.Play(1, t);
        h.Play(1, t + 100);
        h.Play(1, t + 200, account: 23);
        h.Play(1, t + 200);
        h.Play(2, t + 50, account: 23);
        h.Play(2, t + 60, account: 99);

        // The first add's answer is lost: the pair at t + 200 must still end as two plays, not one or three.
        h.StashSim.AddFieldFault(new StashFieldFault { Field = "sceneAddPlay", Times = 1 });
        var result = await h.RunAsync(new PlaysInput { Cursor = PlaysCursor.From(DateTimeOffset.FromUnixTimeSeconds(t - 1)), PageSize = 2 });

        Assert.Equal([t, t + 100, t + 200, t + 200], h.StashPlays(1));
        Assert.Equal([t + 50], h.StashPlays(2));
        Assert.Equal((5, 1), (result.Progress.Added, result.Progress.OutOfScope));
        Assert.Equal(5, h.StashSim.FieldCount("sceneAddPlay"));
    }

    [Fact]
    public async Task UnmatchedAmbiguousAndDeletedItems_CompleteWithTheirReasons()
    {
        await using var h = await PlaysHarness.StartAsync(server.Client);
        h.AddScenes(1);
        var t = Now - 3600;
        var stray = h.PlexSim.AddItem(SimulatedLibrary.SectionKey, SimulatedLibrary.PlexRoot + "/other/clip.mp4");
        h.StashSim.Put(new StashScene { Id = h.Id(50), Files = ["/srv/a/x.mp4"] });
        h.StashSim.Put(new StashScene { Id = h.Id(51), Files = ["/srv/b/x.mp4"] });
        var twice = h.PlexSim.AddItem(SimulatedLibrary.SectionKey, SimulatedLibrary.PlexRoot + "/new/x.mp4");
        var gone = h.PlexSim.AddItem(SimulatedLibrary.SectionKey, SimulatedLibrary.PlexRoot + "/gone.mp4");
        var unmatched = h.PlexSim.RecordPlay(stray, t);
        var ambiguous = h.PlexSim.RecordPlay(twice, t + 1);
        var deleted = h.PlexSim.RecordPlay(gone, t + 2);
        h.PlexSim.RemoveItem(gone);
        h.Play(1, t + 3);

        var result = await h.RunAsync(new PlaysInput { Cursor = PlaysCursor.From(DateTimeOffset.FromUnixTimeSeconds(t - 1)) });

        Assert.Equal((1, 2, 1, 0), (result.Progress.Added, result.Progress.Unmatched, result.Progress.Ambiguous, result.Progress.Failed));
        var noScene = await h.RowResultAsync(unmatched, t);
        Assert.Equal(PlayOutcomes.Unmatched, noScene.Outcome);
        Assert.Equal("no Stash scene has the file /data/videos/other/clip.mp4 or one named clip.mp4 (check path_mappings)", noScene.Reason);
        var several = await h.RowResultAsync(ambiguous, t + 1);
        Assert.Equal(PlayOutcomes.Ambiguous, several.Outcome);
        Assert.Contains($"scene {h.Id(50)} (/srv/a/x.mp4), scene {h.Id(51)} (/srv/b/x.mp4)", several.Reason, StringComparison.Ordinal);
        var itemGone = await h.RowResultAsync(deleted, t + 2);
        Assert.Equal(PlayOutcomes.Unmatched, itemGone.Outcome);
        Assert.Contains("no longer exists", itemGone.Reason, StringComparison.Ordinal);
        Assert.Empty(h.StashSim.PlayHistory(h.Id(50)));
        Assert.Empty(h.StashSim.PlayHistory(h.Id(51)));
    }

    [Fact]
    public async Task AddAppliedAfterItsAttemptGaveUp_TheDoubleIsRemoved()
    {
        // Stash's client gives up after 1 s; the first add is held 4 s and then applied all the same (a proxy queued it),
        // after the retry (about a second later) has added the play: two rows, until the check one attempt's limit (6 s)
        // after the retry removes one.
        await using var h = await PlaysHarness.StartAsync(
            server.Client, s => s with { Tuning = SyncHarness.ShortTuning with { ActivityTimeout = TimeSpan.FromSeconds(6) } }, TimeSpan.FromSeconds(1));
        h.AddScenes(1);
        var t = Now - 3600;
        var row = h.Play(1, t);
        h.StashSim.AddFieldFault(new StashFieldFault { Field = "sceneAddPlay", ApplyAfter = TimeSpan.FromSeconds(4), Status = 0, Times = 1 });

        var result = await h.RunAsync(new PlaysInput { Cursor = PlaysCursor.From(DateTimeOffset.FromUnixTimeSeconds(t - 1)) });

        var recorded = await h.RowResultAsync(row, t);
        Assert.Equal((PlayOutcomes.Added, 1, 1), (recorded.Outcome, recorded.Repaired, recorded.PlayCount));
        Assert.Equal((1, 1), (result.Progress.Added, result.Progress.Repaired));
        Assert.Equal([t], h.StashPlays(1));
        Assert.Equal(2, h.StashSim.FieldCount("sceneAddPlay"));
    }

    [Fact]
    public async Task RecordingPlays_LeavesUpdatedAt_SoNoMetadataSyncFollows()
    {
        await using var h = await PlaysHarness.StartAsync(server.Client);
        h.AddScenes(5, DateTimeOffset.UtcNow.AddHours(-2));
        var stamps = Enumerable.Range(1, 5).Select(n => h.StashSim.TryGetScene(h.Id(n), out var s) ? s.UpdatedAt : default).ToList();
        var t = Now - 3600;
        for (var n = 1; n <= 5; n++)
        {
            h.Play(n, t + n);
        }

        var result = await h.RunAsync(new PlaysInput { Cursor = PlaysCursor.From(DateTimeOffset.FromUnixTimeSeconds(t)) });

        Assert.Equal(5, result.Progress.Added);
        Assert.Equal(stamps, Enumerable.Range(1, 5).Select(n => h.StashSim.TryGetScene(h.Id(n), out var s) ? s.UpdatedAt : default));

        // The reconciliation's recent scope (what the schedule runs) finds no scene changed in the last hour: the plays
        // did not make the scenes look edited. Stash runs no hook for play mutations, so nothing else would either.
        var handle = await server.Client.StartWorkflowAsync(
            (ReconcileWorkflow wf) => wf.RunAsync(new ReconcileInput { Scope = ReconcileScopes.Recent, Window = TimeSpan.FromHours(1) }),
            new Temporalio.Client.WorkflowOptions("reconcile-" + Guid.NewGuid(), h.TaskQueue));
        var reconcile = await handle.GetResultAsync().WaitAsync(PlaysHarness.Limit);
        Assert.Equal((0, 0), (reconcile.Seen, reconcile.Changed));
        Assert.Equal(0, h.PlexSim.Writes());
    }

    [Fact]
    public async Task SmallPagesPerRun_ContinuesAsNew_CarryingTheCursorAndCounts()
    {
        await using var h = await PlaysHarness.StartAsync(server.Client);
        h.AddScenes(3);
        var t = Now - 3600;
        for (var i = 0; i < 12; i++)
        {
            h.Play(1 + (i % 3), t + i);
        }

        var result = await h.RunAsync(new PlaysInput { Cursor = PlaysCursor.From(DateTimeOffset.FromUnixTimeSeconds(t)), PageSize = 3, PagesPerRun = 2 });

        Assert.True(result.Progress.Runs >= 2, $"{result.Progress.Runs} runs; want continue-as-new");
        Assert.Equal((12, t + 11), (result.Progress.Added, result.Cursor.HighViewedAt));
        Assert.Equal(12, Enumerable.Range(1, 3).Sum(n => h.StashPlays(n).Count));
    }

    [Fact]
    public async Task PlaysBeforeTheCursorsFloor_AreNeverTaken()
    {
        await using var h = await PlaysHarness.StartAsync(server.Client);
        h.AddScenes(1);
        var t = Now - 600;
        h.Play(1, t - 1);
        h.Play(1, t);

        var result = await h.RunAsync(new PlaysInput { Cursor = PlaysCursor.From(DateTimeOffset.FromUnixTimeSeconds(t)) });

        Assert.Equal([t], h.StashPlays(1));
        Assert.Equal(1, result.Progress.Added);
    }

    [Fact]
    public async Task ResumePoints_WithPlaysResume_CopiedWhereTheyDifferByASecondOrMore()
    {
        await using var h = await PlaysHarness.StartAsync(server.Client, s => s with { Plays = new PlaysSettings { Resume = true } });
        h.AddScenes(3);
        h.StashSim.Update(h.Id(2), s => s.ResumeTime = 30.4);
        h.PlexSim.SetViewOffset(h.RatingKey(1), 90_500);
        h.PlexSim.SetViewOffset(h.RatingKey(2), 30_000);

        var result = await h.RunAsync(new PlaysInput { Cursor = PlaysCursor.From(DateTimeOffset.UtcNow) });

        Assert.Equal(1, result.Progress.ResumeSet);
        Assert.Equal(
            [90.5, 30.4, 0],
            Enumerable.Range(1, 3).Select(n => h.StashSim.TryGetScene(h.Id(n), out var scene) ? scene.ResumeTime : -1));
        Assert.Equal(1, h.StashSim.FieldCount("sceneSaveActivity"));
    }

    [Fact]
    public async Task RowWorkflows_TheirSummaryNamesTheSceneAndTime_TheirDetailsHowTheyEnded()
    {
        await using var h = await PlaysHarness.StartAsync(server.Client);
        h.AddScenes(1);
        var t = Now - 3600;
        var added = h.Play(1, t);
        var stray = h.PlexSim.AddItem(SimulatedLibrary.SectionKey, SimulatedLibrary.PlexRoot + "/other/clip.mp4");
        var unmatched = h.PlexSim.RecordPlay(stray, t + 1);

        var run = await h.StartAsync(new PlaysInput { Cursor = PlaysCursor.From(DateTimeOffset.FromUnixTimeSeconds(t)) });
        await run.GetResultAsync().WaitAsync(PlaysHarness.Limit);

        var at = PlayTimes.Show(t);
        var row = server.Client.GetWorkflowHandle(RecordPlayWorkflow.WorkflowId(h.Server, added, t));
        Assert.Equal($"Plex play of Stash scene {h.Id(1)} at {at} (history {added}, account 1)", await (await row.DescribeAsync()).GetStaticSummaryAsync());
        Assert.Equal($"Done: added to Stash scene {h.Id(1)} at {at} (play count 1)", await CurrentDetails.ReadAsync(row));
        var none = server.Client.GetWorkflowHandle(RecordPlayWorkflow.WorkflowId(h.Server, unmatched, t + 1));
        Assert.StartsWith($"Plex play of Plex item {stray} (no Stash scene) at", await (await none.DescribeAsync()).GetStaticSummaryAsync(), StringComparison.Ordinal);
        Assert.StartsWith("Unmatched: no Stash scene has the file /data/videos/other/clip.mp4", await CurrentDetails.ReadAsync(none), StringComparison.Ordinal);
        Assert.StartsWith("Done: 2 rows read, 2 plays started: 1 added, 0 already present, 1 unmatched", await CurrentDetails.ReadAsync(run), StringComparison.Ordinal);
    }
}
