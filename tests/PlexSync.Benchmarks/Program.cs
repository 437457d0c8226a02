using System.CommandLine;
using BenchmarkDotNet.Running;
using PlexSync.Configuration;

namespace PlexSync.Benchmarks;

/// <summary>`./bench.sh`: the benchmark's command line.</summary>
public static class Program
{
    public static Task<int> Main(string[] args)
    {
        var fresh = new Option<int>("--fresh") { Description = "Scenes of the all-changed reconciliation on a freshly started worker (0 for none)", DefaultValueFactory = _ => 300 };
        var scenes = new Option<string>("--scenes") { Description = "Library sizes reconciled three times on one worker (all changed, all changed again, unchanged), comma separated (\"\" for none)", DefaultValueFactory = _ => "1000" };
        var idle = new Option<string>("--idle") { Description = "How long an idle worker is watched (Go duration; 0s for not at all)", DefaultValueFactory = _ => "1m" };
        var hooks = new Option<int>("--hooks") { Description = "Hooks to run one after another (0 for none)", DefaultValueFactory = _ => 100 };
        var latency = new Option<string>("--latency") { Description = "Latency of every simulated Stash and Plex request (Go duration)", DefaultValueFactory = _ => "3ms" };
        var build = new Option<string?>("--build") { Description = "Our plexsync to measure: a program or a .dll (default: the build beside the benchmark)" };
        var hookBinary = new Option<string?>("--hook-binary") { Description = "Our plexsync for the hooks, e.g. the plugin folder's Native AOT build (default: --build)" };
        var baseline = new Option<string?>("--baseline") { Description = "Another build of this design to measure side by side, A B B A (e.g. .tools/plexsync-go)" };
        var baselineHook = new Option<string?>("--baseline-hook") { Description = "The baseline's program for the hooks (default: --baseline)" };
        var root = new RootCommand(
            """
            Measures PlexSync on real Temporal dev servers (a fresh one for each run), with `worker` as its own
            process and simulated Stash and Plex answering every request after --latency: an all-changed
            reconciliation on a freshly started worker (--fresh scenes); for each --scenes size, an all-changed
            reconciliation, another once every scene changed again, and an unchanged one, on one worker; an idle
            worker (--idle); --hooks hooks one after another. With --baseline, each scenario runs with our build
            and the baseline alternately A B B A, and the table gives each figure for both and the ratio.
            Prints figures; checks only that the results are right. `micro` runs BenchmarkDotNet on the hot pure
            code (diff, sanitising, matching).
            """)
        {
            fresh, scenes, idle, hooks, latency, build, hookBinary, baseline, baselineHook,
        };
        root.SetAction(async (parse, ct) =>
        {
            var plan = new BenchPlan(
                parse.GetValue(fresh), Sizes(parse.GetValue(scenes)!), parse.GetValue(hooks), Duration("--idle", parse.GetValue(idle)!), Duration("--latency", parse.GetValue(latency)!));
            var ours = Build("ours", parse.GetValue(build), parse.GetValue(hookBinary));
            var other = parse.GetValue(baseline) is { } path ? Build("baseline", path, parse.GetValue(baselineHook)) with { Ours = false } : null;
            await Comparison.RunAsync(ours, other, plan, Console.WriteLine);
            return 0;
        });

        var micro = new Command("micro", "BenchmarkDotNet on the hot pure code; arguments after -- go to BenchmarkDotNet (e.g. --filter '*Diff*')");
        micro.TreatUnmatchedTokensAsErrors = false;
        micro.SetAction(parse =>
        {
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. parse.UnmatchedTokens]);
            return 0;
        });
        root.Subcommands.Add(micro);
        return root.Parse(args).InvokeAsync();
    }

    private static BenchBuild Build(string name, string? worker, string? hook)
    {
        var workerBuild = worker is null ? PlexSyncBuild.Beside : PlexSyncBuild.At(worker);
        return new(name, workerBuild, hook is null ? workerBuild : PlexSyncBuild.At(hook));
    }

    private static List<int> Sizes(string text) =>
        [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s => int.TryParse(s, out var n) && n > 0
            ? n
            : throw new ArgumentException($"--scenes: \"{s}\" is not a positive number"))];

    private static TimeSpan Duration(string option, string text) =>
        GoDuration.TryParse(text, out var d) && d >= TimeSpan.Zero ? d : throw new ArgumentException($"{option}: \"{text}\" is not a duration such as 3ms");
}
