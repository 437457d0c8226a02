using System.Globalization;
using PlexSync.Domain;
using PlexSync.Simulators;

namespace PlexSync.Workflows.Tests;

/// <summary>
/// A scene sync against each plausible answer where the references leave Plex's answer open (the README's
/// "Plex requests"), against a Plex that refuses long requests, and against one that stores paths NFD:
/// each ends with the item in step, and a second sync and the reconciliation's check find nothing to write.
/// </summary>
[Collection(DevServerCollection.Name)]
public sealed class PlexAnswersSyncTests(DevServerFixture server)
{
    public static TheoryData<string> Answers() => [.. Variants.Keys];

    private static readonly Dictionary<string, PlexAnswers> Variants = new(StringComparer.Ordinal)
    {
        ["as the simulator defaults"] = new(),
        ["poster list under Photo"] = new() { PosterListKey = "Photo" },
        ["upload keyed another way"] = new() { UploadKey = sha1 => "upload://thumbs/7/" + sha1.ToUpperInvariant() },
        ["rating stored as a float"] = new() { StoreRating = r => (float)r },
        ["rating rounded to a whole number"] = new() { StoreRating = r => Math.Round(r) },
        ["rating kept to one decimal"] = new() { StoreRating = r => Math.Round(r, 1) },
        ["cast lock named role"] = new() { CastLockName = "role" },
        ["cast lock named roles"] = new() { CastLockName = "roles" },
        ["listings without totalSize"] = new() { TotalSizeInListings = false },
        ["404 for a list with a gone item"] = new() { WholeListNotFound = true },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Sync_UnderEachAnswer_EndsInStepAndWritesNothingTwice(string answer)
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 2);
        h.PlexSim.Answers = Variants[answer];
        h.StashSim.Update(1, s => s.Rating100 = 73);

        var first = await h.SyncAsync(1);
        var writes = h.PlexWrites();
        var second = await h.SyncAsync(1);
        h.PlexSim.RemoveItem(h.Library.RatingKey(2)); // the reconciliation's batched read meets a gone item
        var scenes = new[] { await h.Stash.FindSceneAsync("1", CancellationToken.None), await h.Stash.FindSceneAsync("2", CancellationToken.None) };
        var checks = await h.Planner.CheckAsync([.. scenes.OfType<Scene>()], null, CancellationToken.None);

        Assert.Equal(Outcomes.Synced, first.Outcome);
        Assert.Equal(Outcomes.Unchanged, second.Outcome);
        Assert.Equal(writes, h.PlexWrites());
        Assert.True(checks[0].InStep, $"{answer}: the check finds {string.Join(", ", checks[0].Changes?.Names() ?? [])}");
        Assert.IsType<NotInPlexException>(checks[1].Problem);
        Assert.True(h.PlexSim.TryGetItem(h.Library.RatingKey(1), out var item));
        Assert.Equal(7, item.UserRating);
        Assert.Equal(1, item.Uploads);
        await h.AssertInStepAsync(1);
    }

    // Plex shows another poster but still lists Stash's cover: the next save selects it by the key Plex lists, uploading nothing.
    [Fact]
    public async Task Sync_CoverListedButNotShown_IsSelectedByItsListedKey()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 1);
        h.PlexSim.Answers = new PlexAnswers { UploadKey = sha1 => "upload://thumbs/7/" + sha1.ToUpperInvariant() };
        await h.SyncAsync(1);
        var ratingKey = h.Library.RatingKey(1);
        Assert.True(h.PlexSim.SetItem(ratingKey, item =>
        {
            for (var i = 0; i < item.Posters.Count; i++)
            {
                item.Posters[i] = item.Posters[i] with { Selected = false };
            }

            item.Posters.Add(new PlexSync.Simulators.LibraryPoster("https://agent.example/poster.jpg", true));
        }));
        h.StashSim.Update(1, s => s.Title = "Saved again");
        h.PlexSim.ResetLog();

        var result = await h.SyncAsync(1);

        Assert.Equal(["poster", "title"], result.Changed);
        Assert.Equal(0, h.PlexSim.Count("POST"));
        Assert.Equal(1, h.PlexSim.Count("PUT", $"/library/metadata/{ratingKey}/poster"));
        Assert.True(h.PlexSim.TryGetItem(ratingKey, out var after));
        Assert.Equal(1, after.Uploads);
        Assert.StartsWith("upload://thumbs/7/", after.SelectedPoster, StringComparison.Ordinal);
        Assert.True(after.IsLocked(PlexFields.Poster));
    }

    // Plex (or a proxy in front of it) refusing long request lines: the rest is written, the summary shortened
    // and named in the result and the run's details; the next sync finds the shortened summary in step.
    [Fact]
    public async Task Sync_PlexRefusesTheLongSummary_WritesItShortenedVisiblyAndOnce()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 1);
        h.PlexSim.MaxRequestLine = 8192;
        var details = string.Concat(Enumerable.Range(0, 10_000).Select(i => (char)('一' + (i % 500))));
        h.StashSim.Update(1, s => s.Details = details);

        var handle = await h.StartAsync(1);
        var first = await handle.GetResultAsync().WaitAsync(SyncHarness.Limit);
        var details1 = await CurrentDetails.ReadAsync(handle);
        var writes = h.PlexWrites();
        var second = await h.SyncAsync(1);

        Assert.Equal(Outcomes.Synced, first.Outcome);
        var note = Assert.Single(first.Notes);
        Assert.Matches(@"^summary: Plex refused it in a [\d,]+-byte request \(HTTP 414\); wrote its first [\d,]+ of 10,000 characters, ending in …$", note);
        Assert.Contains(note, details1, StringComparison.Ordinal);
        Assert.True(h.PlexSim.TryGetItem(h.Library.RatingKey(1), out var item));
        Assert.Equal(LongText.Shorten(details, LongText.Budgets[0]), item.Summary);
        Assert.True(item.IsLocked(PlexFields.Summary));
        Assert.Equal(Outcomes.Unchanged, second.Outcome);
        Assert.Empty(second.Notes);
        Assert.Equal(writes, h.PlexWrites());
    }

    // Stash spells the path NFC; Plex stores it NFD (a macOS share) and filters byte for byte.
    [Fact]
    public async Task Sync_PlexStoresThePathNfd_MatchesItByPath()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 1);
        h.StashSim.Update(1, s => s.Files = [SimulatedLibrary.StashRoot + "/Café/Été à Noël.mp4"]);
        var nfd = h.PlexSim.AddItem(SimulatedLibrary.SectionKey, SimulatedLibrary.PlexRoot + "/Cafe\u0301/E\u0301te\u0301 a\u0300 Noe\u0308l.mp4");

        var result = await h.SyncAsync(1);

        Assert.Equal((nfd.ToString(CultureInfo.InvariantCulture), ItemMatcher.ByPath), (result.RatingKey, result.Strategy));
        var lookup = h.PlexSim.Requests().First(r => r.Query.ContainsKey("file"));
        Assert.Equal(2, lookup.Query["file"].Single().Split(',').Length);
        Assert.True(h.PlexSim.TryGetItem(nfd, out var item));
        Assert.Equal("Scene 1", item.Title);
    }
}
