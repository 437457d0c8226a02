using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace PlexSync.Simulators.Tests;

public sealed class StashSimulatorTests : IAsyncLifetime, IDisposable
{
    private const string Key = "secret";
    private StashSimulator stash = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        stash = await StashSimulator.StartAsync(new StashSimulatorOptions { ApiKey = Key, UtcOffset = TimeSpan.FromHours(-5) });
        http = new HttpClient { BaseAddress = stash.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("ApiKey", Key);
        http.DefaultRequestHeaders.Add("Accept", "application/json");
    }

    public void Dispose() => http.Dispose();

    public async Task DisposeAsync()
    {
        await stash.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> QueryAsync(string query, object? variables = null)
    {
        using var response = await http.PostAsJsonAsync("graphql", new { query, variables });
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return (response.StatusCode, body);
    }

    private static List<string> Ids(JsonElement body) =>
        body.GetProperty("data").ValueKind == JsonValueKind.Null ? throw new InvalidOperationException(body.ToString()) : body.GetProperty("data").GetProperty("findScenes").GetProperty("scenes").EnumerateArray()
            .Select(s => s.GetProperty("id").GetString()!).ToList();

    [Fact]
    public async Task FindScene_ReturnsFieldsAndNullForUnknown()
    {
        stash.Put(SimulatedLibrary.SeedScene(5));

        var (status, body) = await QueryAsync("""
            query($id: ID!) { findScene(id: $id) { id title rating100 updated_at studio { name parent_studio { name } }
              performers { name } tags { name } groups { group { name } } stash_ids { endpoint stash_id }
              files { path basename size duration fingerprints { type value } } paths { screenshot } } }
            """, new { id = "5" });
        var (_, missing) = await QueryAsync("{ findScene(id: \"99\") { id } }");

        var scene = body.GetProperty("data").GetProperty("findScene");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Scene 5", scene.GetProperty("title").GetString());
        Assert.Equal("Series 2", scene.GetProperty("groups")[0].GetProperty("group").GetProperty("name").GetString());
        Assert.EndsWith("-05:00", scene.GetProperty("updated_at").GetString(), StringComparison.Ordinal);
        Assert.StartsWith(stash.BaseAddress + "scene/5/screenshot?t=", scene.GetProperty("paths").GetProperty("screenshot").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, missing.GetProperty("data").GetProperty("findScene").ValueKind);
    }

    [Fact]
    public async Task UnknownField_IsAValidationError422()
    {
        var (status, body) = await QueryAsync("{ findScene(id: \"1\") { id bogus } }");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("bogus", body.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("data").ValueKind);
    }

    [Fact]
    public async Task FindScenesByIds_IgnoresFiltersAndPaging_KeepsOrder()
    {
        for (var i = 1; i <= 4; i++)
        {
            stash.Put(SimulatedLibrary.SeedScene(i));
        }

        var (_, body) = await QueryAsync("""
            { findScenes(ids: ["3", "1", "4"], filter: {per_page: 1, page: 2},
                scene_filter: {updated_at: {value: "2999-01-01T00:00:00Z", modifier: GREATER_THAN}}) { count scenes { id } } }
            """);

        Assert.Equal(["3", "1", "4"], Ids(body));
        Assert.Equal(3, body.GetProperty("data").GetProperty("findScenes").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task FindScenesByIds_MissingId_FailsTheWholeQuery()
    {
        stash.Put(SimulatedLibrary.SeedScene(1));

        var (status, body) = await QueryAsync("{ findScenes(ids: [\"1\", \"7\"]) { count scenes { id } } }");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("scene with id 7 not found", body.GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("data").ValueKind);
    }

    [Fact]
    public async Task UpdatedAtFilter_ComparesText()
    {
        // Stored as 2026-01-01T23:00:00-05:00, which is 2026-01-02T04:00:00Z: later than the cut-off in time,
        // but not as text.
        stash.Put(SimulatedLibrary.SeedScene(1), DateTimeOffset.Parse("2026-01-02T04:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        const string query = "query($v: String!) { findScenes(scene_filter: {updated_at: {value: $v, modifier: GREATER_THAN}}) { count scenes { id updated_at } } }";

        var (_, utc) = await QueryAsync(query, new { v = "2026-01-02T03:04:05Z" });
        var (_, local) = await QueryAsync(query, new { v = "2026-01-01T22:04:05-05:00" });

        Assert.Empty(Ids(utc));
        Assert.Equal(["1"], Ids(local));
    }

    [Fact]
    public async Task SortByUpdatedAt_TiesBreakByTitleNaturally()
    {
        var at = DateTimeOffset.Parse("2026-03-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        stash.Put(new StashScene { Id = 1, Title = "Scene 10" }, at);
        stash.Put(new StashScene { Id = 2, Title = "Scene 9" }, at);
        stash.Put(new StashScene { Id = 3, Title = "Old" }, at.AddSeconds(-1));

        var (_, asc) = await QueryAsync("{ findScenes(filter: {sort: \"updated_at\", direction: ASC}) { scenes { id } } }");
        var (_, desc) = await QueryAsync("{ findScenes(filter: {sort: \"updated_at\", direction: DESC}) { scenes { id } } }");

        Assert.Equal(["3", "2", "1"], Ids(asc));
        Assert.Equal(["2", "1", "3"], Ids(desc));
    }

    [Fact]
    public async Task Paging_DefaultIs25AndMinusOneIsAll()
    {
        for (var i = 1; i <= 30; i++)
        {
            stash.Put(SimulatedLibrary.SeedScene(i));
        }

        var (_, first) = await QueryAsync("{ findScenes { count scenes { id } } }");
        var (_, all) = await QueryAsync("{ findScenes(filter: {per_page: -1}) { count scenes { id } } }");

        Assert.Equal(25, Ids(first).Count);
        Assert.Equal(30, first.GetProperty("data").GetProperty("findScenes").GetProperty("count").GetInt32());
        Assert.Equal(30, Ids(all).Count);
    }

    [Fact]
    public async Task TagAndMissingCoverFilters()
    {
        stash.Put(SimulatedLibrary.SeedScene(1) with { HasCover = false });
        stash.Put(SimulatedLibrary.SeedScene(2));
        var (_, tagged) = await QueryAsync("{ findScene(id: \"1\") { tags { id name } } }");
        var tagId = tagged.GetProperty("data").GetProperty("findScene").GetProperty("tags")[0].GetProperty("id").GetString();

        var (_, byTag) = await QueryAsync("query($t: [ID!]) { findScenes(scene_filter: {tags: {value: $t, modifier: INCLUDES}}) { scenes { id } } }", new { t = new[] { tagId } });
        var (_, noCover) = await QueryAsync("{ findScenes(scene_filter: {is_missing: \"cover\"}) { scenes { id } } }");

        Assert.Equal(["1"], Ids(byTag));
        Assert.Equal(["1"], Ids(noCover));
    }

    [Fact]
    public async Task Screenshot_WithoutCover_IsTheSvgPlaceholder()
    {
        stash.Put(SimulatedLibrary.SeedScene(1) with { HasCover = false });
        stash.Put(SimulatedLibrary.SeedScene(2) with { CoverFormat = StashCoverFormat.Png });

        using var svg = await http.GetAsync("scene/1/screenshot?t=1");
        using var png = await http.GetAsync("scene/2/screenshot");
        Assert.True(stash.TryGetScene(2, out var two));

        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        Assert.Equal(StashSimulator.ScreenshotBytes(two), await png.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("scene/9/screenshot")).StatusCode);
    }

    [Fact]
    public async Task Auth_MissingKeyIs401_HeaderQueryAndCookieWork()
    {
        stash.Put(SimulatedLibrary.SeedScene(1));
        using var bare = new HttpClient { BaseAddress = stash.BaseAddress };
        var body = JsonContent.Create(new { query = "{ findScene(id: \"1\") { id } }" });

        var denied = await bare.PostAsync("graphql", body);
        var screenshot = await bare.GetAsync("scene/1/screenshot");
        var byQuery = await bare.GetAsync("scene/1/screenshot?apikey=" + Key);
        using var withCookie = new HttpRequestMessage(HttpMethod.Get, "scene/1/screenshot");
        withCookie.Headers.Add("Cookie", "session=" + stash.SessionCookieValue);
        var byCookie = await bare.SendAsync(withCookie);

        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Equal("FormBased", denied.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, screenshot.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byQuery.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byCookie.StatusCode);
    }

    [Fact]
    public async Task TransientError_NTimesThenSucceeds()
    {
        stash.Put(SimulatedLibrary.SeedScene(1));
        stash.FailNextQueries(1);

        var (status, failed) = await QueryAsync("{ findScene(id: \"1\") { id } }");
        var (_, ok) = await QueryAsync("{ findScene(id: \"1\") { id } }");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("database is locked", failed.GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.Equal("1", ok.GetProperty("data").GetProperty("findScene").GetProperty("id").GetString());
    }

    [Fact]
    public void Update_BumpsUpdatedAtAndDeleteRemoves()
    {
        stash.Put(SimulatedLibrary.SeedScene(1));
        Assert.True(stash.TryGetScene(1, out var before));

        Assert.True(stash.Update(1, s => s.Title = "New"));
        Assert.True(stash.TryGetScene(1, out var after));
        Assert.True(stash.Delete(1));

        Assert.Equal("New", after.Title);
        Assert.True(after.UpdatedAt > before.UpdatedAt);
        Assert.Equal(0, after.UpdatedAt.Millisecond);
        Assert.False(stash.TryGetScene(1, out _));
    }
}

public sealed class SimulatedLibraryTests
{
    [Fact]
    public async Task StartAsync_SeedsBothSides()
    {
        await using var library = await SimulatedLibrary.StartAsync(3, "k", "t");

        Assert.True(library.Stash.TryGetScene(3, out var scene));
        Assert.True(library.Plex.TryGetItem(library.RatingKey(3), out var item));
        Assert.Equal("/media/videos/003/scene-00003.mp4", Assert.Single(item.Files));
        Assert.Equal("/data/videos/003/scene-00003.mp4", scene.Files[0]);
        Assert.Equal("Studio Ümlaut", SimulatedLibrary.SeedScene(2).Studio);
        Assert.Equal(["Chloé Dubois", "Farah Haddad"], SimulatedLibrary.SeedScene(2).Performers);
    }
}
