using System.Globalization;
using PlexSync.Domain;
using PlexSync.Simulators;
using Temporalio.Exceptions;

namespace PlexSync.Workflows.Tests;

/// <summary>
/// SceneSync with the real activities and clients against the simulated Stash and Plex, on the real
/// dev server: every error class the README's table names, as a user meets it.
/// </summary>
[Collection(DevServerCollection.Name)]
public sealed class SceneSyncEndToEndTests(DevServerFixture server)
{
    [Fact]
    public async Task RunAsync_SyncedTwice_WritesOnceThenIsUnchanged()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 3);

        var first = await h.SyncAsync(2);

        Assert.Equal(Outcomes.Synced, first.Outcome);
        Assert.Equal(ItemMatcher.ByPath, first.Strategy);
        Assert.Equal(Key(h.Library.RatingKey(2)), first.RatingKey);
        Assert.NotEmpty(first.Changed);
        Assert.True(h.PlexSim.TryGetItem(h.Library.RatingKey(2), out var item));
        Assert.True(h.StashSim.TryGetScene(2, out var scene));
        Assert.Equal(scene.Title, item.Title);
        Assert.Equal(scene.Studio, item.Studio);
        Assert.Equal(1, item.Uploads);
        await h.AssertInStepAsync(2);
        Assert.Equal(3, h.PlexWrites()); // the poster, one metadata PUT, the rating

        h.PlexSim.ResetLog();
        var second = await h.SyncAsync(2);

        Assert.Equal(Outcomes.Unchanged, second.Outcome);
        Assert.Empty(second.Changed);
        Assert.Equal(0, h.PlexWrites());
        Assert.NotEqual(0, h.PlexSim.Count("GET"));
        await h.AssertInStepAsync(2);
    }

    [Fact]
    public async Task RunAsync_PlexUnavailableThreeTimes_SyncsAfterRetries()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 1);
        h.PlexSim.AddFault(new Fault { PathPrefix = "/library/metadata/", Status = 503, Times = 3 });

        var result = await h.SyncAsync(1);

        Assert.Equal(Outcomes.Synced, result.Outcome);
        Assert.Equal(4, h.Attempts(ActivityPolicies.ApplyMetadata).Count);
        var itemReads = h.PlexSim.Requests().Where(r => r.Path == "/library/metadata/" + Key(h.Library.RatingKey(1))).Select(r => r.Status);
        Assert.Equal([503, 503, 503, 200], itemReads);
        await h.AssertInStepAsync(1);
    }

    [Fact]
    public async Task RunAsync_PlexAnswers429WithRetryAfter_WaitsThatLongBeforeTheNextRequest()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 1);
        h.PlexSim.AddFault(new Fault { PathPrefix = "/library/metadata/", Status = 429, RetryAfter = "2", Times = 1 });

        var result = await h.SyncAsync(1);

        Assert.Equal(Outcomes.Synced, result.Outcome);
        Assert.Equal(2, h.Attempts(ActivityPolicies.ApplyMetadata).Count);
        var log = h.PlexSim.Requests();
        var limited = log.Single(r => r.Status == 429);
        var next = log.SkipWhile(r => r != limited).Skip(1).First();

        // The retry policy's own interval is 50 ms: only Retry-After explains a wait of 2 s. The small
        // tolerance covers the two clocks' (the log's and the server's timer's) rounding.
        Assert.True(next.At - limited.At >= TimeSpan.FromSeconds(2) - TimeSpan.FromMilliseconds(20), $"next request {(next.At - limited.At).TotalMilliseconds} ms after the 429");
        await h.AssertInStepAsync(1);
    }

    [Theory]
    [InlineData("plex auth", ErrorTypes.AuthFailed, ActivityPolicies.MatchPlexItem, "plex.token")]
    [InlineData("stash auth", ErrorTypes.AuthFailed, ActivityPolicies.FetchScene, "stash.api_key")]
    [InlineData("invalid rating", ErrorTypes.InvalidScene, ActivityPolicies.ValidateScene, "\"rating100\"")]
    [InlineData("rating zero", ErrorTypes.InvalidScene, ActivityPolicies.ValidateScene, "\"rating100\"")]
    [InlineData("invalid date", ErrorTypes.InvalidScene, ActivityPolicies.ValidateScene, "\"date\"")]
    [InlineData("no files", ErrorTypes.InvalidScene, ActivityPolicies.ValidateScene, "\"files\"")]
    [InlineData("ambiguous basename", ErrorTypes.AmbiguousMatch, ActivityPolicies.MatchPlexItem, "2 Plex items match")]
    [InlineData("unknown section", ErrorTypes.ConfigError, ActivityPolicies.MatchPlexItem, "Plex has no library section \"Films\" (its movie sections: Movies)")]
    [InlineData("not a movie section", ErrorTypes.ConfigError, ActivityPolicies.MatchPlexItem, "\"Shows\" is a show section, not a movie section")]
    [InlineData("plex rejects a field", ErrorTypes.Rejected, ActivityPolicies.ApplyMetadata, "HTTP 400")]
    [InlineData("plex answer cannot mean anything", ErrorTypes.Rejected, ActivityPolicies.ApplyMetadata, "unreadable answer")]
    public async Task RunAsync_NonRetryableFailure_FailsAtOnceWithItsTypeAndCause(string @case, string type, string activity, string says)
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 1, s => @case switch
        {
            "unknown section" => s with { Sections = ["Films"] },
            "not a movie section" => s with { Sections = [SimulatedLibrary.SectionTitle, "Shows"] },
            _ => s,
        });
        switch (@case)
        {
            case "not a movie section":
                h.PlexSim.AddSection(new LibrarySection(2, "Shows", "show", ["/media/shows"]));
                break;
            case "plex auth":
                h.PlexSim.AddFault(new Fault { PathPrefix = "/library/sections", Status = 401 });
                break;
            case "stash auth":
                h.StashSim.AddFault(new Fault { PathPrefix = "/graphql", Status = 401 });
                break;
            case "invalid rating":
                h.StashSim.Update(1, s => s.Rating100 = 150);
                break;
            case "rating zero":
                h.StashSim.Update(1, s => s.Rating100 = 0);
                break;
            case "invalid date":
                h.StashSim.Update(1, s => s.Date = "2021-02-30");
                break;
            case "no files":
                h.StashSim.Update(1, s => s.Files = []);
                break;
            case "ambiguous basename":
                h.StashSim.Update(1, s => s.Files = ["/elsewhere/dup.mp4"]);
                h.PlexSim.AddItem(SimulatedLibrary.SectionKey, "/media/a/dup.mp4");
                h.PlexSim.AddItem(SimulatedLibrary.SectionKey, "/media/b/DUP.mp4");
                break;
            case "plex rejects a field":
                h.PlexSim.AddFault(new Fault { Method = "PUT", PathPrefix = "/library/sections/", Status = 400 });
                break;
            case "plex answer cannot mean anything":
                // A 200 whose body is an HTML page, not the JSON asked for: nothing a retry could fix.
                h.PlexSim.AddFault(new Fault { Method = "GET", PathPrefix = "/library/metadata/", Status = 200 });
                break;
            default:
                break;
        }

        var failure = await h.FailAsync(1);

        Assert.Equal(type, failure.ErrorType);
        Assert.Contains(says, failure.Message, StringComparison.Ordinal);
        Assert.Single(h.Attempts(activity));
        Assert.DoesNotContain(SyncHarness.PlexToken, failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(SyncHarness.ApiKey, failure.ToString(), StringComparison.Ordinal);
        if (@case != "plex rejects a field")
        {
            Assert.Equal(0, h.PlexWrites()); // only the edit comes after the poster upload
        }
    }

    [Fact]
    public async Task RunAsync_PlexRefusesTheToken_FailsAuthFailedAfterOneRequest()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 1);
        h.PlexSim.AddFault(new Fault { Status = 401 });

        var failure = await h.FailAsync(1);

        Assert.Equal(ErrorTypes.AuthFailed, failure.ErrorType);
        Assert.True(failure.NonRetryable);
        Assert.Contains("Plex refused the token", failure.Message, StringComparison.Ordinal);
        Assert.Single(h.PlexSim.Requests());
        Assert.DoesNotContain(SyncHarness.PlexToken, failure.ToString(), StringComparison.Ordinal);
    }

    // The failed run carries the activity's own type and message (what the Web UI shows), with the
    // activity failure as its cause.
    [Fact]
    public async Task RunAsync_PlexRejectsTheEdit_FailsWithTheActivitysErrorTypeAndMessage()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 1);
        h.PlexSim.AddFault(new Fault { Method = "PUT", PathPrefix = "/library/sections/", Status = 400 });

        var failure = await h.FailAsync(1);

        Assert.Equal(ErrorTypes.Rejected, failure.ErrorType);
        Assert.StartsWith("plex: PUT /library/sections/1/all: HTTP 400", failure.Message, StringComparison.Ordinal);
        var activity = Assert.IsType<ActivityFailureException>(failure.InnerException);
        Assert.Equal(ActivityPolicies.ApplyMetadata, activity.ActivityType);
        var cause = Assert.IsType<ApplicationFailureException>(activity.InnerException);
        Assert.Equal(ErrorTypes.Rejected, cause.ErrorType);
        Assert.Equal(cause.Message, failure.Message);
    }

    [Fact]
    public async Task RunAsync_NotYetInPlex_RetriesSlowlyUntilPlexHasScanned()
    {
        // The dev server retries an activity no sooner than about a second after a failure, so the slow
        // retries must be slower than that to tell them from fast ones: half jitter of 2.5 s is 1.25..2.5 s.
        var slow = TimeSpan.FromSeconds(2.5);
        await using var h = await SyncHarness.StartAsync(
            server.Client, 0, s => s with { Tuning = s.Tuning with { NotInPlexInitial = slow, NotInPlexMax = slow } });
        h.Library.AddScene(SimulatedLibrary.SeedScene(7), inPlex: false);
        h.BeforeActivity = (name, attempt) =>
        {
            if (name == ActivityPolicies.MatchPlexItem && attempt == 3)
            {
                h.Library.ScanIntoPlex(7); // Plex finishes its scan
            }

            return Task.CompletedTask;
        };

        var result = await h.SyncAsync(7);

        Assert.Equal(Outcomes.Synced, result.Outcome);
        var at = h.Attempts(ActivityPolicies.MatchPlexItem);
        Assert.Equal(3, at.Count);
        for (var i = 1; i < at.Count; i++)
        {
            Assert.True(at[i] - at[i - 1] >= (slow / 2) - TimeSpan.FromMilliseconds(20), $"gap {i} is {(at[i] - at[i - 1]).TotalMilliseconds} ms: not a slow retry");
        }
    }

    [Fact]
    public async Task RunAsync_SceneAppearsInPlexLater_Syncs()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 0);
        h.Library.AddScene(SimulatedLibrary.SeedScene(5), inPlex: false);
        var lookups = "/library/sections/" + Key(SimulatedLibrary.SectionKey) + "/all";

        var handle = await h.StartAsync(5);

        // Let Plex be asked (and miss) twice, by path and by name each time, then "finish the scan".
        await h.PlexSim.WaitForAsync(() => h.PlexSim.Count("GET", lookups) >= 4, SyncHarness.Limit);
        h.Library.ScanIntoPlex(5);
        var result = await handle.GetResultAsync().WaitAsync(SyncHarness.Limit);

        Assert.Equal(Outcomes.Synced, result.Outcome);
        Assert.True(h.Attempts(ActivityPolicies.MatchPlexItem).Count >= 3);
        await h.AssertInStepAsync(5);
    }

    [Fact]
    public async Task RunAsync_NeverInPlex_GivesUpAfterItsTimeLimit()
    {
        // The dev server starts an activity's retry no sooner than about a second after the failure,
        // whatever delay the failure asks for: 3.5 s leaves room for three attempts.
        var limit = TimeSpan.FromSeconds(3.5);
        await using var h = await SyncHarness.StartAsync(server.Client, 0, s => s with { Tuning = s.Tuning with { NotInPlexFor = limit } });
        h.Library.AddScene(SimulatedLibrary.SeedScene(8), inPlex: false);

        var failure = await h.FailAsync(8);

        Assert.Equal(ErrorTypes.NotInPlexYet, failure.ErrorType);
        Assert.Contains(SimulatedLibrary.PlexRoot + "/008/scene-00008.mp4", failure.Message, StringComparison.Ordinal);
        var at = h.Attempts(ActivityPolicies.MatchPlexItem);
        Assert.True(at.Count >= 3, $"{at.Count} attempts; want several");
        Assert.True(at[^1] - at[0] <= limit, $"attempts spanned {at[^1] - at[0]}; want within {limit}");
    }

    [Fact]
    public async Task RunAsync_SceneNotInStash_IsSkippedWithoutAskingPlex()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 1);

        var result = await h.SyncAsync(404);

        Assert.Equal(Outcomes.Skipped, result.Outcome);
        Assert.NotEmpty(result.SkipReason);
        Assert.Empty(h.PlexSim.Requests());
    }

    [Fact]
    public async Task RunAsync_ItemRescannedBeforeTheWrite_MatchesAgainAndWritesTheNewItem()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 1);
        var rescanned = 0;
        h.BeforeActivity = (name, _) =>
        {
            if (name == ActivityPolicies.ApplyMetadata && Interlocked.Exchange(ref rescanned, 1) == 0)
            {
                h.Library.Rescan(1);
            }

            return Task.CompletedTask;
        };

        var result = await h.SyncAsync(1);

        Assert.Equal(Outcomes.Synced, result.Outcome);
        Assert.Equal(2, h.Attempts(ActivityPolicies.MatchPlexItem).Count);
        Assert.Equal(Key(h.Library.RatingKey(1)), result.RatingKey);
        await h.AssertInStepAsync(1);
    }

    [Fact]
    public async Task RunAsync_GivenMatch_IsUsedWithoutAskingPlexAgain()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 1);
        var ratingKey = Key(h.Library.RatingKey(1));

        var result = await h.SyncAsync(1, new PlexMatch(ratingKey, ItemMatcher.ByPath));

        Assert.Equal(Outcomes.Synced, result.Outcome);
        Assert.Equal(ratingKey, result.RatingKey);
        Assert.Equal(ItemMatcher.ByPath, result.Strategy);
        Assert.Empty(h.Attempts(ActivityPolicies.MatchPlexItem));
        Assert.Equal(0, h.PlexSim.Count("GET", "/library/sections"));
    }

    [Fact]
    public async Task RunAsync_GivenMatchOfRescannedItem_MatchesAgainAndWritesTheNewItem()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 1);
        var old = Key(h.Library.RatingKey(1));
        var now = Key(h.Library.Rescan(1));

        var result = await h.SyncAsync(1, new PlexMatch(old, ItemMatcher.ByPath));

        Assert.Equal(Outcomes.Synced, result.Outcome);
        Assert.Equal(now, result.RatingKey);
        Assert.Single(h.Attempts(ActivityPolicies.MatchPlexItem));
        await h.AssertInStepAsync(1);
    }

    [Fact]
    public async Task RunAsync_StalePlexTags_AreRemoved()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 1);
        h.PlexSim.SetItem(h.Library.RatingKey(1), item =>
        {
            item.Tags["genre"] = ["Old Genre", "Another Old"];
            item.Tags["actor"] = ["Somebody Else"];
            item.Tags["collection"] = ["Stale Collection"];
        });

        await h.SyncAsync(1);

        Assert.True(h.PlexSim.TryGetItem(h.Library.RatingKey(1), out var item));
        Assert.True(h.StashSim.TryGetScene(1, out var scene));
        Assert.Equal(scene.Tags, item.TagsOf("genre"));
        Assert.Equal([scene.Studio!], item.TagsOf("collection"));
        Assert.DoesNotContain("Somebody Else", item.TagsOf("actor"));
        await h.AssertInStepAsync(1);
    }

    [Fact]
    public async Task RunAsync_Synced_IsSearchableBySceneOutcomeAndRatingKey()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 1);
        var handle = await h.StartAsync(1);
        await handle.GetResultAsync().WaitAsync(SyncHarness.Limit);

        var attributes = (await handle.DescribeAsync()).TypedSearchAttributes;

        Assert.Equal("1", attributes.Get(SearchAttributes.StashSceneId));
        Assert.Equal(Outcomes.Synced, attributes.Get(SearchAttributes.Outcome));
        Assert.Equal(Key(h.Library.RatingKey(1)), attributes.Get(SearchAttributes.PlexRatingKey));
    }

    [Fact]
    public async Task RunAsync_EditInStash_ReachesPlex()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 1);
        await h.SyncAsync(1);
        h.StashSim.Update(1, s =>
        {
            s.Title = "Renamed";
            s.Tags = ["Only Tag"];
            s.Rating100 = null;
            s.ImageVersion = 2;
        });
        h.PlexSim.ResetLog();

        var result = await h.SyncAsync(1);

        Assert.Equal(Outcomes.Synced, result.Outcome);
        Assert.Equal(["genre", "poster", "title", "userRating"], result.Changed);
        Assert.True(h.PlexSim.TryGetItem(h.Library.RatingKey(1), out var item));
        Assert.Equal("Renamed", item.Title);
        Assert.Null(item.UserRating);
        await h.AssertInStepAsync(1);
    }

    // README: the poster is never Stash's built-in placeholder for a scene without a cover, and Plex's own
    // poster stays unlocked: PlexSync locks only a poster it set.
    [Fact]
    public async Task RunAsync_SceneWithoutCover_NeverUploadsNorLocksAPoster()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 1);
        h.StashSim.Update(1, s => s.HasCover = false);
        var posters = $"/library/metadata/{Key(h.Library.RatingKey(1))}/poster";

        var first = await h.SyncAsync(1);
        h.PlexSim.ResetLog();
        h.StashSim.ResetLog();
        var second = await h.SyncAsync(1);

        Assert.Equal(Outcomes.Synced, first.Outcome);
        Assert.Equal(Outcomes.Unchanged, second.Outcome);
        Assert.True(h.PlexSim.TryGetItem(h.Library.RatingKey(1), out var item));
        Assert.Equal(0, item.Uploads);
        Assert.Empty(item.Posters);
        Assert.False(item.IsLocked(PlexFields.Poster));
        Assert.True(item.IsLocked(PlexFields.Title));
        Assert.Equal(0, h.PlexWrites());
        Assert.Equal(0, h.PlexSim.Count(null, posters));
        Assert.Equal(0, h.StashSim.Count("GET", "/scene/")); // the worker remembers that this screenshot is the placeholder
    }

    // A cover added later is uploaded and locked then.
    [Fact]
    public async Task RunAsync_CoverAddedToASceneWithout_IsUploadedAndLocked()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 1);
        h.StashSim.Update(1, s => s.HasCover = false);
        await h.SyncAsync(1);
        h.StashSim.Update(1, s => s.HasCover = true);

        var result = await h.SyncAsync(1);

        Assert.Equal(["poster"], result.Changed);
        await h.AssertInStepAsync(1);
    }

    // README: a SceneChanged signal during a pass makes one more pass with fresh data.
    [Fact]
    public async Task SceneChanged_DuringPass_SecondPassWritesTheEdit()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 1);
        var applying = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.BeforeActivity = async (name, _) =>
        {
            if (name == ActivityPolicies.ApplyMetadata && applying.TrySetResult())
            {
                await release.Task.WaitAsync(SyncHarness.Limit);
            }
        };

        var handle = await h.StartAsync(1);
        await applying.Task.WaitAsync(SyncHarness.Limit);
        h.StashSim.Update(1, s => s.Title = "Edited during the sync");
        await handle.SignalAsync(wf => wf.SceneChangedAsync(SyncReasons.Hook));
        release.SetResult();
        var result = await handle.GetResultAsync().WaitAsync(SyncHarness.Limit);

        Assert.Equal(2, result.Passes);
        Assert.Equal(Outcomes.Synced, result.Outcome);
        Assert.True(h.PlexSim.TryGetItem(h.Library.RatingKey(1), out var item));
        Assert.Equal("Edited during the sync", item.Title);
        await h.AssertInStepAsync(1);
    }

    private static string Key(int ratingKey) => ratingKey.ToString(CultureInfo.InvariantCulture);
}
