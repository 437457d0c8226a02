using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace PlexSync.Simulators.Tests;

/// <summary>The play mutations and play fields as Stash's resolvers and SQLite tables give them.</summary>
public sealed class StashPlaysSimulatorTests : IAsyncLifetime, IDisposable
{
    private const string Key = "secret";
    private const string Add = "mutation($id: ID!, $times: [Timestamp!]) { sceneAddPlay(id: $id, times: $times) { count history } }";
    private const string Delete = "mutation($id: ID!, $times: [Timestamp!]) { sceneDeletePlay(id: $id, times: $times) { count history } }";
    private static readonly DateTimeOffset T = DateTimeOffset.Parse("2026-01-02T03:04:05Z", CultureInfo.InvariantCulture);
    private StashSimulator stash = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        stash = await StashSimulator.StartAsync(new StashSimulatorOptions { ApiKey = Key });
        stash.Put(SimulatedLibrary.SeedScene(17));
        http = new HttpClient { BaseAddress = stash.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("ApiKey", Key);
    }

    public void Dispose() => http.Dispose();

    public async Task DisposeAsync() => await stash.DisposeAsync();

    [Fact]
    public async Task AddSameTimeTwice_TwoRows_HistoryNewestFirst_CountAndLastPlayed()
    {
        await QueryAsync(Add, Vars("17", "2025-12-30T20:00:00Z"));
        await QueryAsync(Add, Vars("17", "2026-01-02T03:04:05Z"));
        var (status, body) = await QueryAsync(Add, Vars("17", "2026-01-02T03:04:05Z"));
        var scene = (await QueryAsync("{ findScene(id: \"17\") { play_count last_played_at play_history } }")).Body.GetProperty("data").GetProperty("findScene");

        Assert.Equal(HttpStatusCode.OK, status);
        var result = body.GetProperty("data").GetProperty("sceneAddPlay");
        Assert.Equal(3, result.GetProperty("count").GetInt32());
        string[] newestFirst = ["2026-01-02T03:04:05Z", "2026-01-02T03:04:05Z", "2025-12-30T20:00:00Z"];
        Assert.Equal(newestFirst, Strings(result.GetProperty("history")));
        Assert.Equal(newestFirst, Strings(scene.GetProperty("play_history")));
        Assert.Equal(3, scene.GetProperty("play_count").GetInt32());
        Assert.Equal("2026-01-02T03:04:05Z", scene.GetProperty("last_played_at").GetString());
    }

    [Theory]
    [InlineData("2026-01-02T03:04:05.999Z")]
    [InlineData("2026-01-01T22:04:05.5-05:00")]
    [InlineData("2026-01-02 03:04:05")]
    public async Task Input_FractionsAndOffsets_StoredWholeSecondUtc(string given)
    {
        await QueryAsync(Add, Vars("17", given));

        Assert.Equal([T], stash.PlayHistory(17));
    }

    [Fact]
    public async Task AddWithoutTimesOrEmptyList_OnePlayNow()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await QueryAsync(Add, new { id = "17" });
        await QueryAsync(Add, Vars("17"));

