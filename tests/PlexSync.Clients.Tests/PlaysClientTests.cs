using System.Globalization;
using PlexSync.Domain;
using PlexSync.Simulators;

namespace PlexSync.Clients.Tests;

/// <summary>The clients' plays requests: Plex's watch history, identity and accounts; Stash's play history and mutations.</summary>
public sealed class PlaysClientTests : IAsyncLifetime
{
    private const string PlexToken = "plays-plex-token-9a1c";
    private const string StashKey = "plays-stash-key-3b7d";
    private const long T = 1_767_312_000;

    private PlexSimulator plex = null!;
    private StashSimulator stash = null!;
    private PlexClient plexClient = null!;
    private StashClient stashClient = null!;

    public async Task InitializeAsync()
    {
        plex = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Token = PlexToken, LenientJson = true });
        plex.AddSection(1, "Movies", "/media");
        stash = await StashSimulator.StartAsync(new StashSimulatorOptions { ApiKey = StashKey });
        plexClient = PlexClient.Create(new PlexClientOptions { Url = plex.BaseAddress, Token = PlexToken, Timeout = TimeSpan.FromSeconds(5) });
        stashClient = StashClient.Create(new StashClientOptions { Url = stash.BaseAddress, ApiKey = StashKey, Timeout = TimeSpan.FromSeconds(5) });
    }

    public async Task DisposeAsync()
    {
        await plex.DisposeAsync();
        await stash.DisposeAsync();
    }

    [Fact]
    public async Task History_SortedAscFromABound_LenientTypes_DeletedItemHasNoRatingKey()
    {
        var a = plex.AddItem(1, "/media/a.mp4");
        var gone = plex.AddItem(1, "/media/gone.mp4");
        plex.RecordPlay(a, T - 1);
        var second = plex.RecordPlay(gone, T + 5, accountId: 1, deviceId: 3);
        var first = plex.RecordPlay(a, T);
        plex.RemoveItem(gone);

        var rows = await plexClient.HistoryAsync(new PlexHistoryQuery { MinViewedAt = T, Size = 10 }, CancellationToken.None);

        Assert.Equal(
            [
                new PlexHistoryRow(first, T, "1", "1", a.ToString(CultureInfo.InvariantCulture), "1", "a"),
                new PlexHistoryRow(second, T + 5, "1", "3", "", "1", "gone"),
            ],
            rows);
        var sent = plex.Requests().Single(r => r.Path == "/status/sessions/history/all");
        Assert.Equal("viewedAt:asc", sent.Query["sort"].Single());
        Assert.Equal(T.ToString(CultureInfo.InvariantCulture), sent.Query["viewedAt>"].Single());
    }

    [Fact]
    public async Task History_OneSecondAloneWithAccountAndSection()
    {
        var a = plex.AddItem(1, "/media/a.mp4");
        plex.RecordPlay(a, T, accountId: 23);
        var wanted = plex.RecordPlay(a, T, accountId: 1);
        plex.RecordPlay(a, T + 1, accountId: 1);

        var rows = await plexClient.HistoryAsync(
            new PlexHistoryQuery { MinViewedAt = T, MaxViewedAt = T, AccountId = "1", SectionKey = "1" }, CancellationToken.None);

        Assert.Equal([wanted], rows.Select(r => r.HistoryId));
    }

    [Fact]
    public async Task History_UnreadableRow_IsRejected()
    {
        using var handler = StubHandler.Json("""{"MediaContainer":{"size":1,"Metadata":[{"historyKey":"/elsewhere/1","viewedAt":1767312000}]}}""");
        var client = PlexClient.Create(new PlexClientOptions { Url = new Uri("http://127.0.0.1:1"), Token = PlexToken }, handler);

        var error = await Assert.ThrowsAsync<ServiceException>(() => client.HistoryAsync(new PlexHistoryQuery(), CancellationToken.None));

        Assert.Equal(FailureKind.Rejected, error.Kind);
        Assert.Contains("unreadable history row", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerAndAccounts_IdentityWithoutTokenIsFine()
    {
        plex.AddAccount(23456789, "alice");

        var server = await plexClient.ServerAsync(CancellationToken.None);
        var accounts = await plexClient.AccountsAsync(CancellationToken.None);

        Assert.Equal(plex.MachineIdentifier, server.MachineIdentifier);
        Assert.Equal([new PlexAccount("1", "owner"), new PlexAccount("23456789", "alice")], accounts);
    }

    [Fact]
    public async Task InProgress_ItemsWithTheirViewOffset()
    {
        plex.AddItem(1, "/media/a.mp4");
        var b = plex.AddItem(1, "/media/b.mp4");
        plex.SetViewOffset(b, 123_456);

        var items = await plexClient.InProgressAsync("1", CancellationToken.None);

        Assert.Equal([(b.ToString(CultureInfo.InvariantCulture), 123_456L)], items.Select(i => (i.RatingKey, i.ViewOffsetMs)));
        Assert.Equal(["/media/b.mp4"], items[0].Files);
    }

    [Fact]
    public async Task ScenePlays_AddDelete_TimesWholeSecondUtc()
    {
        stash.Put(new StashScene { Id = 17, Files = ["/data/a.mp4"] });
        var at = DateTimeOffset.FromUnixTimeSeconds(T);

        var added = await stashClient.AddPlayAsync("17", at.ToOffset(TimeSpan.FromHours(2)).AddMilliseconds(700), CancellationToken.None);
        await stashClient.AddPlayAsync("17", at, CancellationToken.None);
        var plays = await stashClient.ScenePlaysAsync("17", CancellationToken.None);
        var deleted = await stashClient.DeletePlaysAsync("17", [at], CancellationToken.None);
        var missing = await stashClient.ScenePlaysAsync("99", CancellationToken.None);

        Assert.Equal(1, added.Count);
        Assert.NotNull(plays);
        Assert.Equal((2, 2), (plays.PlayCount, plays.At(T)));
        Assert.Equal(["/data/a.mp4"], plays.Files);
        Assert.Equal(1, deleted.Count);
        Assert.Equal([at], stash.PlayHistory(17));
        Assert.Null(missing);
    }

    [Fact]
    public async Task DeletePlays_RefusesNoTimes_StashWouldDeleteTheLatest()
    {
        stash.Put(new StashScene { Id = 17 });
        stash.AddPlays(17, DateTimeOffset.FromUnixTimeSeconds(T));

        await Assert.ThrowsAsync<ArgumentException>(() => stashClient.DeletePlaysAsync("17", [], CancellationToken.None));
        Assert.Single(stash.PlayHistory(17));
    }

    [Fact]
    public async Task AddPlay_DeletedScene_IsRejected()
    {
        var error = await Assert.ThrowsAsync<ServiceException>(() => stashClient.AddPlayAsync("99", DateTimeOffset.FromUnixTimeSeconds(T), CancellationToken.None));

        Assert.Equal(FailureKind.Rejected, error.Kind);
        Assert.Contains("FOREIGN KEY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddPlay_AnswerLostAfterApplying_IsTransient_AndTheRowIsThere()
    {
        stash.Put(new StashScene { Id = 17 });
        stash.AddFieldFault(new StashFieldFault { Field = "sceneAddPlay", Times = 1 });

        var error = await Assert.ThrowsAsync<ServiceException>(() => stashClient.AddPlayAsync("17", DateTimeOffset.FromUnixTimeSeconds(T), CancellationToken.None));

        Assert.Equal((FailureKind.Transient, 503), (error.Kind, error.Status));
        Assert.Single(stash.PlayHistory(17));
    }

    [Fact]
    public async Task FindScenesByPath_EqualsAndQuotedName()
    {
        stash.Put(new StashScene { Id = 1, Files = ["/data/my clip.mp4"] });
        stash.Put(new StashScene { Id = 2, Files = ["/data/clip.mp4"] });

        var exact = await stashClient.FindScenesByPathAsync(new StashPathQuery("/data/my clip.mp4", false), 1, CancellationToken.None);
        var byName = await stashClient.FindScenesByPathAsync(new StashPathQuery("my clip.mp4", true), 1, CancellationToken.None);

        Assert.Equal(["1"], exact.Scenes.Select(s => s.SceneId));
        Assert.Equal(["1"], byName.Scenes.Select(s => s.SceneId)); // unquoted, "clip.mp4" would find both
        Assert.Equal(["/data/my clip.mp4"], byName.Scenes[0].Files);
    }

    [Fact]
    public async Task SaveResume_ReplacesTheResumePoint()
    {
        stash.Put(new StashScene { Id = 17 });

        await stashClient.SaveResumeAsync("17", 61.5, CancellationToken.None);

        Assert.Equal(61.5, (await stashClient.ScenePlaysAsync("17", CancellationToken.None))!.ResumeTime);
    }

    [Fact]
    public void PlayTime_IsRfc3339UtcWholeSeconds()
    {
        var at = new DateTimeOffset(2026, 1, 2, 5, 4, 5, 999, TimeSpan.FromHours(2));

        Assert.Equal("2026-01-02T03:04:05Z", StashClient.PlayTime(at));
    }

    [Fact]
    public void Comparison_EncodesTheOperator()
    {
        var query = new Http.QueryString().AddComparison("viewedAt", ">", "5").AddComparison("viewedAt", "<", "9");

        Assert.Equal("viewedAt%3E=5&viewedAt%3C=9", query.ToString());
        Assert.Throws<ArgumentException>(() => new Http.QueryString().AddComparison("viewedAt", "=", "5"));
    }
}
