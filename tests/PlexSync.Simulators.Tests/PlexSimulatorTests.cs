using System.Net;
using System.Text.Json;
using System.Xml.Linq;

namespace PlexSync.Simulators.Tests;

public sealed class PlexSimulatorTests : IAsyncLifetime, IDisposable
{
    private const string PlexToken = "tok";
    private PlexSimulator plex = null!;
    private HttpClient http = null!;
    private int rk;

    public async Task InitializeAsync()
    {
        plex = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Token = PlexToken });
        plex.AddSection(1, "Movies", "/m");
        rk = plex.AddItem(1, "/m/a.mp4");
        http = new HttpClient { BaseAddress = plex.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Plex-Token", PlexToken);
        http.DefaultRequestHeaders.Add("Accept", "application/json");
    }

    public void Dispose() => http.Dispose();

    public async Task DisposeAsync()
    {
        await plex.DisposeAsync();
    }

    private Task<HttpResponseMessage> EditAsync(string query) =>
        http.PutAsync($"library/sections/1/all?type=1&id={rk}&{query}", null);

    private PlexItemSnapshot Item()
    {
        Assert.True(plex.TryGetItem(rk, out var item));
        return item;
    }

    [Fact]
    public async Task Edit_RemovalByName_DecodesEachNameOnce()
    {
        plex.SetItem(rk, it => it.TagList("genre").AddRange(["A & B", "C,D", "Keep", "E F"]));

        // As python-plexapi sends it: quote(name) joined with "," and the whole value quoted again.
        var value = Uri.EscapeDataString(Uri.EscapeDataString("A & B") + "," + Uri.EscapeDataString("E F"));
        var response = await EditAsync("genre[].tag.tag-=" + value);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["C,D", "Keep"], Item().TagsOf("genre"));
    }

    [Fact]
    public async Task Edit_RemovalOfNameWithComma_UsesPercent2C()
    {
        plex.SetItem(rk, it => it.TagList("genre").AddRange(["C,D", "C", "D"]));

        var response = await EditAsync("genre[].tag.tag-=" + Uri.EscapeDataString(Uri.EscapeDataString("C,D")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["C", "D"], Item().TagsOf("genre"));
    }

    [Fact]
    public async Task Edit_IndexedTags_AddToTheSetAndLock()
    {
        plex.SetItem(rk, it => it.TagList("genre").Add("Old"));

        await EditAsync("genre[0].tag.tag=New&genre[1].tag.tag=Keep&genre.locked=1");

        var item = Item();
        Assert.Equal(["Old", "New", "Keep"], item.TagsOf("genre"));
        Assert.True(item.IsLocked("genre"));
    }

    [Fact]
    public async Task Edit_ScalarValueAndLock_ShowInMetadataFieldList()
    {
        await EditAsync("title.value=" + Uri.EscapeDataString("Ünïcode & more") + "&title.locked=1&thumb.locked=1");

        using var doc = JsonDocument.Parse(await http.GetStringAsync($"library/metadata/{rk}"));
        var md = doc.RootElement.GetProperty("MediaContainer").GetProperty("Metadata")[0];
        Assert.Equal("Ünïcode & more", md.GetProperty("title").GetString());
        Assert.Equal(rk.ToString(System.Globalization.CultureInfo.InvariantCulture), md.GetProperty("ratingKey").GetString());
        Assert.Equal(1, md.GetProperty("librarySectionID").GetInt32());
        var locked = md.GetProperty("Field").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        Assert.Equal(["thumb", "title"], locked);
    }

    [Theory]
    [InlineData("bogus.value=x", HttpStatusCode.BadRequest)]
    [InlineData("bogus[0].tag.tag=x", HttpStatusCode.BadRequest)]
    [InlineData("bogus.locked=1", HttpStatusCode.BadRequest)]
    [InlineData("originallyAvailableAt.value=x", HttpStatusCode.InternalServerError)]
    public async Task Edit_BadInput_FailsWithoutChanging(string query, HttpStatusCode want)
    {
        var response = await EditAsync(query + "&summary.value=changed");

        Assert.Equal(want, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(Item().Summary);
    }

    [Fact]
    public async Task Edit_TagSpelling_FirstSpellingInLibraryWins()
    {
        var other = plex.AddItem(1, "/m/b.mp4");
        plex.SetItem(other, it => it.TagList("genre").Add("Behind the Scenes"));

        await EditAsync("genre[0].tag.tag=behind%20the%20scenes");

        Assert.Equal(["Behind the Scenes"], Item().TagsOf("genre"));
    }

    [Fact]
    public async Task Listing_TruncatesTagListsToThree()
    {
        plex.SetItem(rk, it => it.TagList("actor").AddRange(["1", "2", "3", "4", "5"]));

        using var doc = JsonDocument.Parse(await http.GetStringAsync("library/sections/1/all?type=1"));
        var container = doc.RootElement.GetProperty("MediaContainer");

        Assert.Equal(1, container.GetProperty("totalSize").GetInt32());
        Assert.Equal(3, container.GetProperty("Metadata")[0].GetProperty("Role").GetArrayLength());
    }

    [Fact]
    public async Task Listing_FileFilter_ContainsWithCommaAsOr()
    {
        plex.AddItem(1, "/m/b.mp4");
        plex.AddItem(1, "/m/a,b.mp4");

        using var doc = JsonDocument.Parse(await http.GetStringAsync("library/sections/1/all?type=1&file=" + Uri.EscapeDataString("/m/a,b.mp4")));
        var files = doc.RootElement.GetProperty("MediaContainer").GetProperty("Metadata").EnumerateArray()
            .Select(m => m.GetProperty("Media")[0].GetProperty("Part")[0].GetProperty("file").GetString()).ToList();

        // "/m/a" OR "b.mp4": all three match, so a client must compare Part.file itself.
        Assert.Equal(3, files.Count);
    }

    [Fact]
    public async Task Listing_Pages_WithHeaders()
    {
        plex.AddItem(1, "/m/b.mp4");
        plex.AddItem(1, "/m/c.mp4");
        using var request = new HttpRequestMessage(HttpMethod.Get, "library/sections/1/all?type=1");
        request.Headers.Add("X-Plex-Container-Start", "1");
        request.Headers.Add("X-Plex-Container-Size", "1");

        using var response = await http.SendAsync(request);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var container = doc.RootElement.GetProperty("MediaContainer");

        Assert.Equal(3, container.GetProperty("totalSize").GetInt32());
        Assert.Equal(1, container.GetProperty("size").GetInt32());
        Assert.Equal(1, container.GetProperty("offset").GetInt32());
    }

    [Fact]
    public async Task Metadata_CommaList_OmitsMissingAnd404WhenAllMissing()
    {
        var other = plex.AddItem(1, "/m/b.mp4");

        using var doc = JsonDocument.Parse(await http.GetStringAsync($"library/metadata/{rk},999,{other}"));
        var missing = await http.GetAsync("library/metadata/998,999");

        Assert.Equal(2, doc.RootElement.GetProperty("MediaContainer").GetProperty("Metadata").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Auth_WrongToken_Is401WithHtml()
    {
        using var anonymous = new HttpClient { BaseAddress = plex.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "library/sections");
        request.Headers.Add("X-Plex-Token", "wrong");

        using var response = await anonymous.SendAsync(request);
        var viaQuery = await anonymous.GetAsync("library/sections?X-Plex-Token=" + PlexToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("<html>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, viaQuery.StatusCode);
    }

    [Fact]
    public async Task WithoutAcceptJson_AnswersXml()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "library/sections");
        request.Headers.Add("X-Plex-Token", PlexToken);
        using var bare = new HttpClient { BaseAddress = plex.BaseAddress };

        using var response = await bare.SendAsync(request);
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("MediaContainer", xml.Root!.Name.LocalName);
        Assert.Equal("/m", xml.Root.Element("Directory")!.Element("Location")!.Attribute("path")!.Value);
    }

    [Fact]
    public async Task Rate_SetsAndClears()
    {
        await http.PutAsync($":/rate?key={rk}&identifier=com.plexapp.plugins.library&rating=7.5", null);
        Assert.Equal(7.5, Item().UserRating);

        await http.PutAsync($":/rate?key={rk}&identifier=com.plexapp.plugins.library&rating=-1", null);
        Assert.Null(Item().UserRating);
    }

    [Fact]
    public async Task Posters_UploadIsNamedBySha1AndSelected()
    {
        byte[] image = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
        var upload = await http.PostAsync($"library/metadata/{rk}/posters", new ByteArrayContent(image));
#pragma warning disable CA5350 // Plex's naming, not security.
        var want = "upload://posters/" + Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(image));
#pragma warning restore CA5350

        using var doc = JsonDocument.Parse(await http.GetStringAsync($"library/metadata/{rk}/posters"));
        var poster = doc.RootElement.GetProperty("MediaContainer").GetProperty("Metadata")[0];

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Equal(want, poster.GetProperty("ratingKey").GetString());
        Assert.True(poster.GetProperty("selected").GetBoolean());
        Assert.Equal(want, Item().SelectedPoster);
    }

    [Fact]
    public async Task Refresh_OverwritesOnlyUnlockedFields()
    {
        await EditAsync("title.value=Mine&title.locked=1&summary.value=Gone&genre[0].tag.tag=G");

        var response = await http.PutAsync($"library/metadata/{rk}/refresh", null);

        var item = Item();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Mine", item.Title);
        Assert.Null(item.Summary);
        Assert.Empty(item.TagsOf("genre"));
    }

    [Fact]
    public async Task Rescan_GivesTheItemANewRatingKey()
    {
        var moved = plex.Rescan(rk);

        Assert.NotEqual(rk, moved);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"library/metadata/{rk}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"library/metadata/{moved}")).StatusCode);
    }

    [Fact]
    public async Task LenientJson_SendsLooseTypes()
    {
        await EditAsync("title.locked=1");
        plex.LenientJson = true;

        using var doc = JsonDocument.Parse(await http.GetStringAsync($"library/metadata/{rk}"));
        var container = doc.RootElement.GetProperty("MediaContainer");
        var md = container.GetProperty("Metadata")[0];

        Assert.Equal("1", container.GetProperty("size").GetString());
        Assert.Equal("1", md.GetProperty("librarySectionID").GetString());
        Assert.Equal("1", md.GetProperty("Field")[0].GetProperty("locked").GetString());
        Assert.Equal(1, container.GetProperty("allowSync").GetInt32());
    }
}