        Assert.Equal(2, stash.PlayHistory(17).Count);
        Assert.All(stash.PlayHistory(17), t => Assert.InRange(t, before, DateTimeOffset.UtcNow.AddSeconds(1)));
    }

    [Fact]
    public async Task DeleteWithTimes_RemovesOneEqualRowPerTime_AbsentTimeIsNoError()
    {
        stash.AddPlays(17, T, T, T.AddDays(-1));

        var (_, body) = await QueryAsync(Delete, Vars("17", "2026-01-02T03:04:05Z", "2020-01-01T00:00:00Z"));

        Assert.False(body.TryGetProperty("errors", out _));
        Assert.Equal(2, body.GetProperty("data").GetProperty("sceneDeletePlay").GetProperty("count").GetInt32());
        Assert.Equal([T, T.AddDays(-1)], stash.PlayHistory(17));
    }

    [Fact]
    public async Task DeleteWithoutTimes_RemovesTheLatest()
    {
        stash.AddPlays(17, T, T.AddDays(-1));

        await QueryAsync(Delete, Vars("17"));

        Assert.Equal([T.AddDays(-1)], stash.PlayHistory(17));
    }

    [Fact]
    public async Task MissingScene_AddFailsOnTheForeignKey_DeleteAnswersEmpty_SaveActivityFails()
    {
        var (addStatus, add) = await QueryAsync(Add, Vars("99", "2026-01-02T03:04:05Z"));
        var (_, delete) = await QueryAsync(Delete, Vars("99", "2026-01-02T03:04:05Z"));
        var (_, save) = await QueryAsync("mutation { sceneSaveActivity(id: \"99\", resume_time: 1) }");

        Assert.Equal(HttpStatusCode.OK, addStatus);
        Assert.Equal("inserting into scenes_view_dates: FOREIGN KEY constraint failed", Error(add));
        Assert.Equal(JsonValueKind.Null, add.GetProperty("data").ValueKind);
        Assert.Equal(0, delete.GetProperty("data").GetProperty("sceneDeletePlay").GetProperty("count").GetInt32());
        Assert.Equal("id 99 does not exist in scenes", Error(save));
    }

    [Theory]
    [InlineData(Add, "converting id: strconv.Atoi: parsing \"x\": invalid syntax")]
    [InlineData(Delete, "strconv.Atoi: parsing \"x\": invalid syntax")]
    public async Task BadId_ErrorAsStashWordsIt(string mutation, string message)
    {
        var (_, body) = await QueryAsync(mutation, Vars("x", "2026-01-02T03:04:05Z"));

        Assert.Equal(message, Error(body));
    }

    [Fact]
    public async Task BadTimestamp_Error_NothingAdded()
    {
        var (_, body) = await QueryAsync(Add, Vars("17", "yesterday"));

        Assert.Equal("ParseDateStringAsTime failed: dateString <yesterday>", Error(body));
        Assert.Empty(stash.PlayHistory(17));
    }

    [Fact]
    public async Task SaveActivity_ResumeReplaced_DurationAdded()
    {
        const string Save = "mutation($id: ID!, $r: Float, $d: Float) { sceneSaveActivity(id: $id, resume_time: $r, playDuration: $d) }";
        await QueryAsync(Save, new { id = "17", r = 10.5, d = 30.0 });
        await QueryAsync(Save, new { id = "17", r = 42.0, d = 30.0 });
        var scene = (await QueryAsync("{ findScene(id: \"17\") { resume_time play_duration } }")).Body.GetProperty("data").GetProperty("findScene");

        Assert.Equal(42.0, scene.GetProperty("resume_time").GetDouble());
        Assert.Equal(60.0, scene.GetProperty("play_duration").GetDouble());
    }

    [Fact]
    public async Task PlayMutations_LeaveUpdatedAt()
    {
        Assert.True(stash.TryGetScene(17, out var before));

        await QueryAsync(Add, Vars("17", "2026-01-02T03:04:05Z"));
        await QueryAsync(Delete, Vars("17", "2026-01-02T03:04:05Z"));
        await QueryAsync("mutation { sceneSaveActivity(id: \"17\", resume_time: 5) }");

        Assert.True(stash.TryGetScene(17, out var after));
        Assert.Equal(before.UpdatedAt, after.UpdatedAt);
    }

    [Theory]
    [InlineData("/data/scene_1.mp4", "EQUALS", new[] { 1, 2, 3 })] // "_" is any one character, ASCII case folds
    [InlineData("/data/SCÈNE_1.mp4", "EQUALS", new int[0])] // only ASCII letters fold
    [InlineData("\"scene 4.mp4\"", "INCLUDES", new[] { 4 })] // quoted: the whole name
    [InlineData("scene 4.mp4", "INCLUDES", new[] { 1, 2, 3, 4 })] // unquoted: any word ("scene"; "scène" is another)
    [InlineData("/data/scene%", "EQUALS", new[] { 1, 2, 3, 4 })] // "%" is any run
    public async Task PathFilter_IsLikeOverEveryFile(string value, string modifier, int[] want)
    {
        stash.Delete(17);
        Put(1, "/data/sceneX1.mp4");
        Put(2, "/DATA/Scene_1.mp4");
        Put(3, "/other/a.mp4", "/data/scene_1.mp4"); // the second file matches
        Put(4, "/data/scene 4.mp4");
        Put(5, "/data/scène_1.mp4");

        var (_, body) = await QueryAsync(
            "query($f: SceneFilterType) { findScenes(scene_filter: $f, filter: {per_page: -1, sort: \"id\"}) { scenes { id } } }",
            new { f = new { path = new { value, modifier } } });

        var ids = body.GetProperty("data").GetProperty("findScenes").GetProperty("scenes").EnumerateArray().Select(s => int.Parse(s.GetProperty("id").GetString()!, CultureInfo.InvariantCulture));
        Assert.Equal(want, ids);
    }

    [Fact]
    public async Task FieldFault_EveryThird_AppliedThenAnswered503()
    {
        stash.AddFieldFault(new StashFieldFault { Field = "sceneAddPlay", Every = 3 });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await http.PostAsJsonAsync("graphql", new { query = Add, variables = Vars("17", T.AddSeconds(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)) });
            statuses.Add(response.StatusCode);
        }

        await QueryAsync("{ findScene(id: \"17\") { id } }");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable], statuses);
        Assert.Equal(6, stash.PlayHistory(17).Count); // every request applied, the lost answers included
        Assert.Equal(6, stash.FieldCount("sceneAddPlay"));
        Assert.Equal(1, stash.FieldCount("findScene"));
    }

    [Fact]
    public async Task FieldFault_NotAppliedFirst_FailsWithoutTheRow()
    {
        stash.AddFieldFault(new StashFieldFault { Field = "sceneAddPlay", ApplyFirst = false, Times = 1 });

        using var failed = await http.PostAsJsonAsync("graphql", new { query = Add, variables = Vars("17", "2026-01-02T03:04:05Z") });
        var (status, _) = await QueryAsync(Add, Vars("17", "2026-01-02T03:04:05Z"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([T], stash.PlayHistory(17));
    }

    [Fact]
    public async Task FieldFault_ApplyAfter_AppliedOnceTheClientHasGivenUp()
    {
        stash.AddFieldFault(new StashFieldFault { Field = "sceneAddPlay", ApplyAfter = TimeSpan.FromSeconds(1), Status = 0, Times = 1 });
        using var impatient = new HttpClient { BaseAddress = stash.BaseAddress, Timeout = TimeSpan.FromMilliseconds(200) };
        impatient.DefaultRequestHeaders.Add("ApiKey", Key);

        await Assert.ThrowsAnyAsync<TaskCanceledException>(() => impatient.PostAsJsonAsync("graphql", new { query = Add, variables = Vars("17", "2026-01-02T03:04:05Z") }));
        Assert.Empty(stash.PlayHistory(17));

        await stash.WaitForAsync(() => stash.PlayHistory(17).Count == 1, TimeSpan.FromSeconds(10));
    }

    private static object Vars(string id, params string[] times) => new { id, times };

    private void Put(int id, params string[] files) => stash.Put(new StashScene { Id = id, Title = $"S{id}", Files = [.. files] });

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static string Error(JsonElement body) => body.GetProperty("errors")[0].GetProperty("message").GetString()!;

    private async Task<(HttpStatusCode Status, JsonElement Body)> QueryAsync(string query, object? variables = null)
    {
        using var response = await http.PostAsJsonAsync("graphql", new { query, variables });
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
