namespace PlexSync.Domain.Tests;

public class MetadataDiffTests
{
    private static readonly string[] OwnLabels = ["Own Label"];

    private static DesiredState Desired(Scene? scene = null) =>
        DesiredStateBuilder.Build(scene ?? Samples.Scene(), Samples.AllFields("studio"));

    // Go: TestDiff, `locked`: every managed field and the poster locked
    private static List<string> AllLocked(DesiredState d) =>
        [PlexFields.Poster, .. d.State.Fields.Keys, .. d.State.Tags.Keys];

    // Go: TestDiff, `same`: the item already has the desired state, locked, with the user's own label
    // next to PlexSync's poster label
    private static PlexState Same(DesiredState d)
    {
        var tags = new Dictionary<string, IReadOnlyList<string>>(d.State.Tags)
        {
            [PlexFields.Label] = [.. OwnLabels, MetadataDiff.PosterLabel(d.Poster)],
        };
        return new PlexState { Fields = d.State.Fields, Tags = tags, Rating = d.State.Rating, Locked = AllLocked(d) };
    }

    private static PlexState WithTags(PlexState s, string name, params string[] values) =>
        s with { Tags = new Dictionary<string, IReadOnlyList<string>>(s.Tags) { [name] = values } };

    // Go: TestDiff ("diff against identical state")
    [Fact]
    public void Compute_IdenticalLockedState_IsEmpty()
    {
        var d = Desired();

        var c = MetadataDiff.Compute(d, Same(d));

        Assert.True(c.IsEmpty, $"changes: {string.Join(", ", c.Names())}");
        Assert.False(c.NeedsEdit);
        Assert.False(c.PosterStale);
        Assert.Empty(c.Names());
    }

    // Go: TestDiff ("unlocked poster")
    [Fact]
    public void Compute_PosterUnlocked_LocksPosterWithoutNamingAChange()
    {
        var d = Desired();
        var current = Same(d) with { Locked = [.. AllLocked(d).Where(k => k != PlexFields.Poster)] };

        var c = MetadataDiff.Compute(d, current);

        Assert.True(c.LockPoster);
        Assert.True(c.NeedsEdit);
        Assert.False(c.IsEmpty);
        Assert.False(c.PosterStale);
        Assert.Empty(c.Names());
    }

    // Go: TestDiff ("changed" state: old title, missing date/studio/collection, a stale genre, another rating)
    [Fact]
    public void Compute_ChangedItem_NamesChangedFieldsAndRemovesStaleTags()
    {
        var d = Desired();
        var current = new PlexState
        {
            Fields = new Dictionary<string, string> { [PlexFields.Title] = "Old", [PlexFields.Summary] = d.State.Fields[PlexFields.Summary] },
            Tags = new Dictionary<string, IReadOnlyList<string>>
            {
                [PlexFields.Genre] = ["Solo", "Outdoor", "Stale"],
                [PlexFields.Actor] = ["Bob", "Ann"],
                [PlexFields.Label] = [MetadataDiff.PosterLabel(d.Poster)],
            },
            Rating = 2,
            Locked = AllLocked(d),
        };

        var c = MetadataDiff.Compute(d, current);

        string[] want = [PlexFields.Date, PlexFields.Studio, PlexFields.Collection, PlexFields.Genre, PlexFields.Title, PlexFields.Rating];
        Assert.Equal(want.Order(StringComparer.Ordinal), c.Names());
        Assert.Equal(["Stale"], c.Tags[PlexFields.Genre].Remove);
        Assert.Equal(["Outdoor", "Solo"], c.Tags[PlexFields.Genre].Set);
        Assert.Equal("A Title", c.Fields[PlexFields.Title]);
        Assert.Equal(8.5, c.Rating);
        Assert.False(c.LockPoster);
        Assert.False(c.PosterStale);
    }

    // Go: TestDiff ("a new screenshot")
    [Fact]
    public void Compute_NewScreenshot_ReplacesOnlyOurPosterLabel()
    {
        var d = Desired();
        var old = MetadataDiff.PosterLabelPrefix + "0123456789ab";
        var current = WithTags(Same(d), PlexFields.Label, "Own Label", old);

        var c = MetadataDiff.Compute(d, current);

        Assert.True(c.PosterStale);
        Assert.Equal(["Own Label", MetadataDiff.PosterLabel(d.Poster)], c.Tags[PlexFields.Label].Set);
        Assert.Equal([old], c.Tags[PlexFields.Label].Remove);
        Assert.Equal(["poster"], c.Names());
    }

    // Go: TestDiff ("unlocked" state)
    [Fact]
    public void Compute_RightValuesUnlocked_RewritesAndLocksEveryField()
    {
        var d = Desired();

        var c = MetadataDiff.Compute(d, Same(d) with { Locked = [] });

        Assert.Equal(d.State.Fields.Count + d.State.Tags.Count, c.Names().Count);
        Assert.Equal(d.State.Fields.Keys.Concat(d.State.Tags.Keys).Order(StringComparer.Ordinal), c.Names());
        Assert.True(c.LockPoster);
        Assert.Null(c.Rating);
    }

