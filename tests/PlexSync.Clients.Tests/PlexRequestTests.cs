using System.Globalization;
using System.Net;
using PlexSync.Domain;

namespace PlexSync.Clients.Tests;

public class PlexRequestTests
{
    private const string EmptyContainer = """{"MediaContainer": {"size": 0}}""";

    [Fact]
    public async Task EveryRequest_CarriesTheTokenInAHeaderOnly()
    {
        var stub = StubHandler.Json("""{"MediaContainer": {"Directory": [{"key": "1", "title": "Movies", "type": "movie"}]}}""");
        var plex = Clients.Plex(stub);

        var sections = await plex.SectionsAsync(CancellationToken.None);

        Assert.Equal([new PlexSection("1", "Movies", "movie")], sections);
        var request = Assert.Single(stub.Requests);
        Assert.Equal("http://plex.test:32400/library/sections", request.RequestUri!.AbsoluteUri);
        Assert.Equal(Clients.Token, request.Headers.GetValues("X-Plex-Token").Single());
        Assert.Equal("application/json", request.Headers.GetValues("Accept").Single());
        Assert.DoesNotContain(request.Headers, h => h.Value.Any(v => v.Contains(Clients.Token, StringComparison.Ordinal)) && h.Key != "X-Plex-Token");
    }

    // Plex lists and authorises devices by these (python-plexapi sends the same set).
    [Fact]
    public async Task EveryRequest_IdentifiesTheClientAsPlexClientsDo()
    {
        var stub = StubHandler.Json(EmptyContainer);

        await Clients.Plex(stub).SectionsAsync(CancellationToken.None);

        var headers = Assert.Single(stub.Requests).Headers;
        string Header(string name) => Assert.Single(headers.GetValues(name));
        Assert.Matches("^plexsync-[0-9a-f]{24}$", Header("X-Plex-Client-Identifier"));
        Assert.Equal("PlexSync", Header("X-Plex-Product"));
        Assert.Equal(PlexIdentity.Version, Header("X-Plex-Version"));
        Assert.Matches(@"^\d+(\.\d+)*$", Header("X-Plex-Version"));
        Assert.Equal(PlexIdentity.Platform, Header("X-Plex-Platform"));
        Assert.NotEmpty(Header("X-Plex-Platform-Version"));
        Assert.Equal(Environment.MachineName, Header("X-Plex-Device-Name"));
    }

    // The identifier is the configured one; without one, the same for a server's every client and run,
    // another for another server, and never the constant "plexsync".
    [Fact]
    public async Task ClientIdentifier_IsTheGivenOneOrStableForTheServer()
    {
        async Task<string> IdentifierAsync(string url, string clientId = "")
        {
            var stub = StubHandler.Json(EmptyContainer);
            var options = new PlexClientOptions { Url = new Uri(url), Token = Clients.Token, ClientId = clientId, DeviceName = "Ünïcode box" };
            await PlexClient.Create(options, stub).SectionsAsync(CancellationToken.None);
            Assert.Equal("?n?code box", stub.Requests[0].Headers.GetValues("X-Plex-Device-Name").Single());
            return stub.Requests[0].Headers.GetValues("X-Plex-Client-Identifier").Single();
        }

        var first = await IdentifierAsync("http://plex.test:32400");

        Assert.Equal(first, await IdentifierAsync("http://plex.test:32400/"));
        Assert.NotEqual(first, await IdentifierAsync("http://other.test:32400"));
        Assert.NotEqual("plexsync", first);
        Assert.Equal("my-install", await IdentifierAsync("http://plex.test:32400", "my-install"));
    }

