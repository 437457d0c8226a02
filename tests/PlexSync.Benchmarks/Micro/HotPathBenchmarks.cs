using BenchmarkDotNet.Attributes;
using PlexSync.Domain;

namespace PlexSync.Benchmarks.Micro;

/// <summary>
/// The pure code every scene of a reconciliation runs through (`./bench.sh micro`): building the desired
/// state, comparing it with the item (in step, and all changed), sanitising a long summary, and
/// matching a file among candidates. In process, so that nothing is built or restored at run time.
/// </summary>
[MemoryDiagnoser]
[InProcess]
public class HotPathBenchmarks
{
    private static readonly SceneOptions Options = new() { Fields = new SyncFields(), CollectionSources = ["studio", "groups"] };
    private static readonly PathMappings Mappings = new([new PathMapping("/data/videos", "/media/videos")]);

    private readonly Scene scene = new()
    {
        Id = "45",
        Title = "A Title",
        Details = string.Concat(Enumerable.Repeat("A line of details with ünïcödé and a\ttab.\n", 50)),
        Date = "2023-05-01",
        Rating100 = 85,
        Studio = "Studio X",
        Performers = ["Ann", "Bob", "Chloé Dubois", "ann"],
        Tags = [.. Enumerable.Range(1, 20).Select(i => $"Tag {i}")],
        Groups = ["Series 1"],
        Files = ["/data/videos/045/scene-00045.mp4"],
        Screenshot = "/scene/45/screenshot?t=1",
    };

    private readonly IReadOnlyList<PlexCandidate> candidates =
    [
        new("101", "1", "Other", ["/media/videos/045/scene-00045.mp4.part"]),
        new("102", "1", "Other", ["/media/videos/145/scene-00045.mp4"]),
        new("103", "1", "A Title", ["/media/videos/045/scene-00045.mp4"]),
    ];

    private DesiredState desired = null!;
    private PlexState inStep = null!;

    [GlobalSetup]
    public void Setup()
    {
        desired = DesiredStateBuilder.Build(scene, Options);
        inStep = desired.State with
        {
            Tags = new Dictionary<string, IReadOnlyList<string>>(desired.State.Tags) { [PlexFields.Label] = ["Own Label"] },
            Locked = [.. desired.State.Fields.Keys, .. desired.State.Tags.Keys, PlexFields.Poster],
            PosterStamp = PosterCheck.ScreenshotStamp(desired.Poster) ?? long.MaxValue,
        };
    }

    [Benchmark]
    public DesiredState BuildDesiredState() => DesiredStateBuilder.Build(scene, Options);

    [Benchmark]
    public Changes DiffInStep() => MetadataDiff.Compute(desired, inStep);

    [Benchmark]
    public Changes DiffAllChanged() => MetadataDiff.Compute(desired, new PlexState());

    [Benchmark]
    public string SanitiseSummary() => Sanitizer.CleanText(scene.Details, 10_000, multiline: true);

    [Benchmark]
    public Task<MatchResult> MatchByPath() =>
        ItemMatcher.FindAsync(scene.Files, Mappings, (_, _) => Task.FromResult(candidates), CancellationToken.None);
}
