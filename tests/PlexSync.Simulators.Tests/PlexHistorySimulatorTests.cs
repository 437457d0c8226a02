using System.Globalization;
using System.Net;
using System.Text.Json;

namespace PlexSync.Simulators.Tests;

/// <summary>Plex's watch history, identity and accounts as plex-api-spec and python-plexapi describe them.</summary>
public sealed class PlexHistorySimulatorTests : IAsyncLifetime, IDisposable
{
    private const string Owner = "owner-token";
    private const string Alice = "alice-token";
    private const long T = 1_767_312_000;
    private PlexSimulator plex = null!;
    private HttpClient http = null!;
    private int a;
    private int b;
    private int c;

    public async Task InitializeAsync()
    {
        plex = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Token = Owner, UserTokens = new Dictionary<string, int> { [Alice] = 23 } });
        plex.AddSection(1, "Movies", "/m");
        plex.AddSection(2, "Other", "/o");
        plex.AddAccount(23, "alice");
        a = plex.AddItem(1, "/m/a.mp4");
        b = plex.AddItem(1, "/m/b.mp4");
        c = plex.AddItem(2, "/o/c.mp4");
        http = new HttpClient { BaseAddress = plex.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("Accept", "application/json");
    }

    public void Dispose() => http.Dispose();

    public async Task DisposeAsync() => await plex.DisposeAsync();

    [Fact]
    public async Task History_SortAscAndDesc_PagedByQueryOrHeaders_WithPagingHeaders()
    {
        var ids = new[] { plex.RecordPlay(a, T + 2), plex.RecordPlay(b, T), plex.RecordPlay(a, T + 1) };

        var (asc, ascHeaders) = await HistoryAsync("sort=viewedAt:asc&X-Plex-Container-Start=1&X-Plex-Container-Size=1");
        var (desc, _) = await HistoryAsync("sort=viewedAt:desc", ("X-Plex-Container-Start", "0"), ("X-Plex-Container-Size", "2"));
        var (past, _) = await HistoryAsync("X-Plex-Container-Start=5&X-Plex-Container-Size=2");

        Assert.Equal([ids[2]], HistoryIds(asc));
        Assert.Equal("1", ascHeaders.GetValues("X-Plex-Container-Start").Single());
        Assert.Equal("3", ascHeaders.GetValues("X-Plex-Container-Total-Size").Single());
        Assert.Equal(3, asc.GetProperty("totalSize").GetInt32());
        Assert.Equal([ids[0], ids[2]], HistoryIds(desc));
        Assert.Equal(0, past.GetProperty("size").GetInt32());
        Assert.False(past.TryGetProperty("Metadata", out _));
    }

    [Theory]
    [InlineData("viewedAt%3E=1767312001", new[] { 1, 2 })] // >= (python-plexapi's mindate), encoded
    [InlineData("viewedAt>=1767312001", new[] { 1, 2 })]
    [InlineData("viewedAt%3C=1767312001", new[] { 0, 1 })] // <=
    [InlineData("viewedAt%3E%3E=1767312001", new[] { 2 })] // >
    [InlineData("viewedAt%3C%3C=1767312001", new[] { 0 })] // <
    [InlineData("viewedAt=1767312001", new[] { 1 })]
    [InlineData("viewedAt%3E=1767312001&viewedAt%3C=1767312001", new[] { 1 })] // one second alone
    public async Task History_ViewedAtOperators(string filter, int[] want)
    {
        var ids = new[] { plex.RecordPlay(a, T), plex.RecordPlay(a, T + 1), plex.RecordPlay(a, T + 2) };

        var (body, _) = await HistoryAsync("sort=viewedAt:asc&" + filter);

        Assert.Equal(want.Select(i => ids[i]), HistoryIds(body));
    }

    [Fact]
    public async Task History_AccountAndSectionFilters_RowShape()
    {
        var own = plex.RecordPlay(a, T);
        plex.RecordPlay(a, T + 1, accountId: 23, deviceId: 7);
        plex.RecordPlay(c, T + 2);

        var (body, _) = await HistoryAsync("accountID=1&librarySectionID=1");

        var row = Assert.Single(body.GetProperty("Metadata").EnumerateArray());
        Assert.Equal($"/status/sessions/history/{own}", row.GetProperty("historyKey").GetString());
        Assert.Equal(a.ToString(CultureInfo.InvariantCulture), row.GetProperty("ratingKey").GetString());
        Assert.Equal("1", row.GetProperty("librarySectionID").GetString());
        Assert.Equal(T, row.GetProperty("viewedAt").GetInt64());
        Assert.Equal(1, row.GetProperty("accountID").GetInt32());
        Assert.Equal("movie", row.GetProperty("type").GetString());
    }

    [Fact]
    public async Task History_UserToken_SeesOnlyItsOwnRows_AndNoAccounts()
    {
        plex.RecordPlay(a, T);
        var hers = plex.RecordPlay(b, T + 1, accountId: 23);

        var (body, _) = await HistoryAsync("", token: Alice);
        using var accounts = await SendAsync(HttpMethod.Get, "accounts", Alice);

        Assert.Equal([hers], HistoryIds(body));
        Assert.Equal(HttpStatusCode.Unauthorized, accounts.StatusCode);
    }

    [Fact]
    public async Task History_DeletedItem_RowKeepsTitleWithoutKeyOrRatingKey()
    {
        plex.RecordPlay(b, T);
        plex.RemoveItem(b);

        var (body, _) = await HistoryAsync("");

        var row = Assert.Single(body.GetProperty("Metadata").EnumerateArray());
        Assert.False(row.TryGetProperty("key", out _));
        Assert.False(row.TryGetProperty("ratingKey", out _));
        Assert.Equal("b", row.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Identity_AnswersWithoutAToken()
    {
        using var response = await SendAsync(HttpMethod.Get, "identity", null);
        var container = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("MediaContainer");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(plex.MachineIdentifier, container.GetProperty("machineIdentifier").GetString());
        Assert.Matches("^[0-9a-f]{40}$", plex.MachineIdentifier);
    }

    [Fact]
    public async Task Accounts_ListsIdsAndNames()
    {
        using var response = await SendAsync(HttpMethod.Get, "accounts", Owner);
        var list = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("MediaContainer").GetProperty("Account");

        Assert.Equal([(1, "owner"), (23, "alice")], list.EnumerateArray().Select(x => (x.GetProperty("id").GetInt32(), x.GetProperty("name").GetString())));
    }

    [Fact]
    public async Task Scrobble_MarksWatched_WritesNoHistory()
    {
        using var response = await SendAsync(HttpMethod.Put, $"/:/scrobble?key={a}&identifier=com.plexapp.plugins.library", Owner);
        using var item = await SendAsync(HttpMethod.Get, $"library/metadata/{a}", Owner);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(plex.History());
        Assert.Equal(1, JsonDocument.Parse(await item.Content.ReadAsStringAsync()).RootElement.GetProperty("MediaContainer").GetProperty("Metadata")[0].GetProperty("viewCount").GetInt32());
    }

    [Fact]
    public async Task History_RowsInsertedBetweenPages_ShiftOffsetPaging()
    {
        var first = plex.RecordPlay(a, T + 10);
        plex.RecordPlay(a, T + 20);
        plex.OnHistoryRead = page =>
        {
            if (page == 1)
            {
                plex.RecordPlay(b, T + 5); // sorts before everything read
            }
        };

        var (one, _) = await HistoryAsync("sort=viewedAt:asc&X-Plex-Container-Start=0&X-Plex-Container-Size=1");
        var (two, _) = await HistoryAsync("sort=viewedAt:asc&X-Plex-Container-Start=1&X-Plex-Container-Size=1");

        // The row read first comes again at offset 1: offset paging doubles it (and would skip one on a deletion).
        Assert.Equal([first], HistoryIds(one));
        Assert.Equal([first], HistoryIds(two));
    }

    [Fact]
    public async Task InProgressFilter_ListsItemsWithAViewOffset()
    {
        plex.SetViewOffset(b, 90_000);

        using var response = await SendAsync(HttpMethod.Get, "library/sections/1/all?type=1&inProgress=1", Owner);
        var items = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("MediaContainer").GetProperty("Metadata");

        var item = Assert.Single(items.EnumerateArray());
        Assert.Equal(90_000, item.GetProperty("viewOffset").GetInt64());
    }

    private static int[] HistoryIds(JsonElement container) =>
        container.TryGetProperty("Metadata", out var rows)
            ? [.. rows.EnumerateArray().Select(r => int.Parse(r.GetProperty("historyKey").GetString()!.Split('/')[^1], CultureInfo.InvariantCulture))]
            : [];

    private async Task<(JsonElement Container, System.Net.Http.Headers.HttpResponseHeaders Headers)> HistoryAsync(
        string query, params (string Name, string Value)[] headers) => await HistoryAsync(query, Owner, headers);

    private async Task<(JsonElement Container, System.Net.Http.Headers.HttpResponseHeaders Headers)> HistoryAsync(
        string query, string token, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "status/sessions/history/all?" + query);
        request.Headers.Add("X-Plex-Token", token);
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("MediaContainer").Clone();
        return (body, response.Headers);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (token is not null)
        {
            request.Headers.Add("X-Plex-Token", token);
        }

        return await http.SendAsync(request);
    }
}
