using System.Security.Cryptography;
using System.Text.RegularExpressions;
using PlexSync.Simulators;

namespace PlexSync.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed partial class SyncCommandTests(EndToEndFixture fixture)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task SyncWait_Scene_LeavesPlexItemEqualToStashSceneLocked_AndSecondSyncWritesNothing()
    {
        const int sceneId = 5;
        var (code, output) = await fixture.RunAsync("sync", "--scene", "5", "--wait");
        Assert.True(code == 0, output);
        Assert.Matches(@"5\s+│?\s*synced", output);

        Assert.True(fixture.Library.Stash.TryGetScene(sceneId, out var scene));
        Assert.True(fixture.Library.Plex.TryGetItem(fixture.Library.RatingKey(sceneId), out var item));
        Assert.Equal(scene.Title, item.Title);
        Assert.Equal(scene.Details, item.Summary);
        Assert.Equal(scene.Studio, item.Studio);
        Assert.Equal(scene.Date, item.OriginallyAvailableAt);
        Assert.Equal(Math.Round(scene.Rating100!.Value / 10.0, MidpointRounding.AwayFromZero), item.UserRating);
        Assert.Equal(scene.Performers, item.TagsOf("actor"));
        Assert.Equal(scene.Tags, item.TagsOf("genre"));
        Assert.Equal([scene.Studio!, .. scene.Groups], item.TagsOf("collection"));
        foreach (var field in new[] { "title", "summary", "studio", "originallyAvailableAt", "genre", "collection", "thumb" })
        {
            Assert.True(item.IsLocked(field), $"{field} is not locked; locked: {string.Join(", ", item.Locked)}");
        }

        var sha1 = Convert.ToHexStringLower(SHA1.HashData(StashSimulator.ScreenshotBytes(scene)));
        Assert.Equal("upload://posters/" + sha1, item.SelectedPoster);
        Assert.Equal(1, item.Uploads);

        var writesBefore = Writes();
        var (again, secondOutput) = await fixture.RunAsync("sync", "--scene", "5", "--wait");
        Assert.True(again == 0, secondOutput);
        Assert.Matches(@"5\s+│?\s*unchanged", secondOutput);
        Assert.Equal(writesBefore, Writes());
    }

    [Fact]
    public async Task SyncWait_SeveralScenes_AllSynced()
    {
        var (code, output) = await fixture.RunAsync("sync", "--scene", "1,2", "--scene", "3", "--wait");
        Assert.True(code == 0, output);
        Assert.Equal(3, OutcomeLine().Count(output));
        Assert.Contains("3 scenes: 3 synced, 0 unchanged, 0 skipped, 0 failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncWait_SceneWithInvalidDate_FailsNamingTheFieldWithStatusOne()
    {
        const int sceneId = 8;
        fixture.Library.Stash.Update(sceneId, s => s.Date = "2023-13-45");
        var (code, output) = await fixture.RunAsync("sync", "--scene", "8", "--wait");
        Assert.Equal(1, code);
        Assert.Contains("InvalidScene", output, StringComparison.Ordinal);
        Assert.Contains("\"date\"", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sync", "--scene", "abc")]
    [InlineData("sync", "--scene", "-3")]
    [InlineData("sync", "--scene", "0")]
    public async Task Sync_BadSceneId_ExplainsWhatASceneIdIs(params string[] args)
    {
        var (code, output) = await fixture.RunAsync(args);
        Assert.NotEqual(0, code);
        Assert.Contains("scene", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Sync_NoSceneOption_SaysItIsRequired()
    {
        var (code, output) = await fixture.RunAsync("sync");
        Assert.NotEqual(0, code);
        Assert.Contains("--scene", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncWait_Interrupted_SaysTheSyncGoesOnInTemporal()
    {
        // No worker polls this queue, so the sync waits and --wait cannot end by itself.
        var env = new Dictionary<string, string> { ["PLEXSYNC_TASK_QUEUE"] = "nobody-polls-" + Guid.NewGuid().ToString("N") };
        await using var sync = fixture.Start(["sync", "--scene", "4", "--wait"], env);
        await sync.WaitForOutputAsync("Sync of scene 4 requested", Limit);
        await sync.SignalAsync("INT");
        var code = await sync.WaitForExitAsync(Limit);

        Assert.Equal(130, code);
        Assert.Contains("The syncs go on in Temporal", sync.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("failed", sync.Output, StringComparison.OrdinalIgnoreCase);
    }

    private int Writes() => fixture.Library.Plex.Requests().Count(r => r.Method != "GET");

    // A table row: the scene ID, then its outcome in the next column.
    [GeneratedRegex(@"^\S*\s*\d+\s+│?\s*synced", RegexOptions.Multiline)]
    private static partial Regex OutcomeLine();
}
