using Xunit.Abstractions;

namespace PlexSync.Benchmarks;

/// <summary>The benchmark with small sizes, in the test command: it must run, give right results and print its figures.</summary>
public sealed class SmokeTests(DevServerFixture server, ITestOutputHelper output) : IClassFixture<DevServerFixture>
{
    [Fact]
    public async Task Benchmark_SixtyScenesAndTenHooks_RunsAndPrintsItsFigures()
    {
        var figures = new List<string>();
        var bench = new Bench(server.Client, TimeSpan.FromMilliseconds(3), figure =>
        {
            figures.Add(figure);
            Figures.Report(output, "Benchmark smoke run", figure);
        });

        var unchanged = await bench.ReconcileAsync(60, changed: false);
        var changed = await bench.ReconcileAsync(60, changed: true);
        await bench.HooksAsync(10);

        Assert.Equal((60, 0, 0), (unchanged.Seen, unchanged.Changed, unchanged.Synced));
        Assert.Equal((60, 60, 60), (changed.Seen, changed.Changed, changed.Synced));
        Assert.Equal(3, figures.Count);
        Assert.Contains("0.00 writes per scene", figures[0], StringComparison.Ordinal);
        Assert.Contains("1.00 SceneSync workflows per scene", figures[1], StringComparison.Ordinal);
    }
}
