using Xunit.Abstractions;

namespace PlexSync.Benchmarks;

/// <summary>
/// The benchmark's comparison with tiny sizes, in the test command: our build against a baseline (the Go build
/// when the checkout has it unpacked as .tools/plexsync-go, else our own build again), every scenario A B B A.
/// It must run, give right results (the scenarios check their counts and items) and a figure of each build
/// for every figure; it asserts nothing about speed.
/// </summary>
public sealed class SmokeTests(ITestOutputHelper output)
{
    private static readonly string[] EveryScenario =
    [
        "20 scenes all changed, fresh worker", "30 scenes", "idle worker", "3 hooks one after another",
    ];

    [Fact]
    public async Task Comparison_TinySizes_GivesEachFigureForBothBuilds()
    {
        var ours = new BenchBuild("ours", PlexSyncBuild.Beside, PlexSyncBuild.Beside);
        var baseline = PlexSyncBuild.GoBaseline() is { } go ? new BenchBuild("Go", go, go, Ours: false) : ours with { Name = "itself" };
        var plan = new BenchPlan(Fresh: 20, Scenes: [30], Hooks: 3, Idle: TimeSpan.FromSeconds(1), Latency: TimeSpan.FromMilliseconds(3));

        var measured = await Comparison.RunAsync(ours, baseline, plan, line => Figures.Report(output, "Benchmark smoke run", line));

        Assert.Equal(EveryScenario, measured.Select(m => m.Figure.Scenario).Distinct());
        Assert.All(measured.GroupBy(m => (m.Figure.Scenario, m.Figure.Name)), figure =>
        {
            Assert.Equal(2, figure.Count(m => m.Build == ours.Name));
            Assert.Equal(2, figure.Count(m => m.Build == baseline.Name));
            Assert.All(figure, m => Assert.True(double.IsFinite(m.Figure.Value) && m.Figure.Value >= 0, $"{m.Build}: {m.Figure}"));
        });
        Assert.All(Named(measured, "30 scenes", "unchanged (warm): Plex writes per scene"), m => Assert.Equal(0, m.Figure.Value));
        Assert.All(Named(measured, "30 scenes", "all changed again (warm): SceneSync workflows per scene"), m => Assert.Equal(1, m.Figure.Value));
        Assert.All(Named(measured, "30 scenes", "worker peak RSS"), m => Assert.True(m.Figure.Value > 0));
    }

    [Fact]
    public void Order_WithABaseline_AlternatesABBA() =>
        Assert.Equal(["A", "B", "B", "A"], Comparison.Order("A", "B"));

    [Fact]
    public void Order_WithoutABaseline_RunsOursOnce() =>
        Assert.Equal(["A"], Comparison.Order("A", null));

    [Fact]
    public void Table_TwoBuilds_GivesMeansRunsAndTheRatio()
    {
        Measured[] measured =
        [
            new("C#", new("idle worker", "worker RSS", 90, "MiB")),
            new("Go", new("idle worker", "worker RSS", 28, "MiB")),
            new("Go", new("idle worker", "worker RSS", 32, "MiB")),
            new("C#", new("idle worker", "worker RSS", 110, "MiB")),
        ];

        var table = Comparison.Table(measured, "C#", "Go", [1.5, 2.5], TimeSpan.FromMilliseconds(3));

        Assert.Contains("| figure | Go | C# | C#/Go |", table, StringComparison.Ordinal);
        Assert.Contains("| idle worker: worker RSS | 30.0 MiB (28.0, 32.0) | 100 MiB (90.0, 110) | 3.33 |", table, StringComparison.Ordinal);
        Assert.Contains("load 1.5 to 2.5", table, StringComparison.Ordinal);
    }

    private static IEnumerable<Measured> Named(IEnumerable<Measured> measured, string scenario, string name) =>
        Assert.Single(measured.GroupBy(m => (m.Figure.Scenario, m.Figure.Name)), g => g.Key == (scenario, name));
}
