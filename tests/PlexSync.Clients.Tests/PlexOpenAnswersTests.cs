using System.Globalization;
using System.Security.Cryptography;
using PlexSync.Domain;
using PlexSync.Simulators;

namespace PlexSync.Clients.Tests;

/// <summary>
/// The client against each plausible answer where the references leave Plex's answer open (the README's
/// "Plex requests"), and against a Plex that refuses long requests.
/// </summary>
public sealed class PlexOpenAnswersTests : IAsyncLifetime
{
    private PlexSimulator plex = null!;
    private PlexClient client = null!;

    public async Task InitializeAsync()
    {
        plex = await PlexSimulator.StartAsync();
        plex.AddSection(1, "Movies", "/media");
        client = PlexClient.Create(new PlexClientOptions { Url = plex.BaseAddress, Token = "t", Timeout = TimeSpan.FromSeconds(10) });
    }

    public async Task DisposeAsync() => await plex.DisposeAsync();

    public static TheoryData<string, string> PosterLists() => new()
    {
        { "Metadata", "upload://posters/" },
        { "Photo", "upload://posters/" },
        { "Metadata", "upload://thumbs/42/" },
    };

    [Theory]
    [MemberData(nameof(PosterLists))]
    public async Task Posters_UnderEitherKeyAndKeyForm_AreRecognisedAsTheUpload(string listKey, string keyPrefix)
    {
        plex.Answers = new PlexAnswers { PosterListKey = listKey, UploadKey = sha1 => keyPrefix + sha1 };
        var rk = Key(plex.AddItem(1, "/media/a.mp4"));
        byte[] image = [1, 2, 3];

        await client.UploadPosterAsync(rk, image, CancellationToken.None);
        var posters = await client.PostersAsync(rk, CancellationToken.None);

        var poster = Assert.Single(posters);
        Assert.True(poster.Selected);
        Assert.True(PosterCheck.IsUploadOf(poster.RatingKey, Sha1(image)), poster.RatingKey);
    }

    // Without totalSize (python-plexapi then takes size, the page's count), a short page is the last.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FindByFile_WithOrWithoutTotalSize_ReadsEveryPage(bool totalSize)
    {
        plex.Answers = new PlexAnswers { TotalSizeInListings = totalSize };
        for (var i = 0; i < 450; i++)
        {
            plex.AddItem(1, string.Create(CultureInfo.InvariantCulture, $"/media/batch/clip{i:000}.mp4"));
        }

        var found = await client.FindByFileAsync("1", "/media/batch/", CancellationToken.None);
        var exact = await client.ListMoviesAsync("1", 400, CancellationToken.None);

        Assert.Equal(450, found.Select(f => f.RatingKey).Distinct().Count());
        Assert.Equal(400, exact.Count);
        Assert.Equal(3 + 2, plex.Requests().Count);
    }

    [Theory]
    [InlineData("actor")]
    [InlineData("actors")]
    [InlineData("role")]
    [InlineData("roles")]
    public async Task CastLock_UnderAnyOfItsNames_ReadsAsTheActorLock(string name)
    {
        plex.Answers = new PlexAnswers { CastLockName = name };
        var rk = Key(plex.AddItem(1, "/media/a.mp4"));

        await client.EditAsync("1", rk, new Changes { Tags = new Dictionary<string, TagEdit> { [PlexFields.Actor] = new(["Ann"], []) } }, CancellationToken.None);
        var item = await client.ItemAsync(rk, CancellationToken.None);

        Assert.True(item.State.IsLocked(PlexFields.Actor), string.Join(", ", item.State.Locked));
    }

    // A batched read of a list with a gone item, under either answer: every other item comes back.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Items_WithAGoneOne_ReadsTheOthers(bool wholeListNotFound)
    {
        plex.Answers = new PlexAnswers { WholeListNotFound = wholeListNotFound };
        var keys = Enumerable.Range(0, 120).Select(i => Key(plex.AddItem(1, $"/media/{i}.mp4"))).ToList();
        plex.RemoveItem(int.Parse(keys[7], CultureInfo.InvariantCulture));

        var items = await client.ItemsAsync(keys, CancellationToken.None);

        Assert.Equal(119, items.Count);
        Assert.DoesNotContain(keys[7], items.Keys);
    }

    // Each request is bounded; the long summary goes alone, after the rest.
    [Fact]
    public async Task Edit_LongSummary_GoesInARequestOfItsOwnAfterTheOthers()
    {
        var rk = Key(plex.AddItem(1, "/media/a.mp4"));
        var summary = Cjk(10_000);
        var genres = Enumerable.Range(0, 50).Select(i => $"ジャンル {i}").ToList();

        var notes = await client.EditAsync("1", rk, Edit(summary, genres), CancellationToken.None);

        Assert.Empty(notes);
        var puts = plex.Requests().Where(r => r.Method == "PUT").ToList();
        Assert.Equal(2, puts.Count);
        Assert.Equal(["type", "id", "title.value", "title.locked"], puts[0].Query.Keys.Take(4));
        Assert.True(puts[0].Query.ContainsKey("genre[49].tag.tag"));
        Assert.Equal(["type", "id", "summary.value", "summary.locked"], puts[1].Query.Keys);
        Assert.True(plex.TryGetItem(int.Parse(rk, CultureInfo.InvariantCulture), out var item));
        Assert.Equal(summary, item.Summary);
        Assert.Equal(50, item.TagsOf("genre").Count);
    }

