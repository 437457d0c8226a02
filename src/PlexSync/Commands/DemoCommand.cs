using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using PlexSync.Clients;
using PlexSync.Configuration;
using PlexSync.Domain;
using PlexSync.Hosting;
using PlexSync.Simulators;
using PlexSync.Workflows;
using Serilog;
using Spectre.Console;
using Temporalio.Client;
using Temporalio.Testing;

namespace PlexSync.Commands;

/// <summary>`plexsync demo`: the whole pipeline against simulated Stash and Plex servers.</summary>
internal sealed class DemoCommand : Command
{
    private static readonly Option<int> ScenesOption = new("--scenes")
    {
        Description = "Number of seeded scenes (the demo adds 3 troubled ones)",
        DefaultValueFactory = _ => 36,
    };

    private static readonly Option<bool> ExitOption = new("--exit")
    {
        Description = "Exit after the summary instead of waiting for Ctrl-C",
    };

    private static readonly Option<string> DataDirOption = new("--data-dir")
    {
        Description = "Where the demo keeps its Temporal database and worker log",
        DefaultValueFactory = _ => Path.Combine(".data", "demo"),
    };

    public DemoCommand()
        : base("demo", "Sync a simulated Stash library to a simulated Plex through Temporal")
    {
        Description =
            """
            Run the whole pipeline on this machine with nothing to configure: a Temporal dev server of
            its own (data in --data-dir, Web UI on :8233 when free), a worker, and simulated Stash and
            Plex servers seeded with scenes. A few real-life troubles are injected: Plex answering 503
            and 429 for a while, a file Plex has not scanned yet, a scene with an invalid date and one
            deleted from Stash. Every scene is synced with a progress bar, a summary is printed, and the
            demo keeps running so that you can browse the runs in the Web UI until you press Ctrl-C.
            """;
        Options.Add(ScenesOption);
        Options.Add(ExitOption);
        Options.Add(DataDirOption);
        SetAction(RunAsync);
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var context = CommandContext.Load(parse, needPlex: false);
        var scenes = parse.GetValue(ScenesOption);
        if (scenes is < 1 or > 10_000)
        {
            throw new UserFacingException($"--scenes: {scenes} is not between 1 and 10000");
        }

        var dataDir = Path.GetFullPath(parse.GetValue(DataDirOption)!);
        Directory.CreateDirectory(dataDir);
        var logFile = Path.Combine(dataDir, "plexsync.log");
        File.Delete(logFile);

        // Logs go to a file so that the terminal shows the progress.
        Log.Logger = context.ConfigureLogging(new LoggerConfiguration(), logFile).CreateLogger();

        await using var library = await SimulatedLibrary.StartAsync(scenes, RandomSecret(), RandomSecret(), cancellationToken);
        var ids = Troubles.Add(library, scenes, cancellationToken);
        AnsiConsole.WriteLine($"Simulated Stash at {library.Stash.BaseAddress} and Plex at {library.Plex.BaseAddress} with {scenes + 2} scenes.");

        var (server, uiPort) = await StartServerAsync(dataDir, PayloadEncryption.DataConverter(context.Config.Encryption));
        await using var serverScope = server;
        using var host = WorkerHost.Build(server.Client, Setup(library), logger => context.ConfigureLogging(logger, logFile));
        await host.StartAsync(cancellationToken);
        try
        {
            var rows = await SyncAllAsync(server.Client, library, ids, cancellationToken);
            PrintSummary(rows, library, logFile, uiPort);
            if (!parse.GetValue(ExitOption))
            {
                AnsiConsole.WriteLine("The demo keeps running so that you can look around. Press Ctrl-C to stop.");
                await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
                AnsiConsole.WriteLine("Stopping the worker, the Temporal dev server and the simulators.");
            }

            return ExitCodes.Success;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<(WorkflowEnvironment Server, int UiPort)> StartServerAsync(string dataDir, Temporalio.Converters.DataConverter dataConverter)
    {
        // The usual ports when free, so that the Web UI address is the familiar one.
        var free = PortFree(7233) && PortFree(8233);
        var uiPort = free ? 8233 : FreePort();
        // The demo encrypts payloads when the configuration has keys, as a worker would.
        var options = DevServer.Options(Path.Combine(dataDir, "temporal.db"), free ? 7233 : FreePort(), uiPort, dataConverter);
        options.LoggerFactory = CommandContext.LoggerFactory();
        return (await DevServerHost.StartAsync(options), uiPort);
    }

    private static WorkerSetup Setup(SimulatedLibrary library) => new()
    {
        Stash = new StashClientOptions { Url = library.Stash.BaseAddress, ApiKey = library.ApiKey ?? "" },
        Plex = new PlexClientOptions { Url = library.Plex.BaseAddress, Token = library.PlexToken ?? "" },
        TaskQueue = "plexsync-demo",
        Sync = new SyncSettings
        {
            Sections = [SimulatedLibrary.SectionTitle],
            Mappings = new PathMappings([new PathMapping(SimulatedLibrary.StashRoot, SimulatedLibrary.PlexRoot)]),
            Tuning = new RetryTuning
            {
                TransientInitial = TimeSpan.FromMilliseconds(250),
                TransientMax = TimeSpan.FromSeconds(2),
                TransientFor = TimeSpan.FromMinutes(5),
                NotInPlexInitial = TimeSpan.FromSeconds(2),
                NotInPlexMax = TimeSpan.FromSeconds(4),
                NotInPlexFor = TimeSpan.FromMinutes(2),
                ActivityTimeout = TimeSpan.FromMinutes(1),
            },
        },
    };

    private static async Task<List<OutcomeRow>> SyncAllAsync(
        ITemporalClient client, SimulatedLibrary library, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var handles = new List<WorkflowHandle<SceneSyncWorkflow, SceneSyncResult>>();
        foreach (var id in ids)
        {
            handles.Add(await SyncStarter.StartAsync(client, "plexsync-demo", id, SyncReasons.Demo, cancellationToken));
        }

        var rows = new List<OutcomeRow>();
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("Syncing scenes", maxValue: handles.Count);
                await Task.WhenAll(handles.Select(async handle =>
                {
                    var row = await OutcomeRows.WaitAsync(handle, cancellationToken);
                    var title = library.Stash.TryGetScene(int.Parse(row.SceneId, System.Globalization.CultureInfo.InvariantCulture), out var scene) ? scene.Title ?? "" : "";
                    lock (rows)
                    {
                        rows.Add(row with { Title = title.Length > 0 ? title : "-" });
                    }

                    task.Increment(1);
                }));
            });
        return rows;
    }

