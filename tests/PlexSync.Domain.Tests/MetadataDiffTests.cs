namespace PlexSync.Domain.Tests;

public class MetadataDiffTests
{
    private static readonly string[] OwnLabels = ["Own Label"];

    private static DesiredState Desired(Scene? scene = null) =>
        DesiredStateBuilder.Build(scene ?? Samples.Scene(), Samples.AllFields("studio"));

    // Every managed field and the poster locked
    private static List<string> AllLocked(DesiredState d) =>
        [PlexFields.Poster, .. d.State.Fields.Keys, .. d.State.Tags.Keys];

    // The item already has the desired state, locked, with the user's own label,
    // its poster stamped when Stash's screenshot was (t=1)
    private static PlexState Same(DesiredState d)
    {
        var tags = new Dictionary<string, IReadOnlyList<string>>(d.State.Tags) { [PlexFields.Label] = OwnLabels };
        return new PlexState { Fields = d.State.Fields, Tags = tags, Rating = d.State.Rating, Locked = AllLocked(d), PosterStamp = 1 };
    }

    private static PlexState WithTags(PlexState s, string name, params string[] values) =>
        s with { Tags = new Dictionary<string, IReadOnlyList<string>>(s.Tags) { [name] = values } };

    [Fact]
    public void Compute_IdenticalLockedState_IsEmpty()
    {
        var d = Desired();

        var c = MetadataDiff.Compute(d, Same(d));

        Assert.True(c.IsEmpty, $"changes: {string.Join(", ", c.Names())}");
        Assert.False(c.NeedsEdit);
        Assert.False(c.PosterMaybeStale);
        Assert.False(c.LockPoster);
        Assert.Empty(c.Names());
    }

    // An unlocked poster may be Plex's own (or the agent's): the cover must be compared, and only a sync
    // that finds or puts Stash's cover there locks it.
    [Fact]
    public void Compute_PosterUnlocked_NeedsAPosterCheckButNoLock()
    {
        var d = Desired();
        var current = Same(d) with { Locked = [.. AllLocked(d).Where(k => k != PlexFields.Poster)] };

        var c = MetadataDiff.Compute(d, current);

        Assert.True(c.PosterMaybeStale);
        Assert.False(c.LockPoster);
        Assert.False(c.NeedsEdit);
        Assert.False(c.IsEmpty);
        Assert.Empty(c.Names());
    }

