using System.Globalization;
using System.Text;

namespace PlexSync.Domain.Tests;

/// <summary>
/// Any scene yields either a <see cref="SceneValidationException"/> or a desired
/// state that keeps every sanitising rule. The fixed inputs of <c>Corpus</c> run as named rows, and
/// generated hostile scenes run in fixed seeded batches (deterministic and bounded).
/// </summary>
public class BuildPropertyTests
{
    private const int ScenesPerBatch = 100;

    private static readonly string[] ValidationFields = ["files", "title", "date", "rating100"];

    private sealed record Input(string Title, string Details, string Date, int Rating, string Tag, string File)
    {
        // One text fills several fields: the studio is the title, the performer and both tags are the tag
        public Scene Scene() => new()
        {
            Id = "1",
            Title = Title,
            Details = Details,
            Date = Date,
            Rating100 = Rating,
            Tags = [Tag, Tag],
            Performers = [Tag],
            Studio = Title,
            Files = [File],
        };

        public override string ToString() =>
            $"title {Cut(Title)} details {Cut(Details)} date {Cut(Date)} rating {Rating} tag {Cut(Tag)} file {Cut(File)}";

        private static string Cut(string s) => Samples.Show(s.Length > 200 ? s[..200] : s) + (s.Length > 200 ? $"… ({s.Length} units)" : "");
    }

    // Fixed inputs (three seeds, then hostile ones named by a hash of their content), with the outcome each must have
    // (null: a desired state; otherwise the field the validation error names).
    private static readonly Dictionary<string, (Input Input, string? Field)> Corpus = new()
    {
        ["seed 1"] = (new("Title", "Details\nmore", "2023-05-01", 85, "Tag", "/data/a.mp4"), null),
        ["seed 2"] = (new("", "\0\u001b[31m", "2023-02-30", 0, "tag,with,commas", @"C:\x\y.mkv"), "date"),
        ["seed 3"] = (new("\u202eevil", "🎬", "2021", 101, "ÉTÉ", ""), "rating100"),
        ["00b8389db99b4c6e"] = (new("0", "0\uDC9C", "0\uDC81", 147, "0", "0"), "date"),
        ["00f77528c91e01c8"] = (new("\uDCE2" + "00", "0", "\uDC99" + "0\uDCD2", 0, "0", "0"), "date"),
        ["03a15b180d5f2b72"] = (new("A\uDC80\uDCFF" + "0", "0", "", 196, "A00", "0"), "rating100"),
        ["0c8576595a37c2b3"] = (new("0", " ", "", 260, "0", "0"), "rating100"),
        ["0f41be577b02d006"] = (new("", "000", "0", 0, "0", "\uDC89" + "000\u0006" + "00\uDC9E\\"), "date"),
        ["0f7d4c7aa7a4c9fc"] = (new("0", "0", "\uDCB8" + "0\uDC90" + "0\uDCBE" + "0\uDCB1", 0, "0", "0"), "date"),
        ["110b88c964657b96"] = (new("0", "0", "", 19, "0", "0"), null),
        ["115d3cff14476fea"] = (new("A000", "00000000000", "", 147, "Aaa", "0"), "rating100"),
        ["12f88cf79816df1f"] = (new("0", "0", "", -76, "\uDCF5\uDCDF\uDCC9\uDCFB", "0"), "rating100"),
        ["163f3fa10cf039a1"] = (new("0\uDCE2", "0", "", 15, "0\uDCC3", ""), null),
        ["195f32cf3d5f2e63"] = (new("\uDCAE", "ڇ", "", 17, "0", ""), null),
        ["19d233d096bd5412"] = (new("A0", "0", "", 170, "0", "0"), "rating100"),
    };

    public static TheoryData<string> CorpusNames => [.. Corpus.Keys];

    public static TheoryData<int> Batches => [.. Enumerable.Range(0, 20)];

    [Theory]
    [MemberData(nameof(CorpusNames))]
    public void Build_Corpus_ValidatesOrKeepsEveryRule(string name)
    {
        var (input, field) = Corpus[name];

        var failedOn = CheckBuild(input);

        Assert.Equal(field, failedOn);
    }

