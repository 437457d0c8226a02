using PlexSync.Simulators;

namespace PlexSync.Workflows.Tests;

/// <summary>
/// The Reconcile workflow with the real activities and clients against the simulated Stash and Plex, on the
/// real dev server.
/// </summary>
[Collection(DevServerCollection.Name)]
public sealed class ReconcileWorkflowTests(DevServerFixture server)
{
    [Fact]
    public async Task RunAsync_200ScenesOf50Changed_WritesExactlyThose50AndCountsAddUp()
    {
        await using var h = await ReconcileHarness.StartAsync(server.Client);
        h.AddScenes(200);
        await h.PreSyncAsync(200);
        var changed = Enumerable.Range(1, 200).Where(n => n % 4 == 0).ToList();
        foreach (var n in changed)
        {
            Assert.True(h.StashSim.Update(h.Base + n, s => s.Title = $"Edited {n}"));
        }

        var progress = await h.RunAsync(new ReconcileInput { Scope = ReconcileScopes.All, PageSize = 100 });

        var edits = h.EditsByRatingKey();
        Assert.Equal(changed.Select(h.RatingKey).Order(StringComparer.Ordinal), edits.Keys.Order(StringComparer.Ordinal));
        Assert.All(edits.Values, count => Assert.Equal(1, count));
        Assert.Equal(changed.Select(h.RatingKey).ToHashSet(), h.WrittenRatingKeys());
        Assert.Equal(
            new ReconcileProgress { Total = 200, Seen = 200, Changed = 50, Synced = 50, Runs = 1, Done = true },
            progress);
    }

    [Fact]
    public async Task RunAsync_150IdsOfWhichTwoDeleted_FinishesWithTheDeletedOnesSkipped()
    {
        await using var h = await ReconcileHarness.StartAsync(server.Client);
        h.AddScenes(150);
        await h.PreSyncAsync(150);
        Assert.True(h.StashSim.Delete(h.Base + 7));
        Assert.True(h.StashSim.Delete(h.Base + 120));
        Assert.True(h.StashSim.Update(h.Base + 30, s => s.Title = "Edited"));

        var progress = await h.RunAsync(new ReconcileInput { Scope = ReconcileScopes.Ids, Ids = [.. Enumerable.Range(1, 150).Select(h.Id)], PageSize = 100 });

        Assert.Equal(
            new ReconcileProgress { Total = 150, Seen = 150, Changed = 1, Synced = 1, Skipped = 2, Runs = 1, Done = true },
            progress);
        Assert.Equal([h.RatingKey(30)], h.EditsByRatingKey().Keys);
    }

    [Fact]
    public async Task RunAsync_SmallPagesPerRun_ContinuesAsNewAndCarriesTheProgress()
    {
        await using var h = await ReconcileHarness.StartAsync(server.Client);
        h.AddScenes(45);
        await h.PreSyncAsync(45);
        int[] changed = [3, 17, 44];
        foreach (var n in changed)
        {
            h.StashSim.Update(h.Base + n, s => s.Details = "Edited");
        }

        var handle = await h.StartAsync(new ReconcileInput { Scope = ReconcileScopes.All, PageSize = 10, PagesPerRun = 2 });
        var progress = await handle.GetResultAsync().WaitAsync(ReconcileHarness.Limit);

        // 5 pages, 2 per run: 3 runs, each carrying the counts of those before.
        Assert.Equal(new ReconcileProgress { Total = 45, Seen = 45, Changed = 3, Synced = 3, Runs = 3, Done = true }, progress);
        Assert.Equal(changed.Select(h.RatingKey).Order(StringComparer.Ordinal), h.EditsByRatingKey().Keys.Order(StringComparer.Ordinal));

        // The latest run answers the progress query with the same counts.
        var latest = server.Client.GetWorkflowHandle<ReconcileWorkflow>(handle.Id);
        Assert.Equal(progress, await latest.QueryAsync(wf => wf.Progress));
        Assert.NotEqual(handle.ResultRunId, (await latest.DescribeAsync()).RunId);
    }