    [Fact]
    public async Task EditAsync_BuildsTheQueryByteForByte()
    {
        var stub = StubHandler.Json(EmptyContainer);
        var plex = Clients.Plex(stub);
        var changes = new Changes
        {
            Fields = new Dictionary<string, string> { [PlexFields.Title] = "New & Title+1", [PlexFields.Summary] = "Line 1\nLine 2" },
            Tags = new Dictionary<string, TagEdit>
            {
                [PlexFields.Genre] = new(["Keep", "100% Fresh"], ["Stale One", "Rock, Paper", "a+b"]),
                [PlexFields.Actor] = new(["Ann"], []),
            },
            LockPoster = true,
        };

        await plex.EditAsync("1", "42", changes, CancellationToken.None);

        var request = Assert.Single(stub.Requests);
        Assert.Equal(HttpMethod.Put, request.Method);
        Assert.Equal("/library/sections/1/all", request.RequestUri!.AbsolutePath);
        Assert.Equal(
            "?type=1&id=42" +
            "&summary.value=Line%201%0ALine%202&summary.locked=1" +
            "&title.value=New%20%26%20Title%2B1&title.locked=1" +
            "&actor[0].tag.tag=Ann&actor.locked=1" +
            "&genre[0].tag.tag=Keep&genre[1].tag.tag=100%25%20Fresh" +
            "&genre[].tag.tag-=Stale%2520One,Rock%252C%2520Paper,a%252Bb&genre.locked=1" +
            "&thumb.locked=1",
            request.RequestUri.Query);
    }

    [Fact]
    public void RemovalValue_AsPlexDecodesIt_IsEachNameEncodedAndJoinedWithCommas()
    {
        // What the server sees after its one decode of the query: python-plexapi's ','.join(quote(name)).
        var query = new Http.QueryString().AddList("genre[].tag.tag-", ["Stale One", "Rock, Paper", "100%"]).ToString();

        var decoded = Uri.UnescapeDataString(query.Split('=', 2)[1]);

        Assert.Equal("Stale%20One,Rock%2C%20Paper,100%25", decoded);
        Assert.Equal(["Stale One", "Rock, Paper", "100%"], decoded.Split(',').Select(Uri.UnescapeDataString));
    }

    [Fact]
    public async Task EditAsync_NothingToChange_SendsNothing()
    {
        var stub = StubHandler.Json(EmptyContainer);

        await Clients.Plex(stub).EditAsync("1", "42", new Changes(), CancellationToken.None);

        Assert.Empty(stub.Requests);
    }

    [Fact]
    public async Task RateAsync_UsesInvariantCulture()
    {
        var stub = StubHandler.Json(EmptyContainer);
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            await Clients.Plex(stub).RateAsync("42", 7.5, CancellationToken.None);
            await Clients.Plex(stub).RateAsync("42", PlexFields.NoRating, CancellationToken.None);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        Assert.Equal("/:/rate?key=42&identifier=com.plexapp.plugins.library&rating=7.5", stub.Requests[0].RequestUri!.PathAndQuery);
        Assert.EndsWith("&rating=-1", stub.Requests[1].RequestUri!.Query);
    }

    // A stub Plex holding items 1..150; wholeList: a missing key makes the whole list 404, else only a list of missing keys does.
    private static StubHandler MetadataStub(bool wholeList) => new((request, _) =>
    {
        var keys = request.RequestUri!.AbsolutePath["/library/metadata/".Length..].Split(',');
        var present = keys.Where(k => int.Parse(k, CultureInfo.InvariantCulture) <= 150).ToList();
        if (present.Count == 0 || (wholeList && present.Count < keys.Length))
        {
            return Task.FromResult(StubHandler.Answer(HttpStatusCode.NotFound, "<html>Not Found</html>", "text/html"));
        }

        var metadata = string.Join(',', present.Select(k => $$$"""{"ratingKey": "{{{k}}}", "title": "t{{{k}}}"}"""));
        return Task.FromResult(StubHandler.Answer(HttpStatusCode.OK, $$$"""{"MediaContainer": {"Metadata": [{{{metadata}}}]}}""", "application/json"));
    });

    [Fact]
    public async Task ItemsAsync_AsksForAHundredKeysAtATime_AndLeavesMissingOnesOut()
    {
        var stub = MetadataStub(wholeList: false);
        var keys = Enumerable.Range(1, 150).Concat(Enumerable.Range(200, 10)).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();

        var items = await Clients.Plex(stub).ItemsAsync(keys, CancellationToken.None);

        Assert.Equal(150, items.Count);
        Assert.Equal("t42", items["42"].Title);
        Assert.Equal(2, stub.Requests.Count);
        Assert.Equal(100, stub.Requests[0].RequestUri!.AbsolutePath.Split(',').Length);
    }

    // Should Plex answer 404 for a whole list when one item is gone, halving finds every other item.
    [Fact]
    public async Task ItemsAsync_PlexAnswering404ForAListWithOneGoneItem_StillReadsTheOthers()
    {
        var stub = MetadataStub(wholeList: true);
        var keys = Enumerable.Range(1, 150).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        keys.Insert(37, "999");

        var items = await Clients.Plex(stub).ItemsAsync(keys, CancellationToken.None);

        Assert.Equal(150, items.Count);
        Assert.InRange(stub.Requests.Count, 3, 16); // the 51 after the first 100 in one; the 100 with the gone one halved 7 times
    }

