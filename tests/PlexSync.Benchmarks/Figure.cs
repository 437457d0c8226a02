using System.Globalization;

namespace PlexSync.Benchmarks;

/// <summary>One measured figure of one run: its scenario, what it is, its value in its unit.</summary>
public sealed record Figure(string Scenario, string Name, double Value, string Unit)
{
    /// <summary>The value with three significant digits or so, and its unit.</summary>
    public static string Format(double value, string unit) => (Math.Abs(value) switch
    {
        >= 100 => value.ToString("0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.00", CultureInfo.InvariantCulture),
    }) + (unit.Length > 0 ? " " + unit : "");

    public override string ToString() => $"{Scenario}: {Name} {Format(Value, Unit)}";
}

/// <summary>A build the benchmark measures: its worker (and reconcile command) and its hook program.</summary>
/// <param name="Name">What the figures call it: "ours", "baseline".</param>
/// <param name="Worker">The build that runs `worker` and `reconcile`.</param>
/// <param name="Hook">The build that runs `hook` (the plugin folder's program, e.g. Native AOT).</param>
/// <param name="Ours">
/// Whether it is this checkout's build, whose items are checked field by field against today's rules; another build
/// of this design is checked by title only, since its rules may differ in detail (how it rounds a rating).
/// </param>
public sealed record BenchBuild(string Name, PlexSyncBuild Worker, PlexSyncBuild Hook, bool Ours = true);

/// <summary>What a benchmark run measures.</summary>
/// <param name="Fresh">Scenes of the all-changed reconciliation on a freshly started worker (0 for none).</param>
/// <param name="Scenes">Sizes of the runs of three reconciliations on one worker: all changed, all changed again, unchanged.</param>
/// <param name="Hooks">Hooks one after another (0 for none).</param>
/// <param name="Idle">How long an idle worker is watched (zero for not at all).</param>
/// <param name="Latency">How long every simulated Stash and Plex request takes.</param>
public sealed record BenchPlan(int Fresh, IReadOnlyList<int> Scenes, int Hooks, TimeSpan Idle, TimeSpan Latency);
