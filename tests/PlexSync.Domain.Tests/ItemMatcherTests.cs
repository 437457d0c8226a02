namespace PlexSync.Domain.Tests;

public class ItemMatcherTests
{
    private static readonly PathMappings DataToMedia = new([new("/data", "/media")]);

    // A path, a longer path containing it, the same name in another case elsewhere, a lone name
    private static readonly PlexCandidate Clip = new("1", "1", "", ["/media/a/Clip.mp4"]);
    private static readonly PlexCandidate Longer = new("2", "1", "", ["/media/a/Clip.mp4.bak/x.mp4"]);
    private static readonly PlexCandidate Other = new("3", "2", "", ["/Other/CLIP.MP4"]);
    private static readonly PlexCandidate Lone = new("4", "2", "", ["/plex/elsewhere/unique.mkv"]);

    /// <summary>
    /// A fake Plex file= filter, a case-insensitive substring match where a comma means
    /// OR, as Plex's, so FindAsync has to confirm candidates itself. It records the fragments it was
    /// asked for. Without <paramref name="normalise"/> it compares as Plex's database does, so a name
    /// in another normal form is not found; with it, it finds one (as a Plex whose filter normalised
    /// would), so that FindAsync's own confirmation is what is tested.
    /// </summary>
    private sealed class Library(bool normalise, params PlexCandidate[] items)
    {
        public Library(params PlexCandidate[] items)
            : this(false, items)
        {
        }

        public List<string> Asked { get; } = [];

        public Task<IReadOnlyList<PlexCandidate>> Lookup(string fragment, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Asked.Add(fragment);
            var alternatives = fragment.Split(',', StringSplitOptions.RemoveEmptyEntries);
            IReadOnlyList<PlexCandidate> hits =
                [.. items.Where(item => item.Files.Any(f => alternatives.Any(a => Key(f).Contains(Key(a), StringComparison.Ordinal))))];
            return Task.FromResult(hits);
        }

        private string Key(string s) =>
            (normalise ? s.Normalize(System.Text.NormalizationForm.FormC) : s).ToLowerInvariant();
    }

    private static Task<MatchResult> Find(Library library, params string[] files) =>
        ItemMatcher.FindAsync(files, DataToMedia, library.Lookup, CancellationToken.None);

    [Fact]
    public async Task FindAsync_ExactPath_WinsOverBasenameAndSubstringHits()
    {
        var library = new Library(Clip, Longer, Other);

        var r = await Find(library, "/data/a/Clip.mp4");

        Assert.Equal("1", r.Item.RatingKey);
        Assert.Equal(ItemMatcher.ByPath, r.Strategy);
        Assert.Equal("path", r.Strategy);
        Assert.Equal("/media/a/Clip.mp4", r.File);
        Assert.Equal(["/media/a/Clip.mp4"], library.Asked);
    }

    [Fact]
    public async Task FindAsync_UniqueBasenameOtherCase_MatchesByBasename()
    {
        var library = new Library(Clip, Lone);

        var r = await Find(library, "/data/x/UNIQUE.mkv");

        Assert.Equal("4", r.Item.RatingKey);
        Assert.Equal("basename", r.Strategy);
        Assert.Equal("/plex/elsewhere/unique.mkv", r.File);
        Assert.Equal(["/media/x/UNIQUE.mkv", "UNIQUE.mkv"], library.Asked);
    }