    // Go: posterLabelEdit in desired.go: an item without our label gets it, its own labels kept
    [Fact]
    public void Compute_NoPosterLabelYet_AddsItAndMarksPosterStale()
    {
        var d = Desired();

        var c = MetadataDiff.Compute(d, WithTags(Same(d), PlexFields.Label, "Own Label"));

        Assert.True(c.PosterStale);
        Assert.Equal(["Own Label", MetadataDiff.PosterLabel(d.Poster)], c.Tags[PlexFields.Label].Set);
        Assert.Empty(c.Tags[PlexFields.Label].Remove);
    }

    // Go: posterLabelEdit: our current label next to an old one still removes the old one
    [Fact]
    public void Compute_CurrentAndOldPosterLabel_RemovesTheOldOne()
    {
        var d = Desired();
        var ours = MetadataDiff.PosterLabel(d.Poster);
        var old = MetadataDiff.PosterLabelPrefix + "ffffffffffff";

        var c = MetadataDiff.Compute(d, WithTags(Same(d), PlexFields.Label, ours, old));

        Assert.Equal([ours], c.Tags[PlexFields.Label].Set);
        Assert.Equal([old], c.Tags[PlexFields.Label].Remove);
    }

    // Go: Diff only looks at the poster when the scene has one (d.Poster != "")
    [Fact]
    public void Compute_NoPoster_LeavesLabelsAndPosterLockAlone()
    {
        var d = Desired(Samples.Scene() with { Screenshot = "" });

        var c = MetadataDiff.Compute(d, WithTags(Same(d), PlexFields.Label, MetadataDiff.PosterLabelPrefix + "0123456789ab") with { Locked = [.. AllLocked(d).Where(k => k != PlexFields.Poster)] });

        Assert.True(c.IsEmpty, $"changes: {string.Join(", ", c.Names())}");
    }

    // Go: PosterLabel: prefix and the first 6 bytes of SHA-256, hex; it changes with the screenshot
    [Fact]
    public void PosterLabel_IsPrefixAndTwelveHexDigitsOfSha256()
    {
        // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
        Assert.Equal("plexsync:poster:ba7816bf8f01", MetadataDiff.PosterLabel("abc"));
        Assert.NotEqual(MetadataDiff.PosterLabel("/scene/45/screenshot?t=1"), MetadataDiff.PosterLabel("/scene/45/screenshot?t=2"));
    }

    // Go: TestBuildToggles with Diff: an unmanaged rating is never written
    [Fact]
    public void Compute_RatingNotManaged_LeavesRatingAlone()
    {
        var options = new SceneOptions { Fields = Samples.NoFields() with { Title = true } };
        var d = DesiredStateBuilder.Build(Samples.Scene(), options);

        var c = MetadataDiff.Compute(d, new PlexState { Fields = d.State.Fields, Rating = 3, Locked = [PlexFields.Title] });

        Assert.True(c.IsEmpty);
    }

    // Go: Diff writes NoRating to clear a rating the scene no longer has
    [Fact]
    public void Compute_SceneWithoutRating_ClearsItemRating()
    {
        var d = Desired(Samples.Scene() with { Rating100 = null });

        var c = MetadataDiff.Compute(d, Same(d) with { Rating = 7.3 });

        Assert.Equal(PlexFields.NoRating, c.Rating);
        Assert.False(c.NeedsEdit);
        Assert.Equal([PlexFields.Rating], c.Names());
    }

    // New requirement (1): tag names compare case-insensitively after Unicode normalisation.
    [Fact]
    public void Compute_LockedGenresDifferingOnlyInCase_AreUnchanged()
    {
        var d = Desired();

        var c = MetadataDiff.Compute(d, WithTags(Same(d), PlexFields.Genre, "outdoor", "Solo"));

        Assert.True(c.IsEmpty, $"changes: {string.Join(", ", c.Names())}");
    }

    // New requirement (1), per pair: Plex's spelling vs the desired one
    [Theory]
    [InlineData("Cafe\u0301", "Café")]
    [InlineData("Café", "Cafe\u0301")]
    [InlineData("CAFE\u0301", "café")]
    [InlineData("outdoor", "Outdoor")]
    [InlineData("ÅNGSTRÖM", "A\u030Angstro\u0308m")]
    public void Compute_SameTagInOtherCaseOrNormalForm_IsUnchanged(string plex, string stash)
    {
        var d = Desired(Samples.Scene() with { Tags = [stash, "Solo"] });

        var c = MetadataDiff.Compute(d, WithTags(Same(d), PlexFields.Genre, "Solo", plex));

        Assert.False(c.Tags.ContainsKey(PlexFields.Genre), $"{Samples.Show(plex)} vs {Samples.Show(stash)}");
    }