    [Fact]
    public async Task FindByFileAsync_PagesUntilTotalSize()
    {
        var stub = new StubHandler((request, _) =>
        {
            var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query);
            var start = int.Parse(query["X-Plex-Container-Start"]!, CultureInfo.InvariantCulture);
            var size = int.Parse(query["X-Plex-Container-Size"]!, CultureInfo.InvariantCulture);
            var count = Math.Min(size, 450 - start);
            var metadata = string.Join(',', Enumerable.Range(start, count).Select(i => $$$"""{"ratingKey": {{{i}}}, "Media": [{"Part": [{"file": "/m/{{{i}}}.mp4"}]}]}"""));
            return Task.FromResult(StubHandler.Answer(HttpStatusCode.OK, $$$"""{"MediaContainer": {"totalSize": 450, "Metadata": [{{{metadata}}}]}}""", "application/json"));
        });

        var found = await Clients.Plex(stub).FindByFileAsync("1", "a b,c", CancellationToken.None);

        Assert.Equal(450, found.Count);
        Assert.Equal(3, stub.Requests.Count);
        Assert.Equal("?type=1&file=a%20b%2Cc&X-Plex-Container-Start=200&X-Plex-Container-Size=200", stub.Requests[1].RequestUri!.Query);
    }

    [Fact]
    public async Task FindByFileAsync_StopsOnAnEmptyPage_WhenTotalSizeLies()
    {
        var calls = 0;
        var stub = new StubHandler((_, _) => Task.FromResult(StubHandler.Answer(HttpStatusCode.OK,
            ++calls == 1 ? """{"MediaContainer": {"totalSize": 9999, "Metadata": [{"ratingKey": 1}]}}""" : """{"MediaContainer": {"totalSize": 9999}}""",
            "application/json")));

        var found = await Clients.Plex(stub).FindByFileAsync("1", "x", CancellationToken.None);

        Assert.Single(found);
        Assert.Equal(2, stub.Requests.Count);
    }

    [Fact]
    public async Task Posters_UploadAndSelect_HitTheRightPaths()
    {
        var stub = StubHandler.Json(EmptyContainer);
        var plex = Clients.Plex(stub);

        await plex.UploadPosterAsync("42", [1, 2, 3], CancellationToken.None);
        await plex.SelectPosterAsync("42", "upload://posters/abc", CancellationToken.None);

        Assert.Equal(HttpMethod.Post, stub.Requests[0].Method);
        Assert.Equal("/library/metadata/42/posters", stub.Requests[0].RequestUri!.PathAndQuery);
        Assert.Equal(HttpMethod.Put, stub.Requests[1].Method);
        Assert.Equal("/library/metadata/42/poster?url=upload%3A%2F%2Fposters%2Fabc", stub.Requests[1].RequestUri!.PathAndQuery);
    }

    // Reading a poster list whose entries sit under a key PlexSync does not know as empty would upload the cover on every sync.
    [Fact]
    public async Task PostersAsync_EntriesUnderAnUnknownKey_IsRejected()
    {
        var stub = StubHandler.Json("""{"MediaContainer": {"size": 2, "Image": [{"ratingKey": "a"}, {"ratingKey": "b"}]}}""");

        var e = await Assert.ThrowsAsync<ServiceException>(() => Clients.Plex(stub).PostersAsync("42", CancellationToken.None));

        Assert.Equal(FailureKind.Rejected, e.Kind);
        Assert.Contains("counts 2 posters but lists none under Metadata or Photo", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostersAsync_NoPosters_IsEmpty() =>
        Assert.Empty(await Clients.Plex(StubHandler.Json(EmptyContainer)).PostersAsync("42", CancellationToken.None));

    [Fact]
    public async Task ItemAsync_EmptyMetadata_IsNotFound()
    {
        var ex = await Assert.ThrowsAsync<ServiceException>(() => Clients.Plex(StubHandler.Json(EmptyContainer)).ItemAsync("5", CancellationToken.None));

        Assert.Equal(FailureKind.NotFound, ex.Kind);
    }
}