    [Fact]
    public async Task FindAsync_SeveralBasenameHits_AreAmbiguous()
    {
        var library = new Library(Clip, Other);

        var e = await Assert.ThrowsAsync<AmbiguousMatchException>(() => Find(library, "/data/z/Clip.mp4"));

        Assert.Equal(["1", "3"], e.Candidates.Select(c => c.RatingKey));
        Assert.Equal("/media/z/Clip.mp4", e.File);
        Assert.Contains("ratingKey 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("ratingKey 3", e.Message, StringComparison.Ordinal);
    }

    // Two items holding the exact path are ambiguous too, not a guess
    [Fact]
    public async Task FindAsync_SeveralExactPathHits_AreAmbiguous()
    {
        var copy = Clip with { RatingKey = "9", SectionId = "3" };

        var e = await Assert.ThrowsAsync<AmbiguousMatchException>(() => Find(new Library(Clip, copy), "/data/a/Clip.mp4"));

        Assert.Equal(["1", "9"], e.Candidates.Select(c => c.RatingKey));
    }

    [Fact]
    public async Task FindAsync_PrimaryAbsent_SecondaryFileMatchesByPath()
    {
        var library = new Library(Clip);

        var r = await Find(library, "/data/missing.mp4", "/data/a/Clip.mp4");

        Assert.Equal("1", r.Item.RatingKey);
        Assert.Equal("path", r.Strategy);
        Assert.Equal(["/media/missing.mp4", "/media/a/Clip.mp4"], library.Asked);
    }

    // Every file is tried by path before any by basename
    [Fact]
    public async Task FindAsync_SecondaryPathMatch_WinsOverPrimaryBasenameMatch()
    {
        var library = new Library(Lone, Clip);

        var r = await Find(library, "/data/x/unique.mkv", "/data/a/Clip.mp4");

        Assert.Equal("1", r.Item.RatingKey);
        Assert.Equal("path", r.Strategy);
    }

    [Fact]
    public async Task FindAsync_NoItem_NotFoundNamingMappedPaths()
    {
        var library = new Library(Clip);

        var e = await Assert.ThrowsAsync<NotInPlexException>(() => Find(library, "/data/new.mp4", "/Other/old.mp4"));

        Assert.Equal(["/media/new.mp4", "/Other/old.mp4"], e.Files);
        Assert.Contains("/media/new.mp4 or /Other/old.mp4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindAsync_LookupFails_ErrorPassesThrough()
    {
        var boom = new InvalidOperationException("plex down");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => ItemMatcher.FindAsync(
            ["/data/a.mp4"], DataToMedia, (_, _) => Task.FromException<IReadOnlyList<PlexCandidate>>(boom), CancellationToken.None));

        Assert.Same(boom, e);
    }

    // Every file is mapped first, so an unsafe path fails before Plex is asked
    [Fact]
    public async Task FindAsync_UnsafePath_RefusedBeforeAnyLookup()
    {
        var library = new Library(Clip);

        await Assert.ThrowsAsync<UnsafePathException>(() => Find(library, "/data/a/Clip.mp4", "/data/../etc/passwd"));

        Assert.Empty(library.Asked);
    }

    [Fact]
    public async Task FindAsync_PassesCancellationTokenToLookup()
    {
        using var cts = new CancellationTokenSource();
        var seen = new List<CancellationToken>();

        await ItemMatcher.FindAsync(["/data/a/Clip.mp4"], DataToMedia, (fragment, ct) =>
        {
            seen.Add(ct);
            return new Library(Clip).Lookup(fragment, ct);
        }, cts.Token);

        Assert.Equal([cts.Token], seen);
    }

    // Stash spells the path NFC, Plex NFD: the same file, matched by path
    [Fact]
    public async Task FindAsync_StashNfcPlexNfd_MatchesByPath()
    {
        var nfd = new PlexCandidate("7", "1", "", ["/media/Cafe\u0301/E\u0301te\u0301.mp4"]);

        var r = await Find(new Library(normalise: true, nfd, Clip), "/data/Café/Été.mp4");

        Assert.Equal("7", r.Item.RatingKey);
        Assert.Equal("path", r.Strategy);
        Assert.Equal("/media/Cafe\u0301/E\u0301te\u0301.mp4", r.File);
    }

    // And the other way round; Plex is asked for the NFC form, or the NFD one
    [Fact]
    public async Task FindAsync_StashNfdPlexNfc_MatchesByPath()
    {
        var nfc = new PlexCandidate("7", "1", "", ["/media/Café/Été.mp4"]);
        var library = new Library(normalise: false, nfc);

        var r = await Find(library, "/data/Cafe\u0301/E\u0301te\u0301.mp4");

        Assert.Equal("path", r.Strategy);
        Assert.Equal("7", r.Item.RatingKey);
        Assert.Equal(["/media/Café/Été.mp4,/media/Cafe\u0301/E\u0301te\u0301.mp4"], library.Asked);
    }

    // Plex's filter compares bytes: an item stored NFD is found only because both forms are asked for
    [Fact]
    public async Task FindAsync_PlexFilterComparingBytes_FindsTheNfdItemByPath()
    {
        var nfd = new PlexCandidate("7", "1", "", ["/media/Cafe\u0301/E\u0301te\u0301.mp4"]);
        var library = new Library(normalise: false, nfd, Clip);

        var r = await Find(library, "/data/Café/Été.mp4");

        Assert.Equal(("7", "path"), (r.Item.RatingKey, r.Strategy));
        Assert.Single(library.Asked);
    }

    // The same for the name, when the folders differ: both forms of the name are asked for
    [Fact]
    public async Task FindAsync_PlexFilterComparingBytes_FindsTheNfdItemByName()
    {
        var nfd = new PlexCandidate("8", "2", "", ["/plex/elsewhere/E\u0301te\u0301.mp4"]);
        var library = new Library(normalise: false, nfd);

        var r = await Find(library, "/data/x/Été.mp4");

        Assert.Equal(("8", "basename"), (r.Item.RatingKey, r.Strategy));
        Assert.Equal(["/media/x/Été.mp4,/media/x/E\u0301te\u0301.mp4", "Été.mp4,E\u0301te\u0301.mp4"], library.Asked);
    }

    [Theory]
    [InlineData("/media/a/Clip.mp4", "/media/a/Clip.mp4")]
    [InlineData("Été.mp4", "Été.mp4,E\u0301te\u0301.mp4")]
    [InlineData("한글.mp4", "한글.mp4,\u1112\u1161\u11AB\u1100\u1173\u11AF.mp4")]
    public void AnyForm_AddsTheNfdFormOnlyWhenItDiffers(string nfc, string want) =>
        Assert.Equal(want, ItemMatcher.AnyForm(nfc));

    // The basename fallback compares normalised names too
    [Fact]
    public async Task FindAsync_BasenameInOtherNormalFormAndCase_MatchesByBasename()
    {
        var nfd = new PlexCandidate("8", "2", "", ["/plex/ÉTÉ/CAFE\u0301.MP4"]);

        var r = await Find(new Library(normalise: true, nfd), "/data/x/café.mp4");

        Assert.Equal("8", r.Item.RatingKey);
        Assert.Equal("basename", r.Strategy);
    }

    // Normalising does not loosen the path rule: a path differing in case is not a path match
    [Fact]
    public async Task FindAsync_PathDifferingInCase_IsOnlyABasenameMatch()
    {
        var upper = new PlexCandidate("5", "1", "", ["/MEDIA/Clip/Clip.mp4"]);

        var r = await Find(new Library(upper), "/data/a/Clip.mp4");

        Assert.Equal("basename", r.Strategy);
    }

    // Plex may report a file name with a lone surrogate; confirming candidates must not throw
    [Fact]
    public async Task FindAsync_CandidateWithLoneSurrogate_IsSkippedWithoutThrowing()
    {
        var odd = new PlexCandidate("6", "1", "", ["/media/a/Clip.mp4\uD800"]);

        var r = await Find(new Library(odd, Clip), "/data/a/Clip.mp4");

        Assert.Equal("1", r.Item.RatingKey);
    }
}