    // New requirement (1): the comparison still tells different names apart
    [Theory]
    [InlineData("Cafe", "Café")]
    [InlineData("Outdoors", "Outdoor")]
    [InlineData("Out door", "Outdoor")]
    public void Compute_DifferentTag_IsReplaced(string plex, string stash)
    {
        var d = Desired(Samples.Scene() with { Tags = [stash, "Solo"] });

        var c = MetadataDiff.Compute(d, WithTags(Same(d), PlexFields.Genre, "Solo", plex));

        Assert.Equal([plex], c.Tags[PlexFields.Genre].Remove);
        Assert.Equal(d.State.Tags[PlexFields.Genre], c.Tags[PlexFields.Genre].Set);
    }

    // New requirement (1): stale removal uses the same comparison, so a tag in another spelling is not removed
    [Fact]
    public void Compute_StaleRemoval_IgnoresCaseAndNormalForm()
    {
        var d = Desired(Samples.Scene() with { Tags = ["Outdoor", "Café"] });

        var c = MetadataDiff.Compute(d, WithTags(Same(d), PlexFields.Genre, "outdoor", "CAFE\u0301", "Stale", "stale"));

        Assert.Equal(["Stale", "stale"], c.Tags[PlexFields.Genre].Remove);
        Assert.Equal(["Outdoor", "Café"], c.Tags[PlexFields.Genre].Set);
    }

    // New requirement (1): a duplicate on the item in another case still needs the edit (the set differs)
    [Fact]
    public void Compute_ItemHasTagTwiceInDifferentCase_IsRewritten()
    {
        var d = Desired();

        var c = MetadataDiff.Compute(d, WithTags(Same(d), PlexFields.Genre, "Outdoor", "outdoor"));

        Assert.Equal(["Outdoor", "Solo"], c.Tags[PlexFields.Genre].Set);
        Assert.Empty(c.Tags[PlexFields.Genre].Remove);
    }

    // New requirement (1): an unlocked tag list with the same names is still rewritten (Go's lock rule)
    [Fact]
    public void Compute_SameTagsOtherCaseUnlocked_RewrittenWithoutRemovals()
    {
        var d = Desired();
        var current = WithTags(Same(d), PlexFields.Genre, "outdoor", "SOLO") with { Locked = [.. AllLocked(d).Where(k => k != PlexFields.Genre)] };

        var c = MetadataDiff.Compute(d, current);

        Assert.Equal([PlexFields.Genre], c.Names());
        Assert.Empty(c.Tags[PlexFields.Genre].Remove);
    }

    // Plex JSON may carry a lone surrogate (an escaped \ud800) in a tag: no throw, and it is stale
    [Fact]
    public void Compute_ItemTagWithLoneSurrogate_IsRemovedWithoutThrowing()
    {
        var d = Desired();

        var c = MetadataDiff.Compute(d, WithTags(Same(d), PlexFields.Genre, "Outdoor", "Solo", "x\uD800"));

        Assert.Equal(["x\uD800"], c.Tags[PlexFields.Genre].Remove);
    }

    // New requirement (3): a rating compares to a tenth (Plex may return 7.3 as 7.2999999)
    [Theory]
    [InlineData(73, 7.2999999)]
    [InlineData(73, 7.3000001)]
    [InlineData(73, 7.3)]
    [InlineData(73, 7.26)]
    [InlineData(1, 0.1000001)]
    [InlineData(100, 9.9999999)]
    public void Compute_RatingWithinATenth_IsUnchanged(int rating100, double plex)
    {
        var d = Desired(Samples.Scene() with { Rating100 = rating100 });

        var c = MetadataDiff.Compute(d, Same(d) with { Rating = plex });

        Assert.Null(c.Rating);
    }

    // New requirement (3): a tenth apart is a change
    [Theory]
    [InlineData(73, 7.2)]
    [InlineData(73, 7.4)]
    [InlineData(73, 7.2499)]
    [InlineData(1, 0)]
    [InlineData(1, PlexFields.NoRating)]
    [InlineData(100, 9.9)]
    public void Compute_RatingATenthOrMoreApart_IsWritten(int rating100, double plex)
    {
        var d = Desired(Samples.Scene() with { Rating100 = rating100 });

        var c = MetadataDiff.Compute(d, Same(d) with { Rating = plex });

        Assert.Equal(rating100 / 10.0, c.Rating);
    }

    [Fact]
    public void Compute_NoRatingOnBothSides_IsUnchanged()
    {
        var d = Desired(Samples.Scene() with { Rating100 = null });

        Assert.Null(MetadataDiff.Compute(d, Same(d) with { Rating = PlexFields.NoRating }).Rating);
        Assert.Equal(PlexFields.NoRating, MetadataDiff.Compute(d, Same(d) with { Rating = 0 }).Rating);
    }
}
