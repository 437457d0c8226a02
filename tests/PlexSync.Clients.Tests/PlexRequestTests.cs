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
        Assert.Equal("plexsync", request.Headers.GetValues("X-Plex-Client-Identifier").Single());
        Assert.Equal("PlexSync", request.Headers.GetValues("X-Plex-Product").Single());
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

    [Fact]
    public async Task ItemsAsync_AskesForAHundredKeysAtATime_AndSkipsAMissingChunk()
    {
        var stub = new StubHandler((request, _) =>
        {
            var keys = request.RequestUri!.AbsolutePath["/library/metadata/".Length..].Split(',');
            if (keys[0] == "200")
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
            }

            var metadata = string.Join(',', keys.Select(k => $$$"""{"ratingKey": "{{{k}}}", "title": "t{{{k}}}"}"""));
            return Task.FromResult(StubHandler.Answer(HttpStatusCode.OK, $$$"""{"MediaContainer": {"Metadata": [{{{metadata}}}]}}""", "application/json"));
        });
        var keys = Enumerable.Range(1, 150).Select(i => i.ToString(CultureInfo.InvariantCulture)).Append("200").ToList();
        keys.InsertRange(100, Enumerable.Range(200, 100).Select(i => i.ToString(CultureInfo.InvariantCulture)));

        var items = await Clients.Plex(stub).ItemsAsync(keys, CancellationToken.None);

        Assert.Equal(3, stub.Requests.Count);
        Assert.Equal(150, items.Count);
        Assert.Equal("t42", items["42"].Title);
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

    [Fact]
    public async Task ItemAsync_EmptyMetadata_IsNotFound()
    {
        var ex = await Assert.ThrowsAsync<ServiceException>(() => Clients.Plex(StubHandler.Json(EmptyContainer)).ItemAsync("5", CancellationToken.None));

        Assert.Equal(FailureKind.NotFound, ex.Kind);
    }
}