    [Fact]
    public async Task RunAsync_SceneOfThePageReadDeletedDuringTheRun_NoOtherSceneIsSkipped()
    {
        await using var h = await ReconcileHarness.StartAsync(server.Client);
        h.AddScenes(40);
        await h.PreSyncAsync(40);
        string? deleted = null;
        h.Stash.AfterPage = (number, page) =>
        {
            if (number == 1)
            {
                // Right after the first page was read: a paging by page number would now skip a scene.
                deleted = page.Scenes[2].Id;
                Assert.True(h.StashSim.Delete(int.Parse(deleted, System.Globalization.CultureInfo.InvariantCulture)));
            }
        };

        var progress = await h.RunAsync(new ReconcileInput { Scope = ReconcileScopes.All, PageSize = 10 });

        Assert.NotNull(deleted);
        Assert.Equal(Enumerable.Range(1, 40).Select(h.Id).Order(StringComparer.Ordinal), h.Stash.IdsRead.Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(40, progress.Seen);
        Assert.Equal(0, progress.Changed);
        Assert.True(progress.Done);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunAsync_250ScenesWithTheSameUpdatedAt_SeesEverySceneOnce(bool deleteDuringTheRun)
    {
        await using var h = await ReconcileHarness.StartAsync(server.Client);
        var stamp = DateTimeOffset.UtcNow.AddMinutes(-5);
        stamp = new DateTimeOffset(stamp.Ticks - (stamp.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        h.AddScenes(250, stamp);
        await h.PreSyncAsync(250);

        // Changed without moving updated_at, so the tie group stays whole.
        int[] changed = [1, 99, 100, 101, 180, 250];
        foreach (var n in changed)
        {
            Assert.True(h.StashSim.TryGetScene(h.Base + n, out var scene));
            h.StashSim.Put(scene with { Details = "Edited" }, stamp);
        }

        if (deleteDuringTheRun)
        {
            // Removing scenes already read shifts the tie group's later pages forward.
            h.Stash.AfterPage = (number, page) =>
            {
                if (number == 1)
                {
                    foreach (var scene in page.Scenes.Skip(10).Take(3))
                    {
                        Assert.True(h.StashSim.Delete(int.Parse(scene.Id, System.Globalization.CultureInfo.InvariantCulture)));
                    }
                }
            };
        }

        var progress = await h.RunAsync(new ReconcileInput { Scope = ReconcileScopes.All, PageSize = 100 });

        Assert.Equal(Enumerable.Range(1, 250).Select(h.Id).Order(StringComparer.Ordinal), h.Stash.IdsRead.Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(250, progress.Seen);
        Assert.Equal(changed.Length, progress.Changed);
        Assert.Equal(changed.Select(h.RatingKey).Order(StringComparer.Ordinal), h.EditsByRatingKey().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RunAsync_PerformerScope_ChecksThatPerformersScenesAndNoOther()
    {
        await using var h = await ReconcileHarness.StartAsync(server.Client);
        h.AddScenes(28);
        var performer = SimulatedLibrary.SeedScene(1).Performers[0];
        var theirs = Enumerable.Range(1, 28).Where(n => SimulatedLibrary.SeedScene(n).Performers.Contains(performer)).ToList();
        var id = await h.PerformerIdAsync(1, performer);

        // Nothing is in step yet: every scene of the scope differs, and only those are synced.
        var progress = await h.RunAsync(new ReconcileInput { Scope = ReconcileScopes.Performer, EntityId = id, PageSize = 5 });

        Assert.Equal(theirs.Select(h.Id).Order(StringComparer.Ordinal), h.Stash.IdsRead.Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(theirs.Select(h.RatingKey).ToHashSet(), h.WrittenRatingKeys());
        Assert.Equal(
            new ReconcileProgress { Total = theirs.Count, Seen = theirs.Count, Changed = theirs.Count, Synced = theirs.Count, Runs = 1, Done = true },
            progress);
    }

    [Fact]
    public async Task RunAsync_SceneWhoseSyncIsAlreadyRunning_CountsItInProgress()
    {
        await using var h = await ReconcileHarness.StartAsync(server.Client);
        h.AddScenes(5);
        await h.PreSyncAsync(5);

        // Plex has not scanned scene 6 yet: a hook's sync of it waits, running, until Plex has.
        h.StashSim.Put(SimulatedLibrary.SeedScene(6) with { Id = h.Base + 6 });
        var hookSync = await SyncStarter.StartAsync(server.Client, h.TaskQueue, h.Id(6), SyncReasons.Hook);

        var progress = await h.RunAsync(new ReconcileInput { Scope = ReconcileScopes.All });

        Assert.Equal(new ReconcileProgress { Total = 6, Seen = 6, Changed = 1, InProgress = 1, Runs = 1, Done = true }, progress);
        h.Library.ScanIntoPlex(h.Base + 6);
        Assert.Equal(Outcomes.Synced, (await hookSync.GetResultAsync().WaitAsync(ReconcileHarness.Limit)).Outcome);
    }

    [Fact]
    public async Task RunAsync_RecentScope_StopsAtTheFirstSceneOlderThanTheWindow()
    {
        await using var h = await ReconcileHarness.StartAsync(server.Client);
        h.AddScenes(30, DateTimeOffset.UtcNow.AddDays(-3));
        await h.PreSyncAsync(30);
        int[] recent = [4, 5, 26];
        foreach (var n in recent)
        {
            h.StashSim.Update(h.Base + n, s => s.Title = "Edited");
        }

        var progress = await h.RunAsync(new ReconcileInput { Scope = ReconcileScopes.Recent, Window = TimeSpan.FromHours(24), PageSize = 10 });

        Assert.Equal(new ReconcileProgress { Total = 3, Seen = 3, Changed = 3, Synced = 3, Runs = 1, Done = true }, progress);
        Assert.Single(h.Stash.Pages);
    }
}
