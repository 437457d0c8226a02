using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using PlexSync.Simulators;

namespace PlexSync.Demo;

/// <summary>
/// The demo: simulated Stash and Plex with a few troubles, then `plexsync dev` (dev server and worker) and
/// `plexsync sync --wait` for every scene, as a user would run them.
/// </summary>
internal static class DemoRun
{
    private const string TaskQueue = "plexsync-demo";

    public static async Task<int> RunAsync(int scenes, bool exit, string dataDir, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDir);
        var logFile = Path.Combine(dataDir, "plexsync.log");
        File.Delete(logFile);

        await using var library = await SimulatedLibrary.StartAsync(scenes, RandomSecret(), RandomSecret(), cancellationToken);
        var ids = Troubles.Add(library, scenes);
        Console.WriteLine($"Simulated Stash at {library.Stash.BaseAddress} and Plex at {library.Plex.BaseAddress} with {scenes + 2} scenes.");

        // The usual ports when free, so that the Web UI address is the familiar one.
        var free = PortFree(7233) && PortFree(8233);
        var (port, uiPort) = free ? (7233, 8233) : (FreePort(), FreePort());
        var config = Path.Combine(dataDir, "plexsync.yaml");
        await File.WriteAllTextAsync(config, ConfigYaml(library, port, dataDir), cancellationToken);
        var secrets = new Dictionary<string, string>
        {
            ["PLEXSYNC_STASH_API_KEY"] = library.ApiKey!,
            ["PLEXSYNC_PLEX_TOKEN"] = library.PlexToken!,
        };

        await using var log = new LogFile(logFile);
        await using var dev = PlexSyncProgram.Start(
            ["dev", "--config", config, "--data-dir", dataDir, "--ui-port", uiPort.ToString(CultureInfo.InvariantCulture)], secrets, log);
        await dev.WaitForServerAsync(cancellationToken);

        var sync = PlexSyncProgram.Start(["sync", "--config", config, "--wait", "--scene", string.Join(',', ids)], secrets, log, showOutput: true);
        var scan = Troubles.ScanLateFileAsync(library, scenes, cancellationToken);
        await using (sync)
        {
            // Exit status 1 means a sync failed, which the demo expects (the invalid date); the table says so.
            if (await sync.WaitForExitAsync(cancellationToken) is not (0 or 1))
            {
                await Console.Error.WriteLineAsync($"plexsync-demo: `plexsync sync` did not finish; see {logFile}");
                return 1;
            }
        }

        await scan;
        var reads = library.Plex.Count("GET");
        Console.WriteLine($"Plex requests: {reads} reads, {library.Plex.Requests().Count - reads} writes. Worker log: {logFile}");
        Console.WriteLine($"Temporal Web UI: http://127.0.0.1:{uiPort}/namespaces/default/workflows");
        if (!exit)
        {
            Console.WriteLine("The demo keeps running so that you can look around. Press Ctrl-C to stop.");
            await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            Console.WriteLine("Stopping plexsync dev (the worker and the Temporal dev server) and the simulators.");
        }

        await dev.StopAsync();
        return 0;
    }

    // Short retries so that the injected troubles clear within the demo; the reconciliation schedule is off.
    private static string ConfigYaml(SimulatedLibrary library, int port, string dataDir) =>
        $"""
        stash:
          url: {library.Stash.BaseAddress}
        plex:
          url: {library.Plex.BaseAddress}
          sections: [{SimulatedLibrary.SectionTitle}]
        path_mappings:
          - from: {SimulatedLibrary.StashRoot}
            to: {SimulatedLibrary.PlexRoot}
        temporal:
          address: 127.0.0.1:{port}
          task_queue: {TaskQueue}
        retry:
          transient_initial: 250ms
          transient_max: 2s
          transient_for: 5m
          not_in_plex_initial: 2s
          not_in_plex_max: 4s
          not_in_plex_for: 2m
          activity_timeout: 1m
        reconcile:
          schedule: "off"
        spool_path: {Path.Combine(dataDir, "spool.jsonl")}
        """;

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
}
