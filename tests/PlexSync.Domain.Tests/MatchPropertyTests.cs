using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace PlexSync.Domain.Tests;

/// <summary>
/// Path mapping and matching on hostile paths. <see cref="MapPropertyTests"/> covers one
/// mapping; here several mappings (the first that fits wins) and the matcher: whatever Plex's inexact
/// file= filter returns, the item picked has a file that is the mapped path or has its name, an exact
/// path always beats a name, and "not in Plex" means that no item fits at all.
/// </summary>
public class MatchPropertyTests
{
    [Property(MaxTest = 400, Replay = "(2301,11)")]
    public Property Map_PathUnderTheFirstMapping_LandsUnderItsTargetAndNeverClimbs_PinnedSeed() => Map_PathUnderTheFirstMapping_LandsUnderItsTargetAndNeverClimbs();

    [Property(MaxTest = 400)]
    public Property Map_PathUnderTheFirstMapping_LandsUnderItsTargetAndNeverClimbs_FreshSeed() => Map_PathUnderTheFirstMapping_LandsUnderItsTargetAndNeverClimbs();

    private Property Map_PathUnderTheFirstMapping_LandsUnderItsTargetAndNeverClimbs() =>
        Prop.ForAll(Arb.From(MappedCases()), c =>
        {
            var (mappings, path) = c;
            var show = $"Map({Samples.Show(path)}) with {string.Join("; ", mappings.Items.Select(m => $"{Samples.Show(m.From)} -> {Samples.Show(m.To)}"))}";

            var mapped = mappings.Map(path);

            Assert.False(HasDotDot(mapped), $"{show} = {Samples.Show(mapped)} climbs with ..");
            var target = Nfc(mappings.Items[0].To.TrimEnd('/', '\\'));
            Assert.True(mapped.StartsWith(target, StringComparison.Ordinal), $"{show} = {Samples.Show(mapped)} is not under {Samples.Show(target)}");
        });

    [Property(MaxTest = 300, Replay = "(2302,13)")]
    public Property FindAsync_AnyCandidates_PicksOnlyAFittingItem_PinnedSeed() => FindAsync_AnyCandidates_PicksOnlyAFittingItem();

    [Property(MaxTest = 300)]
    public Property FindAsync_AnyCandidates_PicksOnlyAFittingItem_FreshSeed() => FindAsync_AnyCandidates_PicksOnlyAFittingItem();

    private Property FindAsync_AnyCandidates_PicksOnlyAFittingItem() =>
        Prop.ForAll(Arb.From(MatchCases()), c =>
        {
            var (files, items) = c;
            var mappings = new PathMappings([new("/data", "/media"), new(@"C:\Stash", @"\\nas\share")]);
            var show = $"files {string.Join(", ", files.Select(Samples.Show))}; items {string.Join(", ", items.Select(i => $"{i.RatingKey}: {string.Join(" | ", i.Files.Select(Samples.Show))}"))}";
            if (files.Any(HasDotDot))
            {
                Assert.ThrowsAny<UnsafePathException>(() => Find(files, mappings, items));
                return;
            }

            var mapped = files.Select(mappings.Map).ToList();
            bool ByPath(string f) => !HasDotDot(f) && mapped.Contains(Nfc(f));
            bool ByName(string f) => FileNames.Name(f) != ".." && mapped.Any(m => string.Equals(Nfc(FileNames.Name(f)), FileNames.Name(m), StringComparison.OrdinalIgnoreCase));
            var pathFits = items.Count(i => i.Files.Any(ByPath));
            var nameFits = items.Count(i => i.Files.Any(ByName));

            MatchResult result;
            try
            {
                result = Find(files, mappings, items);
            }
            catch (NotInPlexException)
            {
                Assert.True(pathFits == 0 && nameFits == 0, $"{show}: not in Plex, yet {pathFits + nameFits} items fit");
                return;
            }
            catch (AmbiguousMatchException e)
            {
                Assert.True(e.Candidates.Count >= 2 && e.Candidates.All(i => i.Files.Any(ByPath) || i.Files.Any(ByName)), $"{show}: ambiguous among {e.Candidates.Count}");
                return;
            }

            Assert.Contains(result.File, result.Item.Files);
            if (result.Strategy == ItemMatcher.ByPath)
            {
                Assert.True(ByPath(result.File), $"{show}: picked {result.Item.RatingKey} by path through {Samples.Show(result.File)}");
            }
            else
            {
                Assert.Equal(ItemMatcher.ByName, result.Strategy);
                Assert.True(ByName(result.File), $"{show}: picked {result.Item.RatingKey} by name through {Samples.Show(result.File)}");
                Assert.True(pathFits == 0, $"{show}: picked by name while {pathFits} items have the exact path");
            }
        });

