using System.Text;
using System.Text.RegularExpressions;

namespace PlexSync.Domain.Tests;

public class SceneMatcherTests
{
    private static readonly PathMappings DataToMedia = new([new("/data", "/media")]);

    /// <summary>
    /// A fake of Stash's path filter as Stash evaluates it: SQL LIKE over each file's full path, "%" and "_" as
    /// wildcards, ASCII letters case-insensitive, bytes compared as they are (no normalisation). EQUALS uses the
    /// value as the pattern; INCLUDES of a quoted value is "%value%". It records what it was asked.
    /// </summary>
    private sealed class Stash(params StashCandidate[] scenes)
    {
        public List<StashPathQuery> Asked { get; } = [];

        public Task<IReadOnlyList<StashCandidate>> Lookup(StashPathQuery query, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Asked.Add(query);
            var like = Like(query.ByName ? "%" + query.Value + "%" : query.Value);
            IReadOnlyList<StashCandidate> hits = [.. scenes.Where(s => s.Files.Any(f => like.IsMatch(AsciiLower(f))))];
            return Task.FromResult(hits);
        }

        private static Regex Like(string pattern)
        {
            var regex = new StringBuilder("^");
            foreach (var c in AsciiLower(pattern))
            {
                regex.Append(c switch { '%' => ".*", '_' => ".", _ => Regex.Escape(c.ToString()) });
            }

            return new Regex(regex.Append('$').ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant);
        }

        private static string AsciiLower(string s) => string.Concat(s.Select(c => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c));
    }

    private static Task<SceneMatchResult> Find(Stash stash, params string[] plexFiles) =>
        SceneMatcher.FindAsync(plexFiles, DataToMedia, stash.Lookup, CancellationToken.None);

    [Fact]
    public async Task FindAsync_ExactPathThroughReversedMapping_Matches()
    {
        var stash = new Stash(new StashCandidate("1", ["/data/a/clip.mp4"]), new StashCandidate("2", ["/data/b/clip.mp4"]));

        var result = await Find(stash, "/media/a/clip.mp4");

        Assert.Equal((SceneMatcher.Matched, "1", ItemMatcher.ByPath, "/data/a/clip.mp4"), (result.Outcome, result.Scene?.SceneId, result.Strategy, result.File));
        Assert.Equal([new StashPathQuery("/data/a/clip.mp4", false)], stash.Asked);
    }

    [Fact]
    public async Task FindAsync_LikeWildcardsAndAsciiCase_OverMatchesAreRejected()
    {
        // "_" matches any one character and LIKE folds ASCII case: Stash returns all three for the exact path.
        var stash = new Stash(new StashCandidate("1", ["/data/sceneX1.mp4"]), new StashCandidate("2", ["/DATA/Scene_1.mp4"]), new StashCandidate("3", ["/data/scene_1.mp4"]));

        var result = await Find(stash, "/media/scene_1.mp4");

        Assert.Equal(SceneMatcher.Matched, result.Outcome);
        Assert.Equal("3", result.Scene?.SceneId);
    }

    [Fact]
    public async Task FindAsync_StashStoresNfd_FoundByTheNfdForm()
    {
        var nfd = "/data/Cafe\u0301.mp4";
        var stash = new Stash(new StashCandidate("7", [nfd]));

        var result = await Find(stash, "/media/Caf\u00e9.mp4");

        Assert.Equal(SceneMatcher.Matched, result.Outcome);
        Assert.Equal(nfd, result.File);
        Assert.Contains(new StashPathQuery("/data/Cafe\u0301.mp4", false), stash.Asked);
    }

    [Fact]
    public async Task FindAsync_NoExactPath_TheOneFileOfThatName_CaseInsensitive()
    {
        var stash = new Stash(new StashCandidate("4", ["/elsewhere/MAX.mp4"]), new StashCandidate("5", ["/elsewhere/x.mp4.bak"]), new StashCandidate("6", ["/old/Clip.MP4"]));

        var result = await Find(stash, "/media/new/clip.mp4");

        Assert.Equal((SceneMatcher.Matched, "6", ItemMatcher.ByName), (result.Outcome, result.Scene?.SceneId, result.Strategy));
        Assert.Equal(new StashPathQuery("clip.mp4", true), stash.Asked[^1]);
    }

    [Fact]
    public async Task FindAsync_TwoScenesWithTheName_AmbiguousWithBoth()
    {
        var stash = new Stash(new StashCandidate("12", ["/srv/a/x.mp4"]), new StashCandidate("40", ["/srv/b/x.mp4"]));

        var result = await Find(stash, "/media/c/x.mp4");

        Assert.Equal(SceneMatcher.Ambiguous, result.Outcome);
        Assert.Null(result.Scene);
        Assert.Equal(
            "2 Stash scenes have a file named x.mp4, none at /data/c/x.mp4: scene 12 (/srv/a/x.mp4), scene 40 (/srv/b/x.mp4); add a path mapping so that the full path matches",
            result.Reason);
    }

    [Fact]
    public async Task FindAsync_TwoScenesShareTheExactFile_Ambiguous()
    {
        var stash = new Stash(new StashCandidate("1", ["/data/a.mp4"]), new StashCandidate("2", ["/data/other.mp4", "/data/a.mp4"]));

        var result = await Find(stash, "/media/a.mp4");

        Assert.Equal(SceneMatcher.Ambiguous, result.Outcome);
        Assert.StartsWith("2 Stash scenes have the file /data/a.mp4: scene 1 (/data/a.mp4), scene 2 (/data/a.mp4)", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindAsync_NoSceneHasIt_UnmatchedSaysWhatWasLookedFor()
    {
        var stash = new Stash(new StashCandidate("1", ["/data/a.mp4"]));

        var result = await Find(stash, "/media/other/clip.mp4");

        Assert.Equal(SceneMatcher.Unmatched, result.Outcome);
        Assert.Equal("no Stash scene has the file /data/other/clip.mp4 or one named clip.mp4 (check path_mappings)", result.Reason);
    }

    [Fact]
    public async Task FindAsync_AnyFileOfTheItem_SecondPartMatches()
    {
        var stash = new Stash(new StashCandidate("9", ["/data/part2.mp4"]));

        var result = await Find(stash, "/media/part1.mp4", "/media/part2.mp4");

        Assert.Equal(("9", ItemMatcher.ByPath), (result.Scene?.SceneId, result.Strategy));
    }

    [Theory]
    [InlineData("/media/../etc/passwd")]
    public async Task FindAsync_DotDotSegment_UnmatchedAndNothingAsked(string plexFile)
    {
        var stash = new Stash(new StashCandidate("1", ["/etc/passwd"]));

        var result = await Find(stash, plexFile);

        Assert.Equal(SceneMatcher.Unmatched, result.Outcome);
        Assert.Contains("\"..\"", result.Reason, StringComparison.Ordinal);
        Assert.Empty(stash.Asked);
    }

    [Fact]
    public async Task FindAsync_NoFiles_Unmatched()
    {
        var result = await Find(new Stash());

        Assert.Equal((SceneMatcher.Unmatched, "Plex lists no file for the item"), (result.Outcome, result.Reason));
    }
}
