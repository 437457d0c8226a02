using Microsoft.Extensions.Logging.Abstractions;
using PlexSync.Clients.Protection;
using PlexSync.Simulators;

namespace PlexSync.Clients.Tests;

/// <summary>How each failure is classified, and the Plex protection, against the simulated servers.</summary>
public sealed class ErrorClassSimulatorTests : IAsyncLifetime
{
    private const string PlexToken = "plex-test-token-0123";
    private const string StashKey = "stash-test-key-4567";

    private PlexSimulator plex = null!;
    private StashSimulator stash = null!;

    public async Task InitializeAsync()
    {
        plex = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Token = PlexToken });
        plex.AddSection(1, "Movies", "/media");
        stash = await StashSimulator.StartAsync(new StashSimulatorOptions { ApiKey = StashKey });
    }

    public async Task DisposeAsync()
    {
        await plex.DisposeAsync();
        await stash.DisposeAsync();
    }

    [Fact]
    public async Task Plex404OnASectionPath_IsWrongUrl_NamingPlexUrl()
    {
        var wrongPath = Plex(new Uri(plex.BaseAddress, "plex/"));

        var sections = await Assert.ThrowsAsync<ServiceException>(() => wrongPath.SectionsAsync(CancellationToken.None));
        var listing = await Assert.ThrowsAsync<ServiceException>(() => wrongPath.FindByFileAsync("1", "a.mp4", CancellationToken.None));

        Assert.Equal(FailureKind.WrongUrl, sections.Kind);
        Assert.Equal(FailureKind.WrongUrl, listing.Kind);
        Assert.Contains("check plex.url", sections.Message);
        Assert.Equal(404, sections.Status);
    }

    [Fact]
    public async Task Plex404OnAnItem_StaysNotFound_TheItemIsGone()
    {
        var ex = await Assert.ThrowsAsync<ServiceException>(() => Plex(plex.BaseAddress).ItemAsync("424242", CancellationToken.None));

        Assert.Equal(FailureKind.NotFound, ex.Kind);
    }

    [Fact]
    public async Task Plex409_IsConflict()
    {
        plex.AddFault(new Fault { Status = 409, Times = 1 });
        var key = plex.AddItem(1, "/media/a.mp4").ToString(System.Globalization.CultureInfo.InvariantCulture);

        var ex = await Assert.ThrowsAsync<ServiceException>(() => Plex(plex.BaseAddress).RateAsync(key, 5, CancellationToken.None));

        Assert.Equal(FailureKind.Conflict, ex.Kind);
        Assert.Contains("read again", ex.Message);
    }

    [Fact]
    public async Task Stash404_IsWrongUrl_NamingStashUrl()
    {
        var client = StashClient.Create(new StashClientOptions { Url = new Uri(stash.BaseAddress, "stash/"), ApiKey = StashKey });

        var ex = await Assert.ThrowsAsync<ServiceException>(() => client.FindSceneAsync("1", CancellationToken.None));

        Assert.Equal(FailureKind.WrongUrl, ex.Kind);
        Assert.Contains("check stash.url", ex.Message);
    }

    [Theory]
    [InlineData("database is locked", FailureKind.Transient)]
    [InlineData("database table is locked: scenes", FailureKind.Transient)]
    [InlineData("Cannot query field \"foo\" on type \"Scene\"", FailureKind.Rejected)]
    public async Task StashGraphQlError_IsTransientOnlyWhenStashIsBusy(string message, FailureKind kind)
    {
        var client = StashClient.Create(new StashClientOptions { Url = stash.BaseAddress, ApiKey = StashKey });
        stash.FailNextQueries(1, message);

        var ex = await Assert.ThrowsAsync<ServiceException>(() => client.FindSceneAsync("1", CancellationToken.None));

        Assert.Equal(kind, ex.Kind);
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public async Task Protection_AgainstTheSimulator_BreakerStopsRequestsAnd429HoldsTheWorker()
    {
        using var protection = new PlexProtection(
            new PlexProtectionOptions { BreakerFailures = 5, BreakerCooldown = TimeSpan.FromMinutes(1) },
            TimeProvider.System,
            NullLogger<PlexProtection>.Instance);
        var client = Plex(plex.BaseAddress, new PlexProtectionHandler(protection) { InnerHandler = ClientHandlers.CreatePrimaryHandler(TimeSpan.FromSeconds(1)) });

        plex.AddFault(new Fault { Status = 503 });
        var kinds = new List<FailureKind>();
        for (var i = 0; i < 20; i++)
        {
            kinds.Add((await Assert.ThrowsAsync<ServiceException>(() => client.SectionsAsync(CancellationToken.None))).Kind);
        }

        Assert.Equal(5, plex.Count("GET", "/library/sections"));
        Assert.Equal(15, kinds.Count(k => k == FailureKind.CircuitOpen));

        // A fresh worker meets a 429 storm: one request reaches Plex, the rest of the worker waits.
        plex.ClearFaults();
        plex.ResetLog();
        using var fresh = new PlexProtection(new PlexProtectionOptions(), TimeProvider.System, NullLogger<PlexProtection>.Instance);
        var second = Plex(plex.BaseAddress, new PlexProtectionHandler(fresh) { InnerHandler = ClientHandlers.CreatePrimaryHandler(TimeSpan.FromSeconds(1)) });
        plex.AddFault(new Fault { Status = 429, RetryAfter = "30" });
        for (var i = 0; i < 10; i++)
        {
            var ex = await Assert.ThrowsAsync<ServiceException>(() => second.SectionsAsync(CancellationToken.None));
            Assert.Equal(FailureKind.RateLimited, ex.Kind);
            Assert.InRange(ex.RetryAfter, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(30));
        }

        Assert.Equal(1, plex.Count(null, "/library"));
    }

    private static PlexClient Plex(Uri url, HttpMessageHandler? handler = null) =>
        PlexClient.Create(new PlexClientOptions { Url = url, Token = PlexToken, Timeout = TimeSpan.FromSeconds(5) }, handler);
}
