using System.Globalization;
using PlexSync.Simulators;

namespace PlexSync.Workflows.Tests;

/// <summary>
/// Each error class as a user meets it: SceneSync with the real activities and clients
/// against the simulators, on the real dev server.
/// </summary>
[Collection(DevServerCollection.Name)]
public sealed class ErrorClassWorkflowTests(DevServerFixture server)
{
    [Fact]
    public async Task Plex404OnTheSectionListing_FailsAsConfigErrorNamingPlexUrl_WithoutRetrying()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 1);

        // What a plex.url with a wrong path part gets: Plex answers 404 to every library path.
        h.PlexSim.AddFault(new Fault { PathPrefix = "/library/sections", Status = 404 });

        var failure = await h.FailAsync(1);

        Assert.Equal(ErrorTypes.ConfigError, failure.ErrorType);
        Assert.Contains("check plex.url", failure.Message);
        Assert.Single(h.Attempts(ActivityPolicies.MatchPlexItem));
    }

    [Fact]
    public async Task Sustained500_IsRetriedABoundedNumberOfTimes_ThenSurfacesAsUnavailable()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 1);
        h.PlexSim.AddFault(new Fault { PathPrefix = "/library/metadata/", Status = 500 });

        var failure = await h.FailAsync(1);

        Assert.Equal(ErrorTypes.Unavailable, failure.ErrorType);
        Assert.True(failure.NonRetryable);
        Assert.Contains("HTTP 500", failure.Message);
        Assert.Contains($"on {ActivityPolicies.ServerErrorAttempts} attempts", failure.Message);
        Assert.Equal(ActivityPolicies.ServerErrorAttempts, h.Attempts(ActivityPolicies.ApplyMetadata).Count);
    }

    [Fact]
    public async Task Plex503_IsNotBoundedLikeA500()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 1);
        h.PlexSim.AddFault(new Fault { PathPrefix = "/library/metadata/", Status = 503, Times = ActivityPolicies.ServerErrorAttempts });

        var result = await h.SyncAsync(1);

        Assert.Equal(Outcomes.Synced, result.Outcome);
        Assert.Equal(ActivityPolicies.ServerErrorAttempts + 1, h.Attempts(ActivityPolicies.ApplyMetadata).Count);
    }

    [Fact]
    public async Task Plex409OnTheEdit_ReadsTheItemAgainAndRetries()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 1);
        h.PlexSim.AddFault(new Fault { Method = "PUT", PathPrefix = "/library/sections/", Status = 409, Times = 1 });

        var result = await h.SyncAsync(1);

        Assert.Equal(Outcomes.Synced, result.Outcome);
        Assert.Equal(2, h.Attempts(ActivityPolicies.ApplyMetadata).Count);
        var item = "/library/metadata/" + h.Library.RatingKey(1).ToString(CultureInfo.InvariantCulture);
        Assert.Equal(2, h.PlexSim.Requests().Count(r => r.Method == "GET" && r.Path == item)); // fetched again
        Assert.Equal([409, 200], h.PlexSim.Requests().Where(r => r.Method == "PUT" && r.Path.StartsWith("/library/sections/", StringComparison.Ordinal)).Select(r => r.Status));
        await h.AssertInStepAsync(1);
    }

    [Fact]
    public async Task UnreadableAnswer_IsRejected_NamingServiceRequestAndExcerpt()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 1);

        // A 200 with an HTML page (a proxy's login page, a captive portal): not Plex's JSON.
        h.PlexSim.AddFault(new Fault { PathPrefix = "/library/metadata/", Status = 200 });

        var failure = await h.FailAsync(1);

        Assert.Equal(ErrorTypes.Rejected, failure.ErrorType);
        var item = "/library/metadata/" + h.Library.RatingKey(1).ToString(CultureInfo.InvariantCulture);
        Assert.StartsWith($"plex: GET {item}: HTTP 200: unreadable answer: \"<", failure.Message);
        Assert.Single(h.Attempts(ActivityPolicies.ApplyMetadata));
    }

    [Fact]
    public async Task StashDatabaseLocked_IsUnavailable_AndRetried()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 1);
        h.StashSim.ResetLog();
        h.StashSim.FailNextQueries(2, "database is locked");

        var result = await h.SyncAsync(1);

        Assert.Equal(Outcomes.Synced, result.Outcome);
        Assert.True(h.StashSim.Count("POST", "/graphql") >= 3, "the locked queries were not retried");
        await h.AssertInStepAsync(1);
    }
}
