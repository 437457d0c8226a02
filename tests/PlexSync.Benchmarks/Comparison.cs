using System.Globalization;
using System.Text;

namespace PlexSync.Benchmarks;

/// <summary>A figure measured for one build.</summary>
public sealed record Measured(string Build, Figure Figure);

/// <summary>
/// Runs each scenario of a plan with our build and, given one, a baseline build, alternately A B B A, so that
/// a machine whose load drifts during the run weighs on both alike; then tabulates each figure for both and
/// their ratio. Each run's figures are reported as they come, with the machine's load.
/// </summary>
public static class Comparison
{
    /// <summary>The order of the runs of one scenario: A B B A with a baseline, else ours once.</summary>
    public static IReadOnlyList<T> Order<T>(T ours, T? baseline)
        where T : class => baseline is null ? [ours] : [ours, baseline, baseline, ours];

    /// <summary>The scenarios of <paramref name="plan"/>, in the order they run.</summary>
    public static IReadOnlyList<(string Name, Func<Bench, Task<IReadOnlyList<Figure>>> Run)> Scenarios(BenchPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var scenarios = new List<(string, Func<Bench, Task<IReadOnlyList<Figure>>>)>();
        if (plan.Fresh > 0)
        {
            scenarios.Add(($"{plan.Fresh} scenes all changed, fresh worker", b => b.FreshAsync(plan.Fresh)));
        }

        scenarios.AddRange(plan.Scenes.Select(n => ($"{n} scenes: all changed, again, unchanged", (Func<Bench, Task<IReadOnlyList<Figure>>>)(b => b.ScaleAsync(n)))));
        if (plan.Idle > TimeSpan.Zero)
        {
            scenarios.Add(("idle worker", b => b.IdleAsync(plan.Idle)));
        }

        if (plan.Hooks > 0)
        {
            scenarios.Add(($"{plan.Hooks} hooks", b => b.HooksAsync(plan.Hooks)));
        }

        return scenarios;
    }

    /// <summary>Runs the plan and reports each run's figures, then the table; returns every figure measured.</summary>
    public static async Task<IReadOnlyList<Measured>> RunAsync(BenchBuild ours, BenchBuild? baseline, BenchPlan plan, Action<string> report)
    {
        ArgumentNullException.ThrowIfNull(ours);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(report);
        var measured = new List<Measured>();
        var loads = new List<double>();
        foreach (var (name, run) in Scenarios(plan))
        {
            var order = Order(ours, baseline);
            for (var i = 0; i < order.Count; i++)
            {
                var build = order[i];
                loads.Add(Load());
                report(string.Create(CultureInfo.InvariantCulture, $"{name}, run {i + 1} of {order.Count}: {build.Name} ({build.Worker}), load {loads[^1]:0.0}"));
                foreach (var figure in await run(new Bench(build, plan.Latency)))
                {
                    report($"  {build.Name}: {figure}");
                    measured.Add(new(build.Name, figure));
                }
            }
        }

        loads.Add(Load());
        report(Table(measured, ours.Name, baseline?.Name, loads, plan.Latency));
        return measured;
    }

    /// <summary>A Markdown table: each figure's mean for each build (with its runs) and the ratio of the means, ours to the baseline's.</summary>
    public static string Table(IReadOnlyList<Measured> measured, string ours, string? baseline, IReadOnlyList<double> loads, TimeSpan latency)
    {
        ArgumentNullException.ThrowIfNull(measured);
        ArgumentNullException.ThrowIfNull(loads);
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores, load {loads.Min():0.0} to {loads.Max():0.0} (1-minute average at each run's start), simulated request latency {latency.TotalMilliseconds:0} ms");
        table.AppendLine(baseline is null ? $"| figure | {ours} |" : $"| figure | {baseline} | {ours} | {ours}/{baseline} |");
        table.AppendLine(baseline is null ? "|---|---|" : "|---|---|---|---|");
        foreach (var figure in measured.GroupBy(m => (m.Figure.Scenario, m.Figure.Name)))
        {
            var ourRuns = Values(figure, ours);
            var label = $"{figure.Key.Scenario}: {figure.Key.Name}";
            var unit = figure.First().Figure.Unit;
            if (baseline is null)
            {
                table.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {Cell(ourRuns, unit)} |");
                continue;
            }

            var baseRuns = Values(figure, baseline);
            table.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {Cell(baseRuns, unit)} | {Cell(ourRuns, unit)} | {Ratio(ourRuns, baseRuns)} |");
        }

        return table.ToString();
    }

    private static double[] Values(IEnumerable<Measured> figure, string build) => [.. figure.Where(m => m.Build == build).Select(m => m.Figure.Value)];

    // The mean, and each run's value when there are several.
    private static string Cell(double[] runs, string unit) =>
        runs.Length switch
        {
            0 => "—",
            1 => Figure.Format(runs[0], unit),
            _ => $"{Figure.Format(runs.Average(), unit)} ({string.Join(", ", runs.Select(r => Figure.Format(r, "")))})",
        };

    private static string Ratio(double[] ours, double[] baseline) =>
        ours.Length == 0 || baseline.Length == 0 || baseline.Average() == 0
            ? "—"
            : (ours.Average() / baseline.Average()).ToString("0.00", CultureInfo.InvariantCulture);

    // The 1-minute load average: how busy the shared machine was.
    private static double Load() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
}
