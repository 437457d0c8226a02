using System.Globalization;
using System.Text;
using PlexSync.Domain;
using PlexSync.Simulators;

namespace PlexSync.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class HostileSceneTests(EndToEndFixture fixture)
{
    [Fact]
    public async Task SyncWait_HostileSceneData_PlexGetsTheSanitisedValues()
    {
        const int sceneId = 102;
        var scene = SimulatedLibrary.SeedScene(sceneId);
        scene.Title = "\u202eevil\x00 title\x1b[31m 🎬";
        scene.Details = "Line\a one\r\nשלום 🎬\n\u0000end\t ";
        scene.Studio = "סטודיו\u0007 ";
        scene.Performers = ["Chloe\u0301 Dubois", "Chloé Dubois", "أحمد"];
        scene.Tags = ["Tag", "tag", " TAG ", "\u05e9\u05dc\u05d5\u05dd", "x\ny", "Cafe\u0301", "café", "😀\u200d"];
        scene.Groups = [];
        scene.Date = "2021-05";
        scene.Files.Add(SimulatedLibrary.StashRoot + "/second-file.mp4");
        fixture.Library.AddScene(scene, inPlex: true);

        var (code, output) = await fixture.RunAsync("sync", "--scene", "102", "--wait");
        Assert.True(code == 0, output);
        Assert.Matches(@"102\s+│?\s*synced", output);

        Assert.True(fixture.Library.Plex.TryGetItem(fixture.Library.RatingKey(sceneId), out var item));

        // Control characters go (format characters such as U+202E and U+200D are text, and stay).
        Assert.Equal("\u202eevil title[31m 🎬", item.Title);
        Assert.Equal("סטודיו", item.Studio);

        // NFC, and names equal but for case merge, the first spelling winning.
        Assert.Equal(["Chloé Dubois", "أحمد"], item.TagsOf("actor"));
        Assert.Equal(["Tag", "שלום", "x y", "Café", "😀\u200d"], item.TagsOf("genre"));
        Assert.All(item.TagsOf("actor").Concat(item.TagsOf("genre")), t => Assert.True(t.IsNormalized(NormalizationForm.FormC), t));
        Assert.Equal(["סטודיו"], item.TagsOf("collection"));

        // A month-precision date is the month's first day.
        Assert.Equal("2021-05-01", item.OriginallyAvailableAt);

        // Newlines stay in the summary; \r and \t become spaces, other controls go, and the ends are trimmed.
        Assert.Equal("Line one \nשלום 🎬\nend", item.Summary);
        foreach (var value in new[] { item.Title, item.Summary ?? "", item.Studio ?? "" }.Concat(item.TagsOf("genre")).Concat(item.TagsOf("actor")))
        {
            var control = value.EnumerateRunes().Where(r => r.Value != '\n' && Rune.GetUnicodeCategory(r) == UnicodeCategory.Control).Select(r => (Rune?)r).FirstOrDefault();
            Assert.True(control is null, $"control character U+{control?.Value:X4} reached Plex in \"{value}\"");
        }
    }

    // 100 KB of details
    [Fact]
    public async Task SyncWait_HugeDetails_PlexGetsTheSummaryCappedAtTheLimit()
    {
        const int sceneId = 105;
        var scene = SimulatedLibrary.SeedScene(sceneId);
        scene.Details = string.Concat(Enumerable.Repeat("long text ", 10_000));
        fixture.Library.AddScene(scene, inPlex: true);

        var (code, output) = await fixture.RunAsync("sync", "--scene", "105", "--wait");
        Assert.True(code == 0, output);

        // Capped, then trimmed: the cut may leave a trailing space to drop.
        Assert.True(fixture.Library.Plex.TryGetItem(fixture.Library.RatingKey(sceneId), out var item));
        var summary = item.Summary ?? "";
        Assert.StartsWith("long text long text", summary, StringComparison.Ordinal);
        Assert.InRange(summary.EnumerateRunes().Count(), Sanitizer.MaxSummaryLength - 1, Sanitizer.MaxSummaryLength);
    }
}
