using System.Net;
using PlexSync.Domain;

namespace PlexSync.Clients.Tests;

public class LenientJsonTests
{
    [Theory]
    [InlineData("true", "7.5", "\"12\"", "5")]
    [InlineData("1", "\"7.5\"", "12", "\"5\"")]
    [InlineData("\"1\"", "\"7.5\"", "\"12\"", "5")]
    [InlineData("\"true\"", "7.5", "12", "5")]
    public async Task ItemAsync_LooseTypes_DecodeTheSame(string locked, string rating, string section, string ratingKey)
    {
        var json = $$$"""
            {"MediaContainer": {"size": 1, "Metadata": [{"ratingKey": {{{ratingKey}}}, "librarySectionID": {{{section}}},
              "title": "T", "userRating": {{{rating}}},
              "Field": [{"name": "title", "locked": {{{locked}}} }, {"name": "summary", "locked": 0}, {"name": "studio", "locked": "0"}],
              "Role": [{"tag": "Ann"}], "Media": [{"Part": [{"file": "/media/a.mp4"}]}]}]}}
            """;
        var plex = Clients.Plex(StubHandler.Json(json));

        var item = await plex.ItemAsync("5", CancellationToken.None);

        Assert.Equal("5", item.RatingKey);
        Assert.Equal("12", item.SectionKey);
        Assert.Equal(7.5, item.State.Rating);
        Assert.Equal(["title"], item.State.Locked);
        Assert.Equal(["Ann"], item.State.TagList(PlexFields.Actor));
        Assert.Equal(["/media/a.mp4"], item.Files);
    }

    [Theory]
    [InlineData("\"userRating\": \"abc\"", "field \"userRating\": \"abc\" is not a number")]
    [InlineData("\"userRating\": true", "field \"userRating\": true is not a number")]
    [InlineData("\"Field\": [{\"name\": \"title\", \"locked\": \"maybe\"}]", "field \"Field[0].locked\": \"maybe\" is not a boolean")]
    [InlineData("\"Field\": [{\"name\": \"title\", \"locked\": 2}]", "field \"Field[0].locked\": 2 is not a boolean")]
    [InlineData("\"ratingKey\": {\"a\": 1}", "field \"ratingKey\": an object is not an id")]
    [InlineData("\"title\": 5", "field \"title\": has an unexpected type")]
    public async Task ItemAsync_NonsenseValue_IsRejectedNamingTheField(string member, string expected)
    {
        var plex = Clients.Plex(StubHandler.Json($$$"""{"MediaContainer": {"Metadata": [{ {{{member}}} }]}}"""));

        var ex = await Assert.ThrowsAsync<ServiceException>(() => plex.ItemAsync("5", CancellationToken.None));

        Assert.Equal(FailureKind.Rejected, ex.Kind);
        Assert.StartsWith("plex: GET /library/metadata/5: HTTP 200: ", ex.Message);
        Assert.EndsWith(expected, ex.Message);
    }

    [Fact]
    public async Task FindByFileAsync_TotalSizeAsString_StillPages()
    {
        var plex = Clients.Plex(StubHandler.Json("""{"MediaContainer": {"totalSize": "1", "Metadata": [{"ratingKey": 7, "title": "x", "Media": [{"Part": [{"file": "/m/x.mp4"}]}]}]}}"""));

        var found = await plex.FindByFileAsync("1", "x.mp4", CancellationToken.None);

        Assert.Equal([new PlexCandidate("7", "1", "x", ["/m/x.mp4"])], found, (a, b) => a.RatingKey == b.RatingKey && a.Files.SequenceEqual(b.Files));
    }

    [Fact]
    public async Task FindByFileAsync_TotalSizeNonsense_IsRejected()
    {
        var plex = Clients.Plex(StubHandler.Json("""{"MediaContainer": {"totalSize": "lots", "Metadata": []}}"""));

        var ex = await Assert.ThrowsAsync<ServiceException>(() => plex.FindByFileAsync("1", "x", CancellationToken.None));

        Assert.Contains("field \"totalSize\": \"lots\" is not a whole number", ex.Message);
    }

    [Fact]
    public async Task PostersAsync_SelectedAsNumber_Decodes()
    {
        var plex = Clients.Plex(StubHandler.Json("""{"MediaContainer": {"Metadata": [{"ratingKey": "upload://posters/ab", "selected": 1}, {"ratingKey": "b", "selected": "0"}]}}"""));

        var posters = await plex.PostersAsync("5", CancellationToken.None);

        Assert.Equal([new PlexPoster("upload://posters/ab", true), new PlexPoster("b", false)], posters);
    }

    [Fact]
    public async Task ItemAsync_XmlAnswer_IsRejectedWithAnExcerpt()
    {
        var plex = Clients.Plex(new StubHandler((_, _) => Task.FromResult(
            StubHandler.Answer(HttpStatusCode.OK, """<?xml version="1.0"?><MediaContainer size="0"/>""", "text/xml"))));

        var ex = await Assert.ThrowsAsync<ServiceException>(() => plex.ItemAsync("5", CancellationToken.None));

        Assert.Equal(FailureKind.Rejected, ex.Kind);
        Assert.Contains("unreadable answer: \"<?xml", ex.Message);
    }

    [Theory]
    [InlineData("role")]
    [InlineData("actor")]
    [InlineData("Actors")]
    public async Task ItemAsync_CastLock_IsReadUnderAnyOfItsNames(string name)
    {
        var plex = Clients.Plex(StubHandler.Json($$$"""{"MediaContainer": {"Metadata": [{"ratingKey": "5", "Field": [{"name": "{{{name}}}", "locked": true}]}]}}"""));

        var item = await plex.ItemAsync("5", CancellationToken.None);

        Assert.True(item.State.IsLocked(PlexFields.Actor));
    }

    [Fact]
    public async Task ItemAsync_NoUserRating_IsNoRating()
    {
        var plex = Clients.Plex(StubHandler.Json("""{"MediaContainer": {"librarySectionID": 3, "Metadata": [{"ratingKey": "5", "userRating": ""}]}}"""));

        var item = await plex.ItemAsync("5", CancellationToken.None);

        Assert.Equal(PlexFields.NoRating, item.State.Rating);
        Assert.Equal("3", item.SectionKey);
        Assert.Empty(item.State.Locked);
    }
}
