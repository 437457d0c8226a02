using System.Globalization;
using PlexSync.Simulators;

namespace PlexSync.Clients.Tests;

/// <summary>The Stash client against the simulated Stash: every call, its answers and its failures.</summary>
public sealed class StashClientSimulatorTests : IAsyncLifetime
{
    private const string StashKey = "stash-test-key-4567";

    private StashSimulator stash = null!;
    private StashClient client = null!;

    public async Task InitializeAsync()
    {
        stash = await StashSimulator.StartAsync(new StashSimulatorOptions { ApiKey = StashKey });
        client = NewClient(new StashClientOptions { Url = stash.BaseAddress, ApiKey = StashKey });
    }

    public async Task DisposeAsync() => await stash.DisposeAsync();

    [Fact]
    public async Task FindScene_MapsTheScene_AndItsScreenshotDownloads()
    {
        stash.Put(new StashScene
        {
            Id = 45,
            Title = "T",
            Details = "D",
            Date = "2023-05-01",
            Rating100 = 80,
            Studio = "S",
            Performers = ["Ann"],
            Tags = ["x", "y"],
            Groups = ["G"],
            Files = ["/data/a.mp4", "/data/b.mp4"],
        });

        var scene = await client.FindSceneAsync("45", CancellationToken.None);

        Assert.NotNull(scene);
        Assert.Equal(("T", "D", "2023-05-01", 80, "S"), (scene.Title, scene.Details, scene.Date, scene.Rating100, scene.Studio));
        Assert.Equal(["Ann"], scene.Performers);
        Assert.Equal(["x", "y"], scene.Tags);
        Assert.Equal(["G"], scene.Groups);
        Assert.Equal(["/data/a.mp4", "/data/b.mp4"], scene.Files);
        Assert.True(stash.TryGetScene(45, out var stored));
        Assert.Equal(stored.UpdatedAt, scene.UpdatedAt);
        Assert.Equal(TimeSpan.FromHours(-5), scene.UpdatedAt.Offset); // the server's zone, as Stash sends it
        Assert.StartsWith("/scene/45/screenshot", scene.Screenshot);
        Assert.DoesNotContain("://", scene.Screenshot);

        var shot = await client.ScreenshotAsync(scene.Screenshot, CancellationToken.None);

        Assert.Equal(StashSimulator.ScreenshotBytes(stored), shot!.Bytes);
        Assert.Equal(StashSimulator.ScreenshotContentType(stored), shot.ContentType);
    }

    [Fact]
    public async Task FindScene_NullFields_AreEmpty()
    {
        stash.Put(new StashScene { Id = 46, Files = ["/x.mp4"] });

        var bare = await client.FindSceneAsync("46", CancellationToken.None);

        Assert.Equal(("", null, ""), (bare!.Title, bare.Rating100, bare.Studio));
    }

    [Fact]
    public async Task Screenshot_WithoutACover_IsNull()
    {
        stash.Put(new StashScene { Id = 47, Files = ["/x.mp4"], HasCover = false });
        var scene = await client.FindSceneAsync("47", CancellationToken.None);

        Assert.Null(await client.ScreenshotAsync(scene!.Screenshot, CancellationToken.None));
    }

    [Fact]
    public async Task FindScene_UnknownIsNull_BadIdIsRejected()
    {
        Assert.Null(await client.FindSceneAsync("999", CancellationToken.None));

        var ex = await Assert.ThrowsAsync<ServiceException>(() => client.FindSceneAsync("abc", CancellationToken.None));

        Assert.Equal(FailureKind.Rejected, ex.Kind);
        Assert.Contains("GraphQL error", ex.Message);
    }

    [Fact]
    public async Task GraphQlDatabaseLockedWithHttp200_IsTransient()
    {
        stash.Put(new StashScene { Id = 1, Files = ["/f.mp4"] });
        stash.FailNextQueries(1, "database is locked apikey=" + StashKey);

        var ex = await Assert.ThrowsAsync<ServiceException>(() => client.FindSceneAsync("1", CancellationToken.None));

        // Stash passes SQLite's busy error through as a GraphQL error: the same query works later.
        Assert.Equal(FailureKind.Transient, ex.Kind);
        Assert.Equal(200, ex.Status);
        Assert.Contains("database is locked", ex.Message);
        Assert.DoesNotContain(StashKey, ex.Message);
    }