    // An old title, missing date/studio/collection, a stale genre, another rating
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
            },
            Rating = 2,
            Locked = AllLocked(d),
            PosterStamp = 1,
        };

        var c = MetadataDiff.Compute(d, current);

        string[] want = [PlexFields.Date, PlexFields.Studio, PlexFields.Collection, PlexFields.Genre, PlexFields.Title, PlexFields.Rating];
        Assert.Equal(want.Order(StringComparer.Ordinal), c.Names());
        Assert.Equal(["Stale"], c.Tags[PlexFields.Genre].Remove);
        Assert.Equal(["Outdoor", "Solo"], c.Tags[PlexFields.Genre].Set);
        Assert.True(c.Tags[PlexFields.Genre].Lock);
        Assert.Equal("A Title", c.Fields[PlexFields.Title]);
        Assert.Equal(9, c.Rating);
        Assert.False(c.LockPoster);
        Assert.False(c.PosterMaybeStale);
    }

    [Fact]
    public void Compute_RightValuesUnlocked_RewritesAndLocksEveryField()
    {
        var d = Desired();

        var c = MetadataDiff.Compute(d, Same(d) with { Locked = [] });

        Assert.Equal(d.State.Fields.Count + d.State.Tags.Count, c.Names().Count);
        Assert.Equal(d.State.Fields.Keys.Concat(d.State.Tags.Keys).Order(StringComparer.Ordinal), c.Names());
        Assert.True(c.PosterMaybeStale);
        Assert.Null(c.Rating);
    }

    // The poster marks an item may carry (plexsync:poster:<hash>) go, with the lock that served them alone.
    [Fact]
    public void Compute_OnlyPosterMarks_RemovesThemAndUnlocksLabel()
    {
        var d = Desired();
        string[] marks = [MetadataDiff.PosterMarkPrefix + "0123456789ab", MetadataDiff.PosterMarkPrefix + "ffffffffffff"];
        var current = WithTags(Same(d), PlexFields.Label, marks) with { Locked = [.. AllLocked(d), PlexFields.Label] };

        var c = MetadataDiff.Compute(d, current);

        var edit = c.Tags[PlexFields.Label];
        Assert.Empty(edit.Set);
        Assert.Equal(marks, edit.Remove);
        Assert.False(edit.Lock);
        Assert.Equal([PlexFields.Label], c.Names());
    }

    // The user's own labels stay, and so does a lock on them (Plex's UI locks a list the user edits).
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Compute_PosterMarkBesideOwnLabels_KeepsThemAndTheirLockState(bool locked)
    {
        var d = Desired();
        var mark = MetadataDiff.PosterMarkPrefix + "0123456789ab";
        var current = WithTags(Same(d), PlexFields.Label, "Own Label", mark, "Kids") with
        {
            Locked = locked ? [.. AllLocked(d), PlexFields.Label] : AllLocked(d),
        };

        var edit = MetadataDiff.Compute(d, current).Tags[PlexFields.Label];

        Assert.Equal(["Own Label", "Kids"], edit.Set);
        Assert.Equal([mark], edit.Remove);
        Assert.Equal(locked, edit.Lock);
    }

    // Labels are the user's: without a mark among them, they are never touched, locked or not.
    [Fact]
    public void Compute_OwnLabelsOnly_AreLeftAlone()
    {
        var d = Desired();

        var c = MetadataDiff.Compute(d, WithTags(Same(d), PlexFields.Label, "plexsync", "poster:x"));

        Assert.True(c.IsEmpty, $"changes: {string.Join(", ", c.Names())}");
    }

    // The poster is looked at only when the scene has one
    [Fact]
    public void Compute_NoPoster_LeavesPosterAlone()
    {
        var d = Desired(Samples.Scene() with { Screenshot = "" });

        var c = MetadataDiff.Compute(d, Same(d) with { Locked = [.. AllLocked(d).Where(k => k != PlexFields.Poster)], PosterStamp = null });

        Assert.True(c.IsEmpty, $"changes: {string.Join(", ", c.Names())}");
    }

    // The poster is in step when it is locked and Plex stamped it at or after Stash's last save (t=).
    [Theory]
    [InlineData(true, 1L, "/scene/45/screenshot?t=1", false)]
    [InlineData(true, 2L, "/scene/45/screenshot?t=1", false)]
    [InlineData(true, 0L, "/scene/45/screenshot?t=1", true)]
    [InlineData(true, null, "/scene/45/screenshot?t=1", true)]
    [InlineData(false, 9L, "/scene/45/screenshot?t=1", true)]
    [InlineData(true, 9L, "/scene/45/screenshot", true)]
    [InlineData(true, 9L, "/scene/45/screenshot?apikey=x&t=bad", true)]
    public void Compute_PosterStampAgainstScreenshotStamp(bool locked, long? stamp, string screenshot, bool maybeStale)
    {
        var d = Desired(Samples.Scene() with { Screenshot = screenshot });
        var current = Same(d) with { Locked = locked ? AllLocked(d) : [.. AllLocked(d).Where(k => k != PlexFields.Poster)], PosterStamp = stamp };

        Assert.Equal(maybeStale, MetadataDiff.Compute(d, current).PosterMaybeStale);
    }

    // A summary Plex refused whole holds the shortened form a sync wrote: in step, not written again.
    [Fact]
    public void Compute_SummaryHeldShortened_IsUnchanged()
    {
        var details = string.Concat(Enumerable.Repeat("Ein längerer Satz über nichts. ", 330));
        var d = Desired(Samples.Scene() with { Details = details });
        var want = d.State.Fields[PlexFields.Summary];
        var held = new Dictionary<string, string>(d.State.Fields) { [PlexFields.Summary] = LongText.Shorten(want, LongText.Budgets[1]) };

        var c = MetadataDiff.Compute(d, Same(d) with { Fields = held });

        Assert.NotEqual(want, held[PlexFields.Summary]);
        Assert.True(c.IsEmpty, $"changes: {string.Join(", ", c.Names())}");
    }

    // Any other text that ends in the mark is a change, and so is a shortened form of an older text.
    [Fact]
    public void Compute_SummaryHeldAsOtherPrefix_IsWritten()
    {
        var details = string.Concat(Enumerable.Repeat("Ein längerer Satz über nichts. ", 330));
        var d = Desired(Samples.Scene() with { Details = details });
        var want = d.State.Fields[PlexFields.Summary];
        var older = LongText.Shorten("Vorher: " + want, LongText.Budgets[1]);
        var cutElsewhere = want[..500] + LongText.Mark;

        foreach (var held in new[] { older, cutElsewhere })
        {
            var fields = new Dictionary<string, string>(d.State.Fields) { [PlexFields.Summary] = held };
            Assert.Equal([PlexFields.Summary], MetadataDiff.Compute(d, Same(d) with { Fields = fields }).Names());
        }
    }

    // An unmanaged rating is never written
    [Fact]
    public void Compute_RatingNotManaged_LeavesRatingAlone()
    {
        var options = new SceneOptions { Fields = Samples.NoFields() with { Title = true } };
        var d = DesiredStateBuilder.Build(Samples.Scene(), options);

        var c = MetadataDiff.Compute(d, new PlexState { Fields = d.State.Fields, Rating = 3, Locked = [PlexFields.Title] });

        Assert.True(c.IsEmpty);
    }

    // A scene without a rating clears the item's with NoRating
    [Fact]
    public void Compute_SceneWithoutRating_ClearsItemRating()
    {
        var d = Desired(Samples.Scene() with { Rating100 = null });

        var c = MetadataDiff.Compute(d, Same(d) with { Rating = 7 });

        Assert.Equal(PlexFields.NoRating, c.Rating);
        Assert.False(c.NeedsEdit);
        Assert.Equal([PlexFields.Rating], c.Names());
    }

    // Tag names compare case-insensitively after Unicode normalisation.
    [Fact]
    public void Compute_LockedGenresDifferingOnlyInCase_AreUnchanged()
    {
        var d = Desired();

        var c = MetadataDiff.Compute(d, WithTags(Same(d), PlexFields.Genre, "outdoor", "Solo"));

        Assert.True(c.IsEmpty, $"changes: {string.Join(", ", c.Names())}");
    }

    // Per pair: Plex's spelling vs the desired one
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

    // The comparison still tells different names apart
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

    // Stale removal uses the same comparison, so a tag in another spelling is not removed
    [Fact]
    public void Compute_StaleRemoval_IgnoresCaseAndNormalForm()
    {
        var d = Desired(Samples.Scene() with { Tags = ["Outdoor", "Café"] });

        var c = MetadataDiff.Compute(d, WithTags(Same(d), PlexFields.Genre, "outdoor", "CAFE\u0301", "Stale", "stale"));

        Assert.Equal(["Stale", "stale"], c.Tags[PlexFields.Genre].Remove);
        Assert.Equal(["Outdoor", "Café"], c.Tags[PlexFields.Genre].Set);
    }

    // A duplicate on the item in another case still needs the edit (the set differs)
    [Fact]
    public void Compute_ItemHasTagTwiceInDifferentCase_IsRewritten()
    {
        var d = Desired();

        var c = MetadataDiff.Compute(d, WithTags(Same(d), PlexFields.Genre, "Outdoor", "outdoor"));

        Assert.Equal(["Outdoor", "Solo"], c.Tags[PlexFields.Genre].Set);
        Assert.Empty(c.Tags[PlexFields.Genre].Remove);
    }

    // An unlocked tag list with the same names is still rewritten, to lock it
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

    // A desired rating is a whole step (half a star); Plex may hand it back as a float near it.
    [Theory]
    [InlineData(73, 6.9999999)]
    [InlineData(73, 7.0000001)]
    [InlineData(73, 7)]
    [InlineData(1, 1.0000001)]
    [InlineData(100, 9.9999999)]
    public void Compute_RatingNearTheWholeStep_IsUnchanged(int rating100, double plex)
    {
        var d = Desired(Samples.Scene() with { Rating100 = rating100 });

        var c = MetadataDiff.Compute(d, Same(d) with { Rating = plex });

        Assert.Null(c.Rating);
    }

    // A tenth or more from the whole step is a change, written as the whole step.
    [Theory]
    [InlineData(73, 7.3, 7)]
    [InlineData(73, 6.9, 7)]
    [InlineData(75, 7.5, 8)]
    [InlineData(1, 0, 1)]
    [InlineData(1, PlexFields.NoRating, 1)]
    [InlineData(100, 9.9, 10)]
    public void Compute_RatingATenthOrMoreFromTheStep_IsWritten(int rating100, double plex, double want)
    {
        var d = Desired(Samples.Scene() with { Rating100 = rating100 });

        var c = MetadataDiff.Compute(d, Same(d) with { Rating = plex });

        Assert.Equal(want, c.Rating);
    }

    [Fact]
    public void Compute_NoRatingOnBothSides_IsUnchanged()
    {
        var d = Desired(Samples.Scene() with { Rating100 = null });

        Assert.Null(MetadataDiff.Compute(d, Same(d) with { Rating = PlexFields.NoRating }).Rating);
        Assert.Equal(PlexFields.NoRating, MetadataDiff.Compute(d, Same(d) with { Rating = 0 }).Rating);
    }
}
