using System.CommandLine;
using BenchmarkDotNet.Running;
using PlexSync.Configuration;
using Temporalio.Testing;

namespace PlexSync.Benchmarks;

/// <summary>`./bench.sh`: the benchmark's command line.</summary>
public static class Program
{
    public static Task<int> Main(string[] args)
    {
        var scenes = new Option<string>("--scenes") { Description = "Library sizes to reconcile, comma separated (\"\" for none)", DefaultValueFactory = _ => "1000,10000" };
        var hooks = new Option<int>("--hooks") { Description = "Hooks to run one after another (0 for none)", DefaultValueFactory = _ => 200 };
        var hookBinary = new Option<string?>("--hook-binary") { Description = "A published plexsync to run as the hook (e.g. a Native AOT build); default: the build beside the benchmark" };
        var latency = new Option<string>("--latency") { Description = "Latency of every simulated Stash and Plex request (Go duration)", DefaultValueFactory = _ => "3ms" };
        var root = new RootCommand(
            """
            Measures PlexSync on a real Temporal dev server, with `plexsync worker` as its own process and
            simulated Stash and Plex answering every request after --latency: reconciliations of an unchanged
            and of a fully changed library of each --scenes size, then --hooks hooks one after another.
            Prints figures; checks only that the results are right. `micro` runs BenchmarkDotNet on the
            hot pure code (diff, sanitising, matching).
            """)
        {
            scenes, hooks, latency, hookBinary,
        };
        root.SetAction((parse, ct) => RunAsync(
            Sizes(parse.GetValue(scenes)!), parse.GetValue(hooks), Duration(parse.GetValue(latency)!), parse.GetValue(hookBinary)));

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

    private static async Task<int> RunAsync(IReadOnlyList<int> sizes, int hooks, TimeSpan latency, string? hookBinary)
    {
        await using var server = await WorkflowEnvironment.StartLocalAsync(TestServers.Options());
        var bench = new Bench(server.Client, latency, Console.WriteLine, hookBinary is null ? null : Path.GetFullPath(hookBinary));
        Console.WriteLine($"Simulated request latency {GoDuration.Format(latency)}; {Environment.ProcessorCount} cores");
        foreach (var size in sizes)
        {
            await bench.ReconcileAsync(size, changed: false);
            await bench.ReconcileAsync(size, changed: true);
        }

        if (hooks > 0)
        {
            await bench.HooksAsync(hooks);
        }

        return 0;
    }

    private static List<int> Sizes(string text) =>
        [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s => int.TryParse(s, out var n) && n > 0
            ? n
            : throw new ArgumentException($"--scenes: \"{s}\" is not a positive number"))];

    private static TimeSpan Duration(string text) =>
        GoDuration.TryParse(text, out var d) && d >= TimeSpan.Zero ? d : throw new ArgumentException($"--latency: \"{text}\" is not a duration such as 3ms");
}