    private static void PrintSummary(List<OutcomeRow> rows, SimulatedLibrary library, string logFile, int uiPort)
    {
        OutcomeTable.Write(rows);
        var reads = library.Plex.Count("GET");
        var writes = library.Plex.Requests().Count - reads;
        AnsiConsole.WriteLine(OutcomeTable.Counts(rows));
        AnsiConsole.WriteLine($"Plex requests: {reads} reads, {writes} writes. Worker log: {logFile}");
        AnsiConsole.WriteLine($"Temporal Web UI: http://127.0.0.1:{uiPort}/namespaces/default/workflows");
    }

    private static string RandomSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static bool PortFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // What users meet in real life. Scene IDs after the seeded ones: an invalid date, a file Plex has
    // not scanned yet, and a scene deleted from Stash (never added here).
    private static class Troubles
    {
        public static List<string> Add(SimulatedLibrary library, int scenes, CancellationToken cancellationToken)
        {
            var invalid = SimulatedLibrary.SeedScene(scenes + 1);
            invalid.Date = "2023-02-30";
            library.AddScene(invalid, inPlex: true);
            var late = SimulatedLibrary.SeedScene(scenes + 2);
            library.AddScene(late, inPlex: false);
            _ = ScanLaterAsync(library, late.Id, cancellationToken);
            library.Plex.AddFault(new Fault { PathPrefix = "/library/metadata/", Status = 503, Times = 4 });
            library.Plex.AddFault(new Fault { PathPrefix = "/library/metadata/", Status = 429, RetryAfter = "2", Times = 1 });
            return [.. Enumerable.Range(1, scenes + 3).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        }

        // Plex's scan catches up a few seconds later, as it does after Stash sees a new file.
        private static async Task ScanLaterAsync(SimulatedLibrary library, int sceneId, CancellationToken cancellationToken)
        {
            await Task.Delay(TimeSpan.FromSeconds(4), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            library.ScanIntoPlex(sceneId);
        }
    }
}
