using System.Globalization;
using System.Net;
using System.Text.Json;

namespace PlexSync.Simulators.Tests;

/// <summary>
/// The simulated Plex where the references leave Plex's answer open (<see cref="PlexAnswers"/>), and
/// where it must compare and stamp as a database-backed server does: bytes in the file filter, a stamp
/// on every change, a limit on the request line.
/// </summary>
public sealed class PlexAnswersTests : IAsyncLifetime, IDisposable
{
    private PlexSimulator plex = null!;
    private HttpClient http = null!;
    private int rk;
    private long now = 1_700_000_000;

    public async Task InitializeAsync()
    {
        plex = await PlexSimulator.StartAsync();
        plex.Clock = () => DateTimeOffset.FromUnixTimeSeconds(Interlocked.Read(ref now));
        plex.AddSection(1, "Movies", "/m");
        rk = plex.AddItem(1, "/m/a.mp4");
        http = new HttpClient { BaseAddress = plex.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("Accept", "application/json");
    }

    public void Dispose() => http.Dispose();

    public async Task DisposeAsync() => await plex.DisposeAsync();

    // SQLite's LIKE: bytes, with A-Z folded only; a comma is OR.
    [Theory]
    [InlineData("/m/Cafe\u0301.mp4", "Café", false)]
    [InlineData("/m/Café.mp4", "Cafe\u0301", false)]
    [InlineData("/m/Cafe\u0301.mp4", "Café,Cafe\u0301", true)]
    [InlineData("/m/CAFE.MP4", "cafe.mp4", true)]
    [InlineData("/m/ÉTÉ.mp4", "été", false)]
    [InlineData("/m/été.mp4", "été", true)]
    [InlineData("/m/a,b.mp4", "a,b.mp4", true)]
    public async Task Listing_FileFilter_ComparesBytesFoldingAsciiOnly(string file, string filter, bool found)
    {
        var item = plex.AddItem(1, file);

        var keys = await ListAsync("&file=" + Uri.EscapeDataString(filter));

        Assert.Equal(found, keys.Contains(item.ToString(CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Thumb_IsStampedWithEveryChange_NotWithARating()
    {
        var added = await ThumbAsync();
        now += 10;
        await http.PutAsync($"library/sections/1/all?type=1&id={rk}&title.value=T&title.locked=1", null);
        var edited = await ThumbAsync();
        now += 10;
        await http.PutAsync($":/rate?key={rk}&identifier=com.plexapp.plugins.library&rating=4", null);
        var rated = await ThumbAsync();
        now += 10;
        await http.PostAsync($"library/metadata/{rk}/posters", new ByteArrayContent([1, 2, 3]));

        Assert.Equal($"/library/metadata/{rk}/thumb/1700000000", added);
        Assert.Equal($"/library/metadata/{rk}/thumb/1700000010", edited);
        Assert.Equal(edited, rated);
        Assert.Equal($"/library/metadata/{rk}/thumb/1700000030", await ThumbAsync());
        Assert.True(plex.TryGetItem(rk, out var item));
        Assert.Equal(1700000030, item.UpdatedAt);
    }

    // python-plexapi's poster test unlocks the poster after its uploads: choosing a poster locks it.
    [Fact]
    public async Task Posters_ChoosingOneLocksThePoster()
    {
        await http.PostAsync($"library/metadata/{rk}/posters", new ByteArrayContent([1, 2, 3]));

        Assert.True(plex.TryGetItem(rk, out var item));
        Assert.True(item.IsLocked("thumb"));
    }

    [Fact]
    public async Task Posters_ListedUnderTheKeyAndNameTheAnswersGive()
    {
        plex.Answers = new PlexAnswers { PosterListKey = "Photo", UploadKey = sha1 => "upload://thumbs/" + sha1.ToUpperInvariant() };

        await http.PostAsync($"library/metadata/{rk}/posters", new ByteArrayContent([1, 2, 3]));
        using var doc = JsonDocument.Parse(await http.GetStringAsync($"library/metadata/{rk}/posters"));

        var container = doc.RootElement.GetProperty("MediaContainer");
        Assert.False(container.TryGetProperty("Metadata", out _));
        Assert.Equal("upload://thumbs/7037807198C22A7D2B0807371D763779A84FDFCF", container.GetProperty("Photo")[0].GetProperty("ratingKey").GetString());
    }

    [Fact]
    public async Task Rate_StoresAsTheAnswersSay()
    {
        plex.Answers = new PlexAnswers { StoreRating = r => Math.Round(r) };

        await http.PutAsync($":/rate?key={rk}&identifier=com.plexapp.plugins.library&rating=7.3", null);

        Assert.True(plex.TryGetItem(rk, out var item));
        Assert.Equal(7, item.UserRating);
    }

    [Fact]
    public async Task Field_NamesTheCastLockAsTheAnswersSay()
    {
        plex.Answers = new PlexAnswers { CastLockName = "role" };

        await http.PutAsync($"library/sections/1/all?type=1&id={rk}&actor[0].tag.tag=Ann&actor.locked=1&genre.locked=1", null);
        using var doc = JsonDocument.Parse(await http.GetStringAsync($"library/metadata/{rk}"));

        var locked = doc.RootElement.GetProperty("MediaContainer").GetProperty("Metadata")[0].GetProperty("Field").EnumerateArray()
            .Select(f => f.GetProperty("name").GetString()).ToList();
        Assert.Equal(["genre", "role"], locked);
    }

    [Fact]
    public async Task Listing_WithoutTotalSize_StillCarriesSize()
    {
        plex.Answers = new PlexAnswers { TotalSizeInListings = false };

        using var doc = JsonDocument.Parse(await http.GetStringAsync("library/sections/1/all?type=1&X-Plex-Container-Start=0&X-Plex-Container-Size=5"));

        var container = doc.RootElement.GetProperty("MediaContainer");
        Assert.False(container.TryGetProperty("totalSize", out _));
        Assert.Equal(1, container.GetProperty("size").GetInt32());
    }

    [Fact]
    public async Task Metadata_WholeListNotFound_Answers404WhenOneIsMissing()
    {
        var other = plex.AddItem(1, "/m/b.mp4");
        plex.Answers = new PlexAnswers { WholeListNotFound = true };

        var some = await http.GetAsync($"library/metadata/{rk},999,{other}");
        var all = await http.GetAsync($"library/metadata/{rk},{other}");

        Assert.Equal(HttpStatusCode.NotFound, some.StatusCode);
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
    }

    // "PUT /library/sections/1/all?... HTTP/1.1" counted in bytes, as a server or a proxy in front of it does.
    [Fact]
    public async Task RequestLine_LongerThanTheLimit_Is414AndChangesNothing()
    {
        plex.MaxRequestLine = 200;
        var prefix = $"library/sections/1/all?type=1&id={rk}&summary.value=";
        var fits = new string('a', 200 - $"PUT /{prefix} HTTP/1.1".Length);

        var refused = await http.PutAsync(prefix + fits + "a", null);
        var taken = await http.PutAsync(prefix + fits, null);

        Assert.Equal(HttpStatusCode.RequestUriTooLong, refused.StatusCode);
        Assert.Equal("text/html", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        Assert.True(plex.TryGetItem(rk, out var item));
        Assert.Equal(fits, item.Summary);
        Assert.Equal([414, 200], plex.Requests().Select(r => r.Status));
    }

    private async Task<List<string>> ListAsync(string query)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync("library/sections/1/all?type=1" + query));
        return doc.RootElement.GetProperty("MediaContainer").TryGetProperty("Metadata", out var metadata)
            ? [.. metadata.EnumerateArray().Select(m => m.GetProperty("ratingKey").GetString()!)]
            : [];
    }

    private async Task<string?> ThumbAsync()
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync($"library/metadata/{rk}"));
        return doc.RootElement.GetProperty("MediaContainer").GetProperty("Metadata")[0].GetProperty("thumb").GetString();
    }
}