    // A list too long for the bound goes alone too; the bound holds for every request that carries several fields.
    [Fact]
    public async Task Edit_EveryFieldLong_EachAloneInOrder()
    {
        var rk = Key(plex.AddItem(1, "/media/a.mp4"));
        var genres = Enumerable.Range(0, 150).Select(i => $"ジャンル {i}").ToList();

        await client.EditAsync("1", rk, Edit(Cjk(10_000), genres), CancellationToken.None);

        var puts = plex.Requests().Where(r => r.Method == "PUT").Select(r => r.Query.Keys.ElementAt(2)).ToList();
        Assert.Equal(["title.value", "summary.value", "genre[0].tag.tag"], puts);
        Assert.True(plex.TryGetItem(int.Parse(rk, CultureInfo.InvariantCulture), out var item));
        Assert.Equal(150, item.TagsOf("genre").Count);
    }

    // A Plex (or a proxy) refusing long request lines: everything else is written, the summary shortened, visibly.
    [Fact]
    public async Task Edit_PlexRefusesTheLongSummary_WritesTheRestAndTheSummaryShortened()
    {
        plex.MaxRequestLine = 8192;
        var rk = Key(plex.AddItem(1, "/media/a.mp4"));
        var summary = Cjk(10_000);

        var notes = await client.EditAsync("1", rk, Edit(summary, ["Drama"]), CancellationToken.None);

        Assert.True(plex.TryGetItem(int.Parse(rk, CultureInfo.InvariantCulture), out var item));
        Assert.Equal("New title", item.Title);
        Assert.Equal(["Drama"], item.TagsOf("genre"));
        Assert.Equal(LongText.Shorten(summary, LongText.Budgets[0]), item.Summary);
        Assert.True(item.IsLocked("summary"));
        var note = Assert.Single(notes);
        Assert.StartsWith("summary: Plex refused it in a ", note, StringComparison.Ordinal);
        Assert.Contains("(HTTP 414); wrote its first ", note, StringComparison.Ordinal);
        Assert.EndsWith(" of 10,000 characters, ending in \u2026", note, StringComparison.Ordinal);
        Assert.Equal([200, 414, 200], plex.Requests().Select(r => r.Status));
    }

    // The shortened forms are tried in turn, down to the last; a list cannot be shortened and is left out.
    [Fact]
    public async Task Edit_PlexRefusingEvenShortOnes_ShortensFurtherAndLeavesOutTheList()
    {
        plex.MaxRequestLine = 2000;
        var rk = Key(plex.AddItem(1, "/media/a.mp4"));
        var summary = Cjk(10_000);
        var genres = Enumerable.Range(0, 150).Select(i => $"ジャンル {i}").ToList();

        var notes = await client.EditAsync("1", rk, Edit(summary, genres), CancellationToken.None);

        Assert.True(plex.TryGetItem(int.Parse(rk, CultureInfo.InvariantCulture), out var item));
        Assert.Equal("New title", item.Title);
        Assert.Empty(item.TagsOf("genre"));
        Assert.Equal(LongText.Shorten(summary, LongText.Budgets[^1]), item.Summary);
        Assert.Equal(2, notes.Count);
        Assert.StartsWith("summary: ", notes[0], StringComparison.Ordinal);
        Assert.Matches(@"^genre: Plex refused it in a [\d,]+-byte request \(HTTP 414\); not written$", notes[1]);
    }

    // A 400 is Plex rejecting the request, not its length, when the request is within the bound.
    [Fact]
    public async Task Edit_400OnABoundedRequest_IsRejected()
    {
        var rk = Key(plex.AddItem(1, "/media/a.mp4"));
        plex.AddFault(new Fault { Method = "PUT", Status = 400 });

        var e = await Assert.ThrowsAsync<ServiceException>(() => client.EditAsync("1", rk, Edit("short", ["Drama"]), CancellationToken.None));

        Assert.Equal(FailureKind.Rejected, e.Kind);
        Assert.Single(plex.Requests());
    }

    private static Changes Edit(string summary, IReadOnlyList<string> genres) => new()
    {
        Fields = new Dictionary<string, string> { [PlexFields.Title] = "New title", [PlexFields.Summary] = summary },
        Tags = new Dictionary<string, TagEdit> { [PlexFields.Genre] = new(genres, []) },
    };

    private static string Cjk(int length) => string.Concat(Enumerable.Range(0, length).Select(i => (char)('一' + (i % 500))));

#pragma warning disable CA5350 // Plex names an upload by its SHA-1; not a security use
    private static string Sha1(byte[] bytes) => Convert.ToHexStringLower(SHA1.HashData(bytes));
#pragma warning restore CA5350

    private static string Key(int ratingKey) => ratingKey.ToString(CultureInfo.InvariantCulture);
}
