using System.Globalization;
using System.Security.Cryptography;
using PlexSync.Domain;
using PlexSync.Simulators;

namespace PlexSync.Clients.Tests;

/// <summary>The Plex client against the simulated Plex: every call, its answers and its failures.</summary>
public sealed class PlexClientSimulatorTests : IAsyncLifetime
{
    private const string PlexToken = "plex-test-token-0123";

    private PlexSimulator plex = null!;
    private PlexClient client = null!;

    public async Task InitializeAsync()
    {
        plex = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Token = PlexToken });
        plex.AddSection(1, "Movies", "/media");
        client = NewClient(PlexToken);
    }

    public async Task DisposeAsync() => await plex.DisposeAsync();

    [Fact]
    public async Task SectionsAndFindByFile_PageThroughLargeSections()
    {
        for (var i = 0; i < 450; i++)
        {
            plex.AddItem(1, string.Create(CultureInfo.InvariantCulture, $"/media/batch/clip{i:000}.mp4"));
        }

        var wanted = plex.AddItem(1, "/media/other/Special Clip.mkv");

        var sections = await client.SectionsAsync(CancellationToken.None);
        var all = await client.FindByFileAsync("1", "/media/batch/", CancellationToken.None);
        var hits = await client.FindByFileAsync("1", "special clip", CancellationToken.None);

        Assert.Equal([new PlexSection("1", "Movies", "movie")], sections);
        Assert.Equal(450, all.Count);
        Assert.Equal(450, all.Select(c => c.RatingKey).Distinct().Count());
        var hit = Assert.Single(hits);
        Assert.Equal(Key(wanted), hit.RatingKey);
        Assert.Equal("1", hit.SectionId);
        Assert.Equal(["/media/other/Special Clip.mkv"], hit.Files);
    }

    [Fact]
    public async Task ListMovies_StopsAtTheLimit_AcrossPages()
    {
        for (var i = 0; i < 450; i++)
        {
            plex.AddItem(1, string.Create(CultureInfo.InvariantCulture, $"/media/list/clip{i:000}.mp4"));
        }

        var some = await client.ListMoviesAsync("1", 250, CancellationToken.None);
        var all = await client.ListMoviesAsync("1", int.MaxValue, CancellationToken.None);

        Assert.Equal(250, some.Count);
        Assert.Equal(250, some.Select(c => c.Files.Single()).Distinct().Count());
        Assert.Equal(450, all.Count);
        Assert.All(plex.Requests(), r => Assert.Equal("GET", r.Method));
    }

    [Fact]
    public async Task EditRateAndRead_RoundTrip_RemovingTagsWithCommasAndSymbols()
    {
        var rk = plex.AddItem(1, "/media/a.mp4");
        plex.SetItem(rk, it => it.TagList("genre").AddRange(["Stale One", "Rock & Roll", "Keep", "Rock, Paper, Scissors", "100% Off"]));
        var changes = new Changes
        {
            Fields = new Dictionary<string, string>
            {
                [PlexFields.Title] = "New & Title",
                [PlexFields.Summary] = "Line 1\nLine 2",
                [PlexFields.Date] = "2024-02-29",
            },
            Tags = new Dictionary<string, TagEdit>
            {
                [PlexFields.Genre] = new(["Keep", "100% Fresh", "a+b", "Comma, Inside"], ["Stale One", "Rock & Roll", "Rock, Paper, Scissors", "100% Off"]),
                [PlexFields.Actor] = new(["Ann", "Bob", "Cy", "Di", "Ed"], []),
            },
            LockPoster = true,
        };

        await client.EditAsync("1", Key(rk), changes, CancellationToken.None);
        await client.RateAsync(Key(rk), 7.5, CancellationToken.None);
        var item = await client.ItemAsync(Key(rk), CancellationToken.None);

        Assert.Equal(1, plex.Count("PUT", "/library/sections/1/all"));
        Assert.Equal("New & Title", item.State.Field(PlexFields.Title));
        Assert.Equal("Line 1\nLine 2", item.State.Field(PlexFields.Summary));
        Assert.Equal("2024-02-29", item.State.Field(PlexFields.Date));
        Assert.Equal(["Keep", "100% Fresh", "a+b", "Comma, Inside"], item.State.TagList(PlexFields.Genre));
        Assert.Equal(5, item.State.TagList(PlexFields.Actor).Count);
        foreach (var field in new[] { "title", "summary", "originallyAvailableAt", "genre", "actor", "thumb" })
        {
            Assert.True(item.State.IsLocked(field), $"{field} not locked; locks = {string.Join(", ", item.State.Locked)}");
        }

        Assert.Equal(7.5, item.State.Rating);
        Assert.Equal("1", item.SectionKey);

        await client.RateAsync(Key(rk), PlexFields.NoRating, CancellationToken.None);
        Assert.Equal(PlexFields.NoRating, (await client.ItemAsync(Key(rk), CancellationToken.None)).State.Rating);
    }

    [Fact]
    public async Task Posters_UploadSelectAndList()
    {
        var rk = Key(plex.AddItem(1, "/media/a.mp4"));
        byte[] one = [1, 2, 3], two = [4, 5, 6];

        await client.UploadPosterAsync(rk, one, CancellationToken.None);
        await client.UploadPosterAsync(rk, two, CancellationToken.None);
#pragma warning disable CA5350 // Plex names an upload by its SHA-1; not a security use
        var key1 = "upload://posters/" + Convert.ToHexStringLower(SHA1.HashData(one));
#pragma warning restore CA5350
        await client.SelectPosterAsync(rk, key1, CancellationToken.None);
        var posters = await client.PostersAsync(rk, CancellationToken.None);

        Assert.Equal(2, posters.Count);
        Assert.Equal(key1, posters.Single(p => p.Selected).RatingKey);
    }

    [Fact]
    public async Task WrongToken_IsAuth_WithTheHint_AndNoToken()
    {
        var rk = Key(plex.AddItem(1, "/media/a.mp4"));
        var before = plex.Requests().Count;

        var ex = await Assert.ThrowsAsync<ServiceException>(() => NewClient("wrong-token-xyz").ItemAsync(rk, CancellationToken.None));

        Assert.Equal(FailureKind.Auth, ex.Kind);
        Assert.Equal(401, ex.Status);
        Assert.Equal(TimeSpan.Zero, ex.RetryAfter);
        Assert.Contains("set plex.token (or PLEXSYNC_PLEX_TOKEN)", ex.Message);
        Assert.DoesNotContain("wrong-token-xyz", ex.ToString());
        Assert.Equal(before + 1, plex.Requests().Count); // sent once: no retry in the client
    }

    public static TheoryData<string, Fault, FailureKind> Faults() => new()
    {
        { "503", new Fault { Status = 503 }, FailureKind.Transient },
        { "dropped connection", new Fault { Drop = true }, FailureKind.Transient },
        { "slower than the read timeout", new Fault { Latency = TimeSpan.FromSeconds(20) }, FailureKind.Transient },
        { "429 in seconds", new Fault { Status = 429, RetryAfter = "3" }, FailureKind.RateLimited },
        { "404", new Fault { Status = 404 }, FailureKind.NotFound },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Faults_AreClassified_AndClearedFaultsLeaveTheClientWorking(string name, Fault fault, FailureKind kind)
    {
        var rk = Key(plex.AddItem(1, "/media/a.mp4"));
        // Short enough for the slow case, long enough for an answer on a busy CI machine.
        var fast = NewClient(PlexToken, TimeSpan.FromSeconds(2));
        plex.AddFault(fault);

        var ex = await Assert.ThrowsAsync<ServiceException>(() => fast.ItemAsync(rk, CancellationToken.None));

        Assert.True(ex.Kind == kind, $"{name}: {ex.Message}");
        Assert.DoesNotContain(PlexToken, ex.ToString());
        if (kind == FailureKind.RateLimited)
        {
            Assert.Equal(TimeSpan.FromSeconds(3), ex.RetryAfter);
        }

        if (fault.Latency > TimeSpan.Zero)
        {
            Assert.Contains("timed out", ex.Message);
        }

        plex.ClearFaults();
        Assert.Equal(rk, (await fast.ItemAsync(rk, CancellationToken.None)).RatingKey);
    }

    [Fact]
    public async Task RateLimited_WithAnHttpDate_WaitsUntilThatDate()
    {
        var rk = Key(plex.AddItem(1, "/media/a.mp4"));
        plex.AddFault(new Fault { Status = 429, RetryAfter = DateTimeOffset.UtcNow.AddSeconds(120).ToString("r", CultureInfo.InvariantCulture), Times = 1 });

        var ex = await Assert.ThrowsAsync<ServiceException>(() => client.ItemAsync(rk, CancellationToken.None));

        Assert.Equal(FailureKind.RateLimited, ex.Kind);
        Assert.InRange(ex.RetryAfter, TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(120));
    }

    [Fact]
    public async Task BadEdits_AreClassifiedAsPlexAnswersThem()
    {
        var rk = Key(plex.AddItem(1, "/media/a.mp4"));

        var unknownField = await Assert.ThrowsAsync<ServiceException>(() =>
            client.EditAsync("1", rk, new Changes { Fields = new Dictionary<string, string> { ["bogus"] = "x" } }, CancellationToken.None));
        var badDate = await Assert.ThrowsAsync<ServiceException>(() =>
            client.EditAsync("1", rk, new Changes { Fields = new Dictionary<string, string> { [PlexFields.Date] = "not a date" } }, CancellationToken.None));
        var unknownItem = await Assert.ThrowsAsync<ServiceException>(() => client.ItemAsync("999999", CancellationToken.None));

        Assert.Equal(FailureKind.Rejected, unknownField.Kind); // 400: bad field name
        Assert.Equal(FailureKind.Transient, badDate.Kind); // 500: bad field data, as Plex answers it
        Assert.Equal(FailureKind.NotFound, unknownItem.Kind);
        Assert.Equal("plex: PUT /library/sections/1/all: HTTP 400: Bad Request", unknownField.Message);
    }

    [Fact]
    public async Task ItemsAsync_AHundredPerRequest_MissingKeysLeftOut()
    {
        var keys = Enumerable.Range(0, 150).Select(i => Key(plex.AddItem(1, $"/media/{i}.mp4"))).ToList();
        plex.ResetLog();

        var items = await client.ItemsAsync([.. keys, "999999"], CancellationToken.None);

        Assert.Equal(150, items.Count);
        Assert.Equal(["/media/42.mp4"], items[keys[42]].Files);
        Assert.Equal(2, plex.Requests().Count);
    }

    [Fact]
    public async Task LenientJson_ReadsTheSameState()
    {
        var rk = plex.AddItem(1, "/media/a.mp4");
        await client.EditAsync("1", Key(rk), new Changes
        {
            Fields = new Dictionary<string, string> { [PlexFields.Title] = "T" },
            Tags = new Dictionary<string, TagEdit> { [PlexFields.Genre] = new(["G"], []) },
        }, CancellationToken.None);
        await client.RateAsync(Key(rk), 7.3, CancellationToken.None);
        var strict = await client.ItemAsync(Key(rk), CancellationToken.None);

        plex.LenientJson = true;
        var lenient = await client.ItemAsync(Key(rk), CancellationToken.None);
        var found = await client.FindByFileAsync("1", "a.mp4", CancellationToken.None);
        var many = await client.ItemsAsync([Key(rk)], CancellationToken.None);

        Assert.Equal(strict.State.Fields, lenient.State.Fields);
        Assert.Equal(strict.State.Locked.Order(StringComparer.Ordinal), lenient.State.Locked.Order(StringComparer.Ordinal));
        Assert.Equal(strict.State.TagList(PlexFields.Genre), lenient.State.TagList(PlexFields.Genre));
        Assert.Equal(7.3, lenient.State.Rating, 6);
        Assert.Equal(strict.SectionKey, lenient.SectionKey);
        Assert.Equal(Key(rk), Assert.Single(found).RatingKey);
        Assert.Single(many);
    }

    private static string Key(int ratingKey) => ratingKey.ToString(CultureInfo.InvariantCulture);

    private PlexClient NewClient(string token, TimeSpan? timeout = null) => PlexClient.Create(new PlexClientOptions
    {
        Url = plex.BaseAddress,
        Token = token,
        ConnectTimeout = TimeSpan.FromSeconds(1),
        Timeout = timeout ?? TimeSpan.FromSeconds(5),
    });
}
