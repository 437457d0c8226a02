using System.Net;
using System.Text.Json;

namespace PlexSync.Clients.Tests;

public class StashRequestTests
{
    private const string SceneJson = """
        {"data": {"findScene": {"id": "45", "title": "T", "details": null, "date": "2023-05-01", "rating100": 80,
          "updated_at": "2026-01-01T23:00:00-05:00", "studio": {"name": "S"}, "performers": [{"name": "Ann"}],
          "tags": [{"name": "x"}, {"name": "y"}], "groups": [{"group": {"name": "G"}}],
          "files": [{"path": "/data/a.mp4"}, {"path": "/data/b.mp4"}],
          "paths": {"screenshot": "http://stash:9999/scene/45/screenshot?t=1700000000&apikey=stash-test-key-4567"}}}}
        """;

    [Fact]
    public async Task FindSceneAsync_MapsEveryField_AndKeepsNoHostOrKeyInTheScreenshot()
    {
        var stub = StubHandler.Json(SceneJson);

        var scene = await Clients.Stash(stub).FindSceneAsync("45", CancellationToken.None);

        Assert.NotNull(scene);
        Assert.Equal(("45", "T", "", "2023-05-01", 80, "S"), (scene.Id, scene.Title, scene.Details, scene.Date, scene.Rating100, scene.Studio));
        Assert.Equal(["Ann"], scene.Performers);
        Assert.Equal(["x", "y"], scene.Tags);
        Assert.Equal(["G"], scene.Groups);
        Assert.Equal(["/data/a.mp4", "/data/b.mp4"], scene.Files);
        Assert.Equal("/scene/45/screenshot?t=1700000000", scene.Screenshot);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 23, 0, 0, TimeSpan.FromHours(-5)), scene.UpdatedAt);
        Assert.Equal(TimeSpan.FromHours(-5), scene.UpdatedAt.Offset);

        var request = Assert.Single(stub.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("http://stash.test:9999/graphql", request.RequestUri!.AbsoluteUri);
        Assert.Equal(Clients.ApiKey, request.Headers.GetValues("ApiKey").Single());
        Assert.Equal("application/json", request.Content!.Headers.ContentType!.MediaType);
        using var body = JsonDocument.Parse(stub.Bodies[0]);
        Assert.Equal("45", body.RootElement.GetProperty("variables").GetProperty("id").GetString());
        Assert.Contains("groups { group { name } }", body.RootElement.GetProperty("query").GetString());
    }

    [Fact]
    public async Task FindSceneAsync_Null_IsNoScene()
    {
        Assert.Null(await Clients.Stash(StubHandler.Json("""{"data": {"findScene": null}}""")).FindSceneAsync("9", CancellationToken.None));
    }

    [Theory]
    [InlineData(false, "ASC")]
    [InlineData(true, "DESC")]
    public async Task FindScenesAsync_SortsByUpdatedAt_WithNoIdsAndNoFilter(bool newestFirst, string direction)
    {
        var stub = StubHandler.Json("""{"data": {"findScenes": {"count": 7, "scenes": [{"id": "1", "updated_at": "2026-01-02T03:04:05Z"}]}}}""");

        var page = await Clients.Stash(stub).FindScenesAsync(new ScenesQuery { Page = 2, PerPage = 3, NewestFirst = newestFirst }, CancellationToken.None);

        Assert.Equal(7, page.Count);
        Assert.Equal("1", Assert.Single(page.Scenes).Id);
        using var body = JsonDocument.Parse(stub.Bodies[0]);
        var variables = body.RootElement.GetProperty("variables");
        Assert.Equal(
            $$$"""{"page":2,"per_page":3,"sort":"updated_at","direction":"{{{direction}}}"}""",
            variables.GetProperty("filter").GetRawText());
        Assert.False(variables.TryGetProperty("ids", out _));
        Assert.False(variables.TryGetProperty("scene_filter", out _));
        Assert.DoesNotContain("scene_filter", body.RootElement.GetProperty("query").GetString());
    }

    [Fact]
    public async Task GraphQlErrors_AreRejected_AndRedacted()
    {
        var stub = StubHandler.Json("""{"errors": [{"message": "bad id apikey=stash-test-key-4567"}, {"message": "second"}], "data": null}""");

        var ex = await Assert.ThrowsAsync<ServiceException>(() => Clients.Stash(stub).FindSceneAsync("abc", CancellationToken.None));

        Assert.Equal(FailureKind.Rejected, ex.Kind);
        Assert.Equal("stash: POST /graphql: HTTP 200: GraphQL error: bad id apikey=REDACTED; second", ex.Message);
    }

    [Fact]
    public async Task UnreadableAnswer_IsRejected_NamingServiceRequestAndExcerpt_WithoutTheKey()
    {
        var stub = new StubHandler((_, _) => Task.FromResult(StubHandler.Answer(HttpStatusCode.OK,
            "<html><body>Proxy login for stash-test-key-4567 " + new string('x', 500) + "</body></html>", "text/html")));

        var ex = await Assert.ThrowsAsync<ServiceException>(() => Clients.Stash(stub).FindSceneAsync("1", CancellationToken.None));

        Assert.Equal(FailureKind.Rejected, ex.Kind);
        Assert.StartsWith("stash: POST /graphql: HTTP 200: unreadable answer: \"<html><body>Proxy login for REDACTED", ex.Message);
        Assert.EndsWith("...\"", ex.Message);
        Assert.True(ex.Message.Length < 250);
    }

    [Fact]
    public async Task BadTimestamp_IsRejectedNamingTheField()
    {
        var stub = StubHandler.Json("""{"data": {"findScene": {"id": "1", "updated_at": "yesterday"}}}""");

        var ex = await Assert.ThrowsAsync<ServiceException>(() => Clients.Stash(stub).FindSceneAsync("1", CancellationToken.None));

        Assert.Equal(FailureKind.Rejected, ex.Kind);
        Assert.EndsWith("field \"findScene.updated_at\": \"yesterday\" is not an RFC 3339 time", ex.Message);
    }

    [Fact]
    public async Task Unauthorized_IsAuthWithTheHint_AndNoKey()
    {
        var ex = await Assert.ThrowsAsync<ServiceException>(() => Clients.Stash(StubHandler.Status(HttpStatusCode.Unauthorized)).FindSceneAsync("1", CancellationToken.None));

        Assert.Equal(FailureKind.Auth, ex.Kind);
        Assert.Contains("set stash.api_key (or PLEXSYNC_STASH_API_KEY)", ex.Message);
        Assert.DoesNotContain(Clients.ApiKey, ex.Message);
    }

    [Fact]
    public async Task ScreenshotAsync_Svg_IsNoCover()
    {
        var stub = new StubHandler((_, _) => Task.FromResult(StubHandler.Answer(HttpStatusCode.OK, "<svg/>", "image/svg+xml")));

        Assert.Null(await Clients.Stash(stub).ScreenshotAsync("/scene/1/screenshot?t=1", CancellationToken.None));
        Assert.Equal("http://stash.test:9999/scene/1/screenshot?t=1", stub.Requests[0].RequestUri!.AbsoluteUri);
        Assert.Equal(Clients.ApiKey, stub.Requests[0].Headers.GetValues("ApiKey").Single());
    }

    [Fact]
    public async Task ScreenshotAsync_Image_ReturnsBytesAndType()
    {
        var stub = new StubHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new ByteArrayContent([0xFF, 0xD8, 0xFF]) { Headers = { ContentType = new("image/jpeg") } },
        }));

        var shot = await Clients.Stash(stub).ScreenshotAsync("/scene/1/screenshot", CancellationToken.None);

        Assert.Equal([0xFF, 0xD8, 0xFF], shot!.Bytes);
        Assert.Equal("image/jpeg", shot.ContentType);
    }

    [Theory]
    [InlineData("//evil.example/x")]
    [InlineData("http://evil.example/scene/1/screenshot")]
    [InlineData("scene/1/screenshot")]
    public async Task ScreenshotAsync_ElsewhereThanStash_IsRefusedBeforeSending(string path)
    {
        var stub = StubHandler.Json("{}");

        await Assert.ThrowsAsync<ArgumentException>(() => Clients.Stash(stub).ScreenshotAsync(path, CancellationToken.None));

        Assert.Empty(stub.Requests);
    }

    [Fact]
    public async Task SessionCookie_IsSentInsteadOfAKey()
    {
        var stub = StubHandler.Json("""{"data": {"findScene": null}}""");
        var stash = StashClient.Create(new StashClientOptions { Url = new Uri("http://stash.test:9999"), SessionCookieValue = "cookie-value-1" }, stub);

        await stash.FindSceneAsync("1", CancellationToken.None);

        Assert.False(stub.Requests[0].Headers.Contains("ApiKey"));
        Assert.Equal("session=cookie-value-1", stub.Requests[0].Headers.GetValues("Cookie").Single());
    }

    [Theory]
    [InlineData("/scene/45/screenshot?t=1&apikey=k", "/scene/45/screenshot?t=1")]
    [InlineData("http://h:9999/scene/45/screenshot?ApiKey=k&t=1", "/scene/45/screenshot?t=1")]
    [InlineData("http://h:9999/stash/scene/45/screenshot", "/stash/scene/45/screenshot")]
    [InlineData("", "")]
    public void LocalPath_KeepsPathAndQueryOnly(string url, string expected)
    {
        Assert.Equal(expected, StashSceneMapper.LocalPath(url));
    }
}
