using PlexSync.Domain;
using PlexSync.Simulators;

namespace PlexSync.Workflows.Tests;

/// <summary>
/// How a reconciliation decides that a poster needs a look, from what Plex and Stash report (the poster's
/// lock and stamp against the screenshot's t=), and how it clears the poster marks items may carry.
/// </summary>
[Collection(DevServerCollection.Name)]
public sealed class ReconcilePosterTests(DevServerFixture server)
{
    private static readonly ReconcileInput All = new() { Scope = ReconcileScopes.All, PageSize = 100 };

    // The unchanged library: one file lookup per scene and one batched read per page; no cover downloaded.
    [Fact]
    public async Task RunAsync_UnchangedLibrary_DownloadsNoCoverAndStartsNoSync()
    {
        await using var h = await ReconcileHarness.StartAsync(server.Client);
        h.AddScenes(150);
        await h.PreSyncAsync(150);

        var progress = await h.RunAsync(All);

        Assert.Equal(new ReconcileProgress { Total = 150, Seen = 150, Runs = 1, Done = true }, progress);
        Assert.Equal(0, Screenshots(h));
        Assert.Equal(0, h.PlexSim.Count(null, "/library/metadata/" + h.RatingKey(1) + "/posters"));
        Assert.Equal(150 + 2, h.PlexSim.Requests().Count(r => r.Path.EndsWith("/all", StringComparison.Ordinal) || r.Path.StartsWith("/library/metadata/", StringComparison.Ordinal)));
        Assert.Equal(0, h.PlexSim.Writes());
    }

    // Marks left in the labels go; the label lock goes with them unless the user's own labels remain.
    [Fact]
    public async Task RunAsync_ItemsWithPosterMarks_RemovesThemAndTheLockThatServedThemAlone()
    {
        await using var h = await ReconcileHarness.StartAsync(server.Client);
        h.AddScenes(3);
        await h.PreSyncAsync(3);
        var mark = MetadataDiff.PosterMarkPrefix + "0123456789ab";
        Label(h, 1, mark);
        Label(h, 2, "Kids", mark, MetadataDiff.PosterMarkPrefix + "ffffffffffff");
        Label(h, 3, "Kids");
        h.PlexSim.ResetLog();

        var first = await h.RunAsync(All);
        var second = await h.RunAsync(All);

        Assert.Equal((3, 2, 2), (first.Seen, first.Changed, first.Synced));
        Assert.Equal((3, 0), (second.Seen, second.Changed));
        Assert.Empty(Item(h, 1).TagsOf(PlexFields.Label));
        Assert.False(Item(h, 1).IsLocked(PlexFields.Label));
        Assert.Equal(["Kids"], Item(h, 2).TagsOf(PlexFields.Label));
        Assert.True(Item(h, 2).IsLocked(PlexFields.Label));
        Assert.Equal(["Kids"], Item(h, 3).TagsOf(PlexFields.Label));
        Assert.Equal(new[] { h.RatingKey(1), h.RatingKey(2) }.ToHashSet(), h.WrittenRatingKeys());
        Assert.Equal(0, h.PlexSim.Count("POST"));
        foreach (var n in new[] { 1, 2 })
        {
            await InStep.AssertAsync(h.Library, h.Stash, h.Settings.Scene, h.Base + n);
        }
    }

    // An edit Stash makes in fields PlexSync does not copy moves t= past the poster's stamp with nothing to
    // write: the worker checks the cover once and remembers it, so later reconciliations do not look again.
    [Fact]
    public async Task RunAsync_SceneEditedOnlyInUncopiedFields_ChecksItsCoverOnce()
    {
        await using var h = await ReconcileHarness.StartAsync(server.Client);
        h.AddScenes(10);
        await h.PreSyncAsync(10);
        Assert.True(h.StashSim.Update(h.Base + 3, s => s.Urls = ["https://example.com/3"]));

        var first = await h.RunAsync(All);
        var downloadsAfterFirst = Screenshots(h);
        var second = await h.RunAsync(All);

        Assert.Equal((1, 0, 1), (first.Changed, first.Synced, first.Unchanged));
        Assert.Equal(1, downloadsAfterFirst);
        Assert.Equal(0, second.Changed);
        Assert.Equal(1, Screenshots(h));
        Assert.Equal(0, h.PlexSim.Writes());
    }

    // A new cover in Stash reaches Plex once; the next reconciliation finds it in step.
    [Fact]
    public async Task RunAsync_NewCover_UploadedOnceThenInStep()
    {
        await using var h = await ReconcileHarness.StartAsync(server.Client);
        h.AddScenes(10);
        await h.PreSyncAsync(10);
        Assert.True(h.StashSim.Update(h.Base + 4, s => s.ImageVersion = 2));

        var first = await h.RunAsync(All);
        var second = await h.RunAsync(All);

        Assert.Equal((1, 1), (first.Changed, first.Synced));
        Assert.Equal(0, second.Changed);
        Assert.Equal(1, h.PlexSim.Count("POST"));
        Assert.Equal(2, Item(h, 4).Uploads);
        await InStep.AssertAsync(h.Library, h.Stash, h.Settings.Scene, h.Base + 4);
    }

    // With Plex's clock an hour behind Stash's, every stamp looks old: each cover is checked once, nothing
    // is written twice, and a real new cover still gets through.
    [Fact]
    public async Task RunAsync_PlexClockBehindStash_ChecksEachCoverOnceAndWritesNothingTwice()
    {
        await using var h = await ReconcileHarness.StartAsync(server.Client);
        h.PlexSim.Clock = () => h.StashSim.Now().AddHours(-1);
        h.AddScenes(10);
        await h.PreSyncAsync(10);

        var first = await h.RunAsync(All);
        var second = await h.RunAsync(All);
        Assert.True(h.StashSim.Update(h.Base + 5, s => s.ImageVersion = 2));
        var third = await h.RunAsync(All);
        var fourth = await h.RunAsync(All);

        Assert.Equal((10, 0, 10), (first.Changed, first.Synced, first.Unchanged));
        Assert.Equal(0, second.Changed);
        Assert.Equal((1, 1), (third.Changed, third.Synced));
        Assert.Equal(0, fourth.Changed);
        Assert.Equal(11, Screenshots(h));
        Assert.Equal([h.RatingKey(5)], h.WrittenRatingKeys());
        Assert.Equal(1, h.PlexSim.Count("POST"));
        await InStep.AssertAsync(h.Library, h.Stash, h.Settings.Scene, h.Base + 5);
    }

    private static int Screenshots(ReconcileHarness h) => h.StashSim.Count("GET", "/scene/");

    private static void Label(ReconcileHarness h, int n, params string[] labels) =>
        Assert.True(h.PlexSim.SetItem(h.Library.RatingKey(h.Base + n), item =>
        {
            item.TagList(PlexFields.Label).AddRange(labels);
            item.Locked.Add(PlexFields.Label);
        }));

    private static PlexItemSnapshot Item(ReconcileHarness h, int n)
    {
        Assert.True(h.PlexSim.TryGetItem(h.Library.RatingKey(h.Base + n), out var item));
        return item;
    }
}
