using System.Net.Http.Json;
using System.Text.Json;
using PlexSync.Simulators;

namespace PlexSync.Clients.Tests;

/// <summary>
/// The findScenes shapes the reconciliation pages with: an updated_at bound that is Stash's own text, one
/// performer's (tag's, studio's, group's) scenes, and explicit IDs. Request shapes against a stub, behaviour
/// against the simulated Stash (which compares and sorts updated_at as text, in a zone of UTC-5).
/// </summary>
public sealed class StashReconcileQueryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private StashSimulator stash = null!;
    private StashClient client = null!;

    public async Task InitializeAsync()
    {
        stash = await StashSimulator.StartAsync(new StashSimulatorOptions { ApiKey = Clients.ApiKey });
        client = StashClient.Create(new StashClientOptions { Url = stash.BaseAddress, ApiKey = Clients.ApiKey });
    }

    public async Task DisposeAsync() => await stash.DisposeAsync();

    [Theory]
    [InlineData(SceneEntityKinds.Performer, "performers")]
    [InlineData(SceneEntityKinds.Tag, "tags")]
    [InlineData(SceneEntityKinds.Studio, "studios")]
    [InlineData(SceneEntityKinds.Group, "groups")]
    public async Task FindScenesAsync_BoundAndEntity_SendsBetweenWithTheRawTextAndIncludes(string kind, string field)
    {
        var stub = StubHandler.Json("""{"data": {"findScenes": {"count": 1, "scenes": [{"id": "1", "updated_at": "2026-01-01T23:00:00-05:00"}]}}}""");

        await Clients.Stash(stub).FindScenesAsync(
            new ScenesQuery { Page = 3, PerPage = 10, NewestFirst = true, UpdatedAtUpTo = "2026-01-01T23:00:00-05:00", Entity = new SceneEntity(kind, "17") },
            CancellationToken.None);

        using var body = JsonDocument.Parse(stub.Bodies[0]);
        var variables = body.RootElement.GetProperty("variables");
        Assert.Equal("""{"page":3,"per_page":10,"sort":"updated_at","direction":"DESC"}""", variables.GetProperty("filter").GetRawText());
        Assert.Equal(
            "{\"updated_at\":{\"modifier\":\"BETWEEN\",\"value\":\"0001-01-01T00:00:00Z\",\"value2\":\"2026-01-01T23:00:00-05:00\"},"
            + $"\"{field}\":{{\"value\":[\"17\"],\"modifier\":\"INCLUDES\"}}}}",
            variables.GetProperty("scene_filter").GetRawText());
        Assert.Contains("$scene_filter: SceneFilterType", body.RootElement.GetProperty("query").GetString());
        Assert.False(variables.TryGetProperty("ids", out _));
    }

    [Fact]
    public async Task FindScenesAsync_KeepsUpdatedAtExactlyAsStashWroteIt()
    {
        var stub = StubHandler.Json("""
            {"data": {"findScenes": {"count": 2, "scenes": [
              {"id": "1", "updated_at": "2026-01-01T23:00:00-05:00"}, {"id": "2", "updated_at": "2026-01-02T04:00:00Z"}]}}}
            """);

        var page = await Clients.Stash(stub).FindScenesAsync(new ScenesQuery { NewestFirst = true }, CancellationToken.None);

        Assert.Equal(["2026-01-01T23:00:00-05:00", "2026-01-02T04:00:00Z"], page.UpdatedAtTexts);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 4, 0, 0, TimeSpan.Zero), page.Scenes[0].UpdatedAt);
    }

    [Fact]
    public async Task FindScenesByIdsAsync_SendsOnlyTheIds()
    {
        var stub = StubHandler.Json("""{"data": {"findScenes": {"count": 2, "scenes": [{"id": "4", "updated_at": "2026-01-01T23:00:00Z"}, {"id": "9", "updated_at": "2026-01-01T23:00:00Z"}]}}}""");

        var page = await Clients.Stash(stub).FindScenesByIdsAsync(["4", "9"], CancellationToken.None);

        Assert.Equal(["4", "9"], page.Scenes.Select(s => s.Id));
        using var body = JsonDocument.Parse(stub.Bodies[0]);
        Assert.Equal("""{"ids":["4","9"]}""", body.RootElement.GetProperty("variables").GetRawText());
    }

    [Fact]
    public async Task FindScenesAsync_BoundIsTheLastScenesText_NextPageStartsThereInclusive()
    {
        // Three scenes share a second: the bound returns them again (BETWEEN is inclusive), nothing newer.
        for (var i = 1; i <= 6; i++)
        {
            stash.Put(new StashScene { Id = i, Title = $"Scene {i}", Files = ["/f.mp4"] }, Start.AddSeconds(i <= 3 ? 10 : i));
        }

        var first = await client.FindScenesAsync(new ScenesQuery { PerPage = 2, NewestFirst = true }, CancellationToken.None);
        Assert.Equal(["1", "2"], first.Scenes.Select(s => s.Id)); // the tie group, then COALESCE(title, id) ascending
        Assert.Equal(stash.FormatTimestamp(Start.AddSeconds(10)), first.UpdatedAtTexts[1]);
        Assert.EndsWith("-05:00", first.UpdatedAtTexts[1], StringComparison.Ordinal); // the server's zone, kept as is

        var next = await client.FindScenesAsync(
            new ScenesQuery { PerPage = 10, NewestFirst = true, UpdatedAtUpTo = first.UpdatedAtTexts[^1] }, CancellationToken.None);

        Assert.Equal(["1", "2", "3", "6", "5", "4"], next.Scenes.Select(s => s.Id));
        Assert.Equal(6, next.Count);
    }

    [Fact]
    public async Task FindScenesAsync_PerformerScope_FindsThatPerformersScenesOnly()
    {
        stash.Put(new StashScene { Id = 1, Performers = ["Ann", "Bo"], Files = ["/a.mp4"] });
        stash.Put(new StashScene { Id = 2, Performers = ["Bo"], Files = ["/b.mp4"] });
        stash.Put(new StashScene { Id = 3, Performers = ["Ann"], Files = ["/c.mp4"] });
        var ann = await PerformerIdAsync(1, "Ann");

        var page = await client.FindScenesAsync(
            new ScenesQuery { PerPage = 10, NewestFirst = true, Entity = new SceneEntity(SceneEntityKinds.Performer, ann) }, CancellationToken.None);

        Assert.Equal(["1", "3"], page.Scenes.Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.Equal(2, page.Count);
    }

    [Fact]
    public async Task FindScenesByIdsAsync_OneMissing_FailsTheWholeQueryAsRejectedNotFound()
    {
        stash.Put(new StashScene { Id = 1, Files = ["/a.mp4"] });

        var ex = await Assert.ThrowsAsync<ServiceException>(() => client.FindScenesByIdsAsync(["1", "2"], CancellationToken.None));

        Assert.Equal(FailureKind.Rejected, ex.Kind);
        Assert.Contains("scene with id 2 not found", ex.Message);
        Assert.Equal(["1"], (await client.FindScenesByIdsAsync(["1"], CancellationToken.None)).Scenes.Select(s => s.Id));
    }

    // The performer's Stash ID, as Stash's own answer gives it (the client reads names only).
    private async Task<string> PerformerIdAsync(int sceneId, string name)
    {
        using var http = new HttpClient { BaseAddress = stash.BaseAddress };
        http.DefaultRequestHeaders.Add("ApiKey", Clients.ApiKey);
        using var response = await http.PostAsJsonAsync("graphql", new { query = $"{{ findScene(id: \"{sceneId}\") {{ performers {{ id name }} }} }}" });
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return answer.RootElement.GetProperty("data").GetProperty("findScene").GetProperty("performers").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == name).GetProperty("id").GetString()!;
    }
}
