using System.CommandLine;

namespace PlexSync.Demo;

/// <summary>The demo's command line: `plexsync-demo [--scenes N] [--exit] [--data-dir DIR]`.</summary>
internal static class DemoCommand
{
    internal static readonly Option<int> ScenesOption = new("--scenes")
    {
        Description = "Number of seeded scenes, 1 to 10000 (the demo adds 3 troubled ones)",
        DefaultValueFactory = _ => 36,
        Validators =
        {
            result =>
            {
                if (result.GetValueOrDefault<int>() is < 1 or > 10_000)
                {
                    result.AddError("--scenes: must be between 1 and 10000");
                }
            },
        },
    };

    internal static readonly Option<bool> ExitOption = new("--exit")
    {
        Description = "Exit after the summary instead of waiting for Ctrl-C",
    };

    internal static readonly Option<string> DataDirOption = new("--data-dir")
    {
        Description = "Where the demo keeps its configuration, Temporal database and worker log",
        DefaultValueFactory = _ => Path.Combine(".data", "demo"),
    };

    public static RootCommand Create()
    {
        var root = new RootCommand(
            """
            Run PlexSync on this machine with nothing to configure: simulated Stash and Plex servers
            seeded with scenes, then the plexsync program as a user runs it - `plexsync dev` (a
            Temporal dev server of its own, data in --data-dir, Web UI on :8233 when free, and a
            worker) and `plexsync sync --wait` for every scene. A few real-life troubles are injected:
            Plex answering 503 and 429 for a while, a file Plex has not scanned yet, a scene with an
            invalid date and one deleted from Stash. A summary is printed, and the demo keeps running
            so that you can browse the runs in the Web UI until you press Ctrl-C.
            """);
        root.Options.Add(ScenesOption);
        root.Options.Add(ExitOption);
        root.Options.Add(DataDirOption);
        root.SetAction((parse, cancellationToken) => DemoRun.RunAsync(
            parse.GetValue(ScenesOption), parse.GetValue(ExitOption), Path.GetFullPath(parse.GetValue(DataDirOption)!), cancellationToken));
        return root;
    }
}
