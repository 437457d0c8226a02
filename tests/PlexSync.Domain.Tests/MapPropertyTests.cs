namespace PlexSync.Domain.Tests;

/// <summary>
/// Mapping never fails but on a ".." segment, and never
/// yields a path that climbs out of its target with "..". The fixed inputs of <c>Corpus</c> run as
/// named rows; generated hostile mappings run in fixed seeded batches.
/// </summary>
public class MapPropertyTests
{
    private const string UnsafePath = "<unsafe>";
    private const string InvalidMapping = "<invalid mapping>";
    private const int CasesPerBatch = 200;

    // Fixed inputs (three seeds, then hostile ones named by a hash of their content): (path, from, to) and the outcome.
    private static readonly Dictionary<string, (string Path, string From, string To, string Want)> Corpus = new()
    {
        ["seed 1"] = ("/data/videos/a.mp4", "/data/videos", "/media/videos", "/media/videos/a.mp4"),
        ["seed 2"] = (@"C:\Stash\..\x.mkv", @"C:\Stash", "/mnt", UnsafePath),
        ["seed 3"] = ("/data/videos/../../etc/passwd", "/data", @"\\nas\share", UnsafePath),
        ["00b59bb3ada8a39b"] = ("0", "\uDC8D\uDC94", "\uDC88\uDCF8", "0"),
        ["0139925f68dc9bcf"] = ("0", "0", "0 ", "0 "),
        ["0303ebe3184dee19"] = ("0", "0", "00", "00"),
        // Two different lone surrogates are different text, even compared case-insensitively: the
        // prefix does not match and the path stays unmapped.
        ["034d8501475525dc"] = ("\uDCD6\uDCD4" + "b", "\uDC9E\uDC9E" + "B\\", "0", "\uDCD6\uDCD4" + "b"),
        ["046dbc913709b935"] = ("0", "////////////////////////////////", "0", "0/0"), // no segment: a prefix of every path
        ["07f314389b6e171e"] = ("0", "\u2000", "0", InvalidMapping),
        ["084d55dca995dcce"] = ("0", "\uDCB5", "\uDCB0", "0"),
        ["09734c4685c8af09"] = ("\uDCED\uDC82", "\uDC9E\uDC9E\\", "0", "\uDCED\uDC82"), // as 034d8501475525dc
        ["0d0e7be6eba5db82"] = ("\uDC82", "\\k", "0", "\uDC82"),
        ["0efec74ccd8699d4"] = ("0", "\uDCF0                ", "0", "0"),
        ["1294fee9c187b4f4"] = ("C:\\b", "c:\\B", "0", "0"),
        ["156a0107a5904ed7"] = ("C:\\StA\\0", "C:\\St0", "0", "C:\\StA\\0"),
    };

    public static TheoryData<string> CorpusNames => [.. Corpus.Keys];

    public static TheoryData<int> Batches => [.. Enumerable.Range(0, 20)];

    [Theory]
    [MemberData(nameof(CorpusNames))]
    public void Map_Corpus_NeverClimbsOut(string name)
    {
        var (path, from, to, want) = Corpus[name];

        Assert.Equal(want, CheckMap(path, from, to));
    }

    [Theory]
    [MemberData(nameof(Batches))]
    public void Map_HostilePathsAndMappings_NeverClimbOut(int seed)
    {
        var random = new Random(seed);
        var outcomes = new HashSet<string>();
        for (var i = 0; i < CasesPerBatch; i++)
        {
            var outcome = CheckMap(Hostile.Path(random), Hostile.Path(random, 3), Hostile.Path(random, 3));
            outcomes.Add(outcome is UnsafePath or InvalidMapping ? outcome : "mapped");
        }

        // Every batch must exercise both the refusal and the mapping, or it would check little.
        Assert.Equal(3, outcomes.Count);
    }

    // The property; returns the mapped path or what stopped it.
    private static string CheckMap(string path, string from, string to)
    {
        var show = $"Map({Samples.Show(path)}) with {Samples.Show(from)} -> {Samples.Show(to)}";
        var mappings = new PathMappings([new(from, to)]);
        var problem = mappings.Validate();
        Assert.True(
            (problem is null) == (from.Trim().Length > 0 && to.Trim().Length > 0 && !HasDotDot(from) && !HasDotDot(to)),
            $"{show}: Validate = {problem}");
        if (problem is not null)
        {
            return InvalidMapping;
        }

        string? mapped = null;
        var error = Record.Exception(() => mapped = mappings.Map(path));
        if (error is not null)
        {
            Assert.True(error is UnsafePathException && HasDotDot(path), $"{show}: threw {error}");
            return UnsafePath;
        }

        Assert.NotNull(mapped);
        Assert.False(HasDotDot(path), $"{show} = {Samples.Show(mapped)}: a \"..\" path was not refused");
        Assert.False(HasDotDot(mapped), $"{show} = {Samples.Show(mapped)} climbs with ..");
        if (Hostile.IsValidUtf16(path) && Hostile.IsValidUtf16(to))
        {
            Assert.True(Hostile.IsNfc(mapped), $"{show} = {Samples.Show(mapped)} is not NFC");
        }

        return mapped;
    }

    private static bool HasDotDot(string path) => path.Split('/', '\\').Contains("..");
}