    [Theory]
    [InlineData(false, new[] { "1", "3", "4", "5", "6", "7", "2" })]
    [InlineData(true, new[] { "2", "7", "6", "5", "4", "3", "1" })]
    public async Task FindScenes_PagesByUpdatedAt(bool newestFirst, string[] expected)
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 1; i <= 7; i++)
        {
            stash.Put(new StashScene { Id = i, Files = ["/f.mp4"] }, start.AddSeconds(i));
        }

        stash.Update(2, s => s.Title = "edited"); // now the newest

        var ids = new List<string>();
        for (var page = 1; page <= 3; page++)
        {
            var result = await client.FindScenesAsync(new ScenesQuery { Page = page, PerPage = 3, NewestFirst = newestFirst }, CancellationToken.None);
            Assert.Equal(7, result.Count);
            ids.AddRange(result.Scenes.Select(s => s.Id));
        }

        Assert.Equal(expected, ids);
    }

    [Fact]
    public async Task WrongKey_IsAuth_WithTheHint_AndNoKey()
    {
        stash.Put(new StashScene { Id = 1, Files = ["/f.mp4"] });

        var ex = await Assert.ThrowsAsync<ServiceException>(() =>
            NewClient(new StashClientOptions { Url = stash.BaseAddress, ApiKey = "nope-secret" }).FindSceneAsync("1", CancellationToken.None));

        Assert.Equal(FailureKind.Auth, ex.Kind);
        Assert.Contains("set stash.api_key (or PLEXSYNC_STASH_API_KEY)", ex.Message);
        Assert.DoesNotContain("nope-secret", ex.ToString());
    }

    [Fact]
    public async Task SessionCookie_Authenticates()
    {
        stash.Put(new StashScene { Id = 1, Files = ["/f.mp4"] });
        var hook = NewClient(new StashClientOptions { Url = stash.BaseAddress, SessionCookieValue = stash.SessionCookieValue! });

        Assert.NotNull(await hook.FindSceneAsync("1", CancellationToken.None));
    }

    [Fact]
    public async Task Faults_AreTransient_UntilTheyRunOut()
    {
        stash.Put(new StashScene { Id = 1, Files = ["/f.mp4"] });
        stash.AddFault(new Fault { PathPrefix = "/graphql", Status = 502, Times = 2 });

        for (var i = 0; i < 2; i++)
        {
            var ex = await Assert.ThrowsAsync<ServiceException>(() => client.FindSceneAsync("1", CancellationToken.None));
            Assert.Equal(FailureKind.Transient, ex.Kind);
        }

        Assert.NotNull(await client.FindSceneAsync("1", CancellationToken.None));
    }

    [Fact]
    public async Task DroppedAndSlowAnswers_AreTransient()
    {
        stash.Put(new StashScene { Id = 1, Files = ["/f.mp4"] });
        var fast = NewClient(new StashClientOptions { Url = stash.BaseAddress, ApiKey = StashKey, Timeout = TimeSpan.FromSeconds(1) });

        stash.AddFault(new Fault { Drop = true, Times = 1 });
        var dropped = await Assert.ThrowsAsync<ServiceException>(() => fast.FindSceneAsync("1", CancellationToken.None));
        stash.AddFault(new Fault { Latency = TimeSpan.FromSeconds(20), Times = 1 });
        var slow = await Assert.ThrowsAsync<ServiceException>(() => fast.FindSceneAsync("1", CancellationToken.None));

        Assert.Equal((FailureKind.Transient, 0), (dropped.Kind, dropped.Status));
        Assert.StartsWith("stash: POST /graphql: no response", dropped.Message);
        Assert.Equal(FailureKind.Transient, slow.Kind);
        Assert.Contains("timed out", slow.Message);
        Assert.DoesNotContain(StashKey, dropped.ToString() + slow);
    }

    [Fact]
    public async Task RateLimited_ReadsRetryAfter()
    {
        stash.AddFault(new Fault { Status = 429, RetryAfter = "7", Times = 1 });

        var ex = await Assert.ThrowsAsync<ServiceException>(() => client.FindSceneAsync("1", CancellationToken.None));

        Assert.Equal((FailureKind.RateLimited, TimeSpan.FromSeconds(7)), (ex.Kind, ex.RetryAfter));
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"stash: POST /graphql: HTTP 429: rate limited; retry after 7s"), ex.Message);
    }

    private static StashClient NewClient(StashClientOptions options) =>
        StashClient.Create(options with { ConnectTimeout = TimeSpan.FromSeconds(1), Timeout = options.Timeout == TimeSpan.FromSeconds(30) ? TimeSpan.FromSeconds(5) : options.Timeout });
}
