using System.Text;
using PlexSync.Domain;

namespace PlexSync.Workflows.Tests;

/// <summary>
/// Hostile scene data through the whole SceneSync workflow on the dev server: each scene
/// syncs with the sanitiser's caps applied, or fails with InvalidScene naming the field, and the worker
/// goes on syncing the next scene.
/// </summary>
[Collection(DevServerCollection.Name)]
public sealed class HostileSceneSyncTests(DevServerFixture server)
{
    [Fact]
    public async Task SceneSync_HostileSceneData_SyncsCappedOrFailsNamingTheFieldAndTheWorkerGoesOn()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 7);

        // A 1 MB title (a piece that is a surrogate pair, so a careless cap would split one).
        h.StashSim.Update(1, s => s.Title = string.Concat(Enumerable.Repeat("🎬 title ", 1_000_000 / 10)));
        Assert.Equal(Outcomes.Synced, (await h.SyncAsync(1)).Outcome);
        await h.AssertInStepAsync(1);
        Assert.True(h.PlexSim.TryGetItem(h.Library.RatingKey(1), out var long1));
        Assert.InRange(long1.Title.EnumerateRunes().Count(), 1, Sanitizer.MaxTitleLength);

        // 10,000 tags, in every case, many of them duplicates.
        h.StashSim.Update(2, s => s.Tags = [.. Enumerable.Range(0, 10_000).Select(i => i % 3 == 0 ? $"TAG {i % 500}" : $"tag {i}")]);
        Assert.Equal(Outcomes.Synced, (await h.SyncAsync(2)).Outcome);
        await h.AssertInStepAsync(2);
        Assert.True(h.PlexSim.TryGetItem(h.Library.RatingKey(2), out var tagged));
        Assert.Equal(Sanitizer.MaxTags, tagged.TagsOf(PlexFields.Genre).Count);

        // Zero-width characters, right-to-left overrides and control characters in every text field.
        h.StashSim.Update(3, s =>
        {
            s.Title = "\u202eevil\u200b ti\u200dtle\u0000\u001b[31m\u2066";
            s.Details = "\u200f\u202dLine\u0007 one\r\n\u202e\u05e9\u05dc\u05d5\u05dd\ufeff";
            s.Studio = "\u200b\u202eStudio\u0008";
            s.Tags = ["\u200b", "\u202e", "tag\u200b", "\u0000", "ok"];
            s.Performers = ["\u202eName\u200c", "\u200b"];
        });
        Assert.Equal(Outcomes.Synced, (await h.SyncAsync(3)).Outcome);
        await h.AssertInStepAsync(3);
        Assert.True(h.PlexSim.TryGetItem(h.Library.RatingKey(3), out var bidi));
        Assert.DoesNotContain(bidi.Title.EnumerateRunes(), Rune.IsControl);

        // Invalid dates fail with InvalidScene naming the date; a lone surrogate does not crash the worker.
        string[] dates = ["2021-02-30", "2023-13-01", "\ud800", "9999-99-99T99"];
        for (var i = 0; i < dates.Length; i++)
        {
            var sceneId = 4 + (i % 3);
            var date = dates[i];
            h.StashSim.Update(sceneId, s => s.Date = date);
            var failure = await h.FailAsync(sceneId);
            Assert.Equal(ErrorTypes.InvalidScene, failure.ErrorType);
            Assert.Contains("date", failure.Message, StringComparison.Ordinal);
        }

        // The same worker syncs an ordinary scene afterwards.
        Assert.Equal(Outcomes.Synced, (await h.SyncAsync(7)).Outcome);
        await h.AssertInStepAsync(7);
    }
}