    // Every item, whatever the fragment: a filter as loose as can be, so the matcher's own check is what decides.
    // The lookup answers at once, so the task is complete when FindAsync returns.
#pragma warning disable VSTHRD002
    private static MatchResult Find(IReadOnlyList<string> files, PathMappings mappings, IReadOnlyList<PlexCandidate> items) =>
        ItemMatcher.FindAsync(files, mappings, (_, _) => Task.FromResult(items), CancellationToken.None).GetAwaiter().GetResult();
#pragma warning restore VSTHRD002

    // The product's NFC (Sanitizer.Nfc, internal), reached through a mapping-free Map; text without a ".." segment only.
    private static string Nfc(string path) => PathMappings.None.Map(path);

    private static Gen<string> HostilePath() => Gen.Choose(0, int.MaxValue).Select(seed => Hostile.Path(new Random(seed)));

    private static Gen<(PathMappings Mappings, string Path)> MappedCases() =>
        from count in Gen.Choose(1, 3)
        from sides in Gen.ArrayOf(Gen.Zip(HostilePath(), HostilePath()), count)
        let mappings = new PathMappings(sides.Select(s => new PathMapping(s.Item1, s.Item2)))
        where mappings.Validate() is null
        from tail in HostilePath()
        from separator in Gen.Elements("/", "\\")
        where !HasDotDot(tail)
        select (mappings, sides[0].Item1 + separator + tail);

    // Scene files under the mappings or not, and items whose files are those paths mapped, respelt
    // (NFD, other case, other folder, a longer name) or unrelated.
    private static Gen<(IReadOnlyList<string> Files, IReadOnlyList<PlexCandidate> Items)> MatchCases()
    {
        var names = Gen.Elements("a.mp4", "Clip.mp4", "Café.mkv", "Cafe\u0301.mkv", "K.mp4", "\u212a.mp4", "ı.mp4", "İ.mp4", "x", "", ".mp4", "🎬.mp4", "\uD800.mp4");
        var dirs = Gen.Elements("/data/videos", "/data", @"C:\Stash\new", "/other", "/media/videos", @"\\nas\share\new", "");
        var file = Gen.Frequency(
            (5, Gen.Zip(dirs, names).Select(p => p.Item1 + "/" + p.Item2)),
            (1, HostilePath()));
        var files = Gen.NonEmptyListOf(file).Select(f => (IReadOnlyList<string>)[.. f.Take(3)]);
        Gen<string> Respelt(string path) => Gen.Elements(
            path,
            path.Replace("/data", "/media", StringComparison.Ordinal),
            SafeNormalize(path.Replace("/data", "/media", StringComparison.Ordinal), System.Text.NormalizationForm.FormD),
            path.Replace("/data", "/media", StringComparison.Ordinal).ToUpperInvariant(),
            "/elsewhere/" + FileNames.Name(path),
            "/elsewhere/" + FileNames.Name(path) + ".bak",
            path.Replace(@"C:\Stash", @"\\nas\share", StringComparison.Ordinal));
        return
            from f in files
            from itemFiles in Gen.ListOf(Gen.Frequency((3, Gen.Elements(f.ToArray()).SelectMany(Respelt)), (1, file)))
            from split in Gen.Choose(1, 3)
            let items = itemFiles.Take(8).Select((x, i) => (x, i)).GroupBy(p => p.i % split)
                .Select(g => new PlexCandidate($"{g.Key + 1}", "1", "", [.. g.Select(p => p.x)])).ToList()
            select (f, (IReadOnlyList<PlexCandidate>)items);
    }

    private static string SafeNormalize(string s, System.Text.NormalizationForm form) => Hostile.IsValidUtf16(s) && !s.Contains('\uFFFE', StringComparison.Ordinal) ? s.Normalize(form) : s;

    private static bool HasDotDot(string path) => path.Split('/', '\\').Contains("..");
}
