namespace PlexSync.Domain.Tests;

public class DesiredStateBuilderTests
{
    private static DesiredState Build(Scene scene) => DesiredStateBuilder.Build(scene, Samples.AllFields("studio"));

    private static void AssertInvalid(Scene scene, string field)
    {
        var e = Assert.Throws<SceneValidationException>(() => Build(scene));
        Assert.Equal(field, e.Field);
        Assert.Equal(scene.Id, e.SceneId);
        Assert.Contains($"field \"{field}\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SampleScene_MapsEveryField()
    {
        var d = DesiredStateBuilder.Build(Samples.Scene(), Samples.AllFields("studio", "groups"));

        var f = d.State.Fields;
        Assert.Equal("A Title", f[PlexFields.Title]);
        Assert.Equal("Line one\nLine two", f[PlexFields.Summary]);
        Assert.Equal("Studio X", f[PlexFields.Studio]);
        Assert.Equal("2023-05-01", f[PlexFields.Date]);
        Assert.Equal(["Ann", "Bob"], d.State.Tags[PlexFields.Actor]);
        Assert.Equal(["Outdoor", "Solo"], d.State.Tags[PlexFields.Genre]);
        Assert.Equal(["Studio X", "Series 1"], d.State.Tags[PlexFields.Collection]);
        Assert.Equal(9, d.State.Rating);
        Assert.True(d.ManageRating);
        Assert.Equal("/scene/45/screenshot?t=1", d.Poster);
        Assert.Equal("45", d.SceneId);
        Assert.Equal(["/data/videos/a/clip.mp4"], d.Files);
    }

    [Fact]
    public void Build_EmptyTitle_FallsBackToFileName()
    {
        var d = Build(Samples.Scene() with { Title = " \0 " });

        Assert.Equal("clip", d.State.Fields[PlexFields.Title]);
    }

    [Fact]
    public void Build_EmptyTitleWindowsPath_FallsBackToFileName()
    {
        var d = Build(Samples.Scene() with { Title = "", Files = [@"C:\Videos\My Clip.mkv"] });

        Assert.Equal("My Clip", d.State.Fields[PlexFields.Title]);
    }

    [Fact]
    public void Build_NoFiles_FailsOnFiles()
    {
        AssertInvalid(Samples.Scene() with { Files = [] }, "files");
    }

    [Fact]
    public void Build_NoTitleAndNoUsableFileName_FailsOnTitle()
    {
        AssertInvalid(Samples.Scene() with { Title = "", Files = ["/"] }, "title");
    }

    // Paths whose file name, cleaned and without its extension, is empty
    [Theory]
    [InlineData("")]
    [InlineData("//")]
    [InlineData("/a/.")]
    [InlineData("/a/.hidden")]
    [InlineData("/a/\0\u001b.mp4")]
    public void Build_NoTitleAndFileNameWithoutStem_FailsOnTitle(string file)
    {
        AssertInvalid(Samples.Scene() with { Title = "", Files = [file] }, "title");
    }

    // An empty title becomes the last path segment (either separator, trailing ones ignored) without its extension
    [Theory]
    [InlineData("/a/clip.", "clip")]
    [InlineData("/a/archive.tar.gz", "archive.tar")]
    [InlineData("/a/b/", "b")]
    [InlineData(@"\\nas\share\Film.mkv", "Film")]
    [InlineData("C:\\", "C:")]
    [InlineData(@"C:\Videos\", "Videos")]
    [InlineData("/a/...", "..")]
    [InlineData("/a/..", ".")]
    [InlineData("noseparator.mp4", "noseparator")]
    public void Build_EmptyTitle_TitleIsLastSegmentWithoutExtension(string file, string want)
    {
        var d = Build(Samples.Scene() with { Title = "", Files = [file] });

        Assert.Equal(want, d.State.Fields[PlexFields.Title]);
    }

    [Theory]
    [InlineData("2023-13-45")]
    [InlineData("2023-01-01x")]
    [InlineData("2023-02-30")] // a day February does not have
    [InlineData("2023-02-29")]
    [InlineData("2023-00-10")]
    [InlineData("2023-01-00")]
    [InlineData("2023-1-01")]
    [InlineData("2023-01-1")]
    [InlineData("21")]
    [InlineData("+2021")]
    [InlineData("-021")]
    [InlineData(" 2021")]
    [InlineData("2021 ")]
    [InlineData("2021-07-01T00:00:00Z")]
    [InlineData("\u0662\u0660\u0662\u0661")] // Arabic-Indic digits
    [InlineData("２０２１")] // full-width digits
    [InlineData("2021/07/01")]
    [InlineData("01-07-2021")]
    public void Build_InvalidDate_FailsOnDate(string date)
    {
        AssertInvalid(Samples.Scene() with { Date = date }, "date");
    }

    // A full date, and no date, stay as they are
    [Theory]
    [InlineData("2021", "2021-01-01")]
    [InlineData("2021-07", "2021-07-01")]
    [InlineData("2024-02-29", "2024-02-29")]
    [InlineData("1900-12-31", "1900-12-31")]
    [InlineData("", "")]
    [InlineData("0000", "0000-01-01")] // Stash's date parsing (Go's time.Parse) takes year zero (a leap year)
    [InlineData("0000-02-29", "0000-02-29")]
    public void Build_ReducedPrecisionDate_BecomesFirstDayOfPeriod(string date, string want)
    {
        var d = Build(Samples.Scene() with { Date = date });

        Assert.Equal(want, d.State.Fields[PlexFields.Date]);
    }

    // The date error quotes the value only cleaned and capped
    [Fact]
    public void Build_InvalidDate_MessageCarriesCleanedValue()
    {
        var e = Assert.Throws<SceneValidationException>(() => Build(Samples.Scene() with { Date = "x\u001b[2J" + new string('9', 100) }));

        Assert.DoesNotContain("\u001b", e.Message, StringComparison.Ordinal);
        Assert.Contains("x[2J" + new string('9', 36) + "\"", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(101)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    public void Build_RatingOutOfRange_FailsOnRating100(int rating100)
    {
        AssertInvalid(Samples.Scene() with { Rating100 = rating100 }, "rating100");
    }

    // Plex rates in half stars (whole steps of 0..10): the nearest step, halves away from zero, at least one
    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 1)]
    [InlineData(5, 1)]
    [InlineData(14, 1)]
    [InlineData(15, 2)]
    [InlineData(73, 7)]
    [InlineData(75, 8)]
    [InlineData(85, 9)]
    [InlineData(100, 10)]
    public void Build_RatingInRange_IsTheNearestHalfStar(int rating100, double want)
    {
        var d = Build(Samples.Scene() with { Rating100 = rating100 });

        Assert.Equal(want, d.State.Rating);
        Assert.True(d.ManageRating);
    }

    [Fact]
    public void Build_NoRating_ClearsRating()
    {
        var d = Build(Samples.Scene() with { Rating100 = null });

        Assert.Equal(PlexFields.NoRating, d.State.Rating);
        Assert.True(d.ManageRating);
    }

    [Fact]
    public void Build_HugeDetails_CappedAtMaxSummaryLength()
    {
        var d = Build(Samples.Scene() with { Details = new string('é', 100_000) });

        Assert.Equal(Sanitizer.MaxSummaryLength, d.State.Fields[PlexFields.Summary].EnumerateRunes().Count());
    }

    [Fact]
    public void Build_SeveralFiles_FirstIsPrimary()
    {
        var d = Build(Samples.Scene() with { Title = "", Files = ["/a/one.mp4", "/a/two.mp4"] });

        Assert.Equal("one", d.State.Fields[PlexFields.Title]);
        Assert.Equal(["/a/one.mp4", "/a/two.mp4"], d.Files);
    }

    // Build checks the files first, then the fields in order: title before date before rating.
    [Fact]
    public void Build_SeveralRulesBroken_NamesTheFirstInCheckOrder()
    {
        var scene = Samples.Scene() with { Title = "", Date = "bad", Rating100 = 0 };

        AssertInvalid(scene with { Files = [] }, "files");
        AssertInvalid(scene with { Files = ["/"] }, "title");
        AssertInvalid(scene, "date");
        AssertInvalid(scene with { Date = "" }, "rating100");
    }

    [Fact]
    public void Build_FieldsToggledOff_AreNotManaged()
    {
        var options = new SceneOptions { Fields = Samples.NoFields() with { Title = true, Tags = true }, CollectionSources = [] };

        var d = DesiredStateBuilder.Build(Samples.Scene(), options);

        Assert.Equal([PlexFields.Title], d.State.Fields.Keys);
        Assert.Equal([PlexFields.Genre], d.State.Tags.Keys);
        Assert.False(d.ManageRating);
        Assert.Equal("", d.Poster);
    }

    [Fact]
    public void Build_InvalidFieldsToggledOff_AreNotValidated()
    {
        var options = new SceneOptions { Fields = Samples.NoFields() with { Title = true } };

        var d = DesiredStateBuilder.Build(Samples.Scene() with { Date = "bad", Rating100 = 0 }, options);

        Assert.Equal("A Title", d.State.Fields[PlexFields.Title]);
    }

    // The sources in order; a name already taken (in any case), an empty studio and an unknown source add nothing
    [Fact]
    public void Build_CollectionSources_InOrderWithoutEmptyOrDuplicate()
    {
        var scene = Samples.Scene() with { Groups = ["Series 1", "studio x", " "] };

        Assert.Equal(["Studio X", "Series 1"], DesiredStateBuilder.Build(scene, Samples.AllFields("studio", "groups")).State.Tags[PlexFields.Collection]);
        Assert.Equal(["Series 1", "studio x"], DesiredStateBuilder.Build(scene, Samples.AllFields("groups", "studio")).State.Tags[PlexFields.Collection]);
        Assert.Empty(DesiredStateBuilder.Build(scene with { Studio = "" }, Samples.AllFields("studio")).State.Tags[PlexFields.Collection]);
        Assert.Empty(DesiredStateBuilder.Build(scene, Samples.AllFields()).State.Tags[PlexFields.Collection]);
        Assert.Empty(DesiredStateBuilder.Build(scene, Samples.AllFields("unknown")).State.Tags[PlexFields.Collection]);
    }
}