    [Theory]
    [MemberData(nameof(Batches))]
    public void Build_HostileScenes_ValidateOrKeepEveryRule(int seed)
    {
        var random = new Random(seed);
        var outcomes = new HashSet<string>();
        for (var i = 0; i < ScenesPerBatch; i++)
        {
            var input = new Input(Hostile.Text(random), Hostile.Text(random), Hostile.Date(random), Hostile.Rating(random), Hostile.Text(random), Hostile.Path(random));
            outcomes.Add(CheckBuild(input) ?? "ok");
        }

        // The batch must reach past validation, or it would check nothing.
        Assert.Contains("ok", outcomes);
    }

    // The property; returns the field a validation error names, or null.
    private static string? CheckBuild(Input input)
    {
        DesiredState? d = null;
        var error = Record.Exception(() => d = DesiredStateBuilder.Build(input.Scene(), Samples.AllFields("studio")));
        if (error is not null)
        {
            var invalid = error as SceneValidationException;
            Ensure(invalid is not null, () => $"{input}: threw {error}");
            Ensure(ValidationFields.Contains(invalid.Field), () => $"{input}: names field {invalid.Field}");
            Ensure(Hostile.IsValidUtf16(invalid.Message), () => $"{input}: message {Samples.Show(invalid.Message)}");
            return invalid.Field;
        }

        Assert.NotNull(d);
        foreach (var (name, value) in d.State.Fields)
        {
            CheckText(input, name, value, multiline: name == PlexFields.Summary);
        }

        Ensure(Runes(d.State.Fields[PlexFields.Title]) is > 0 and <= Sanitizer.MaxTitleLength, () => $"{input}: title length");
        Ensure(Runes(d.State.Fields[PlexFields.Studio]) <= Sanitizer.MaxStudioLength, () => $"{input}: studio length");
        Ensure(Runes(d.State.Fields[PlexFields.Summary]) <= Sanitizer.MaxSummaryLength, () => $"{input}: summary length");
        foreach (var (name, list) in d.State.Tags)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            Ensure(list.Count <= Sanitizer.MaxTags, () => $"{input}: {name} has {list.Count} entries");
            foreach (var value in list)
            {
                CheckText(input, name, value, multiline: false);
                var key = value.ToLower(CultureInfo.InvariantCulture); // tags merge case-insensitively
                Ensure(value.Length > 0 && seen.Add(key) && Runes(value) <= Sanitizer.MaxTagLength,
                    () => $"{input}: {name} entry {Samples.Show(value)} empty, duplicate or too long");
            }
        }

        Ensure(
            d.State.Rating == PlexFields.NoRating || (d.State.Rating is >= 1 and <= 10 && d.State.Rating == Math.Floor(d.State.Rating)),
            () => $"{input}: rating {d.State.Rating} is not a whole step of 1..10");
        Assert.True(d.ManageRating);
        return null;
    }

    // Valid, NFC, trimmed, and free of control characters (but newlines in multiline text)
    private static void CheckText(Input input, string field, string value, bool multiline)
    {
        Ensure(Hostile.IsValidUtf16(value) && Hostile.IsNfc(value) && value == value.Trim(),
            () => $"{input}: {field} = {Samples.Show(value)}: invalid UTF-16, not NFC or untrimmed");
        foreach (var rune in value.EnumerateRunes())
        {
            Ensure(
                !Rune.IsControl(rune) || (multiline && rune.Value == '\n'),
                () => $"{input}: {field} = {Samples.Show(value)} holds control character U+{rune.Value:X4}");
        }
    }

    private static int Runes(string s) => s.EnumerateRunes().Count();

    // Assert.True with a message built only on failure: the inputs can be long.
    private static void Ensure([System.Diagnostics.CodeAnalysis.DoesNotReturnIf(false)] bool condition, Func<string> message)
    {
        if (!condition)
        {
            Assert.Fail(message());
        }
    }
}
