using System.Collections.Concurrent;
using System.Globalization;
using PlexSync.Simulators;
using Temporalio.Client;
using Temporalio.Testing;

namespace PlexSync.Tests.EndToEnd;

/// <summary>
/// A real Temporal dev server, the simulated Stash and Plex, a config file pointing at them, and a
/// `plexsync worker` as its own process: what a user runs, shared by the end-to-end tests.
/// Its teardown records every history, log and CLI output of the collection for the credential
/// check (<see cref="NoCredentialTests"/>), which runs after every collection.
/// </summary>
public sealed class EndToEndFixture : IAsyncLifetime
{
    public const string ApiKey = "e2e-stash-key-5f1c";
    public const string PlexToken = "e2e-plex-token-9a7d";
    public const int Scenes = 10;

    private readonly string directory = Directory.CreateTempSubdirectory("plexsync-e2e-").FullName;
    private readonly ConcurrentQueue<(string Name, PlexSyncProcess Process)> processes = new();
    private WorkflowEnvironment? server;
    private SimulatedLibrary? library;
    private PlexSyncProcess? worker;

    public ITemporalClient Client => server?.Client ?? throw new InvalidOperationException("not started");

    public SimulatedLibrary Library => library ?? throw new InvalidOperationException("not started");

    public string ConfigPath => Path.Combine(directory, "plexsync.yaml");

    public string TaskQueue { get; } = "e2e-" + Guid.NewGuid().ToString("N")[..8];

    public string WorkerLog => (worker?.Output ?? "") + (worker?.Errors ?? "");

    public async Task InitializeAsync()
    {
        server = await WorkflowEnvironment.StartLocalAsync(TestServers.Options());
        library = await SimulatedLibrary.StartAsync(Scenes, ApiKey, PlexToken);
        await File.WriteAllTextAsync(ConfigPath, ConfigYaml());

        // At debug level, so that the credential check reads everything a worker can log.
        worker = Start(["worker", "--debug"]);
    }

    /// <summary>Stops the worker, records the histories and outputs for the credential check, and stops the servers.</summary>
    public async Task DisposeAsync()
    {
        try
        {
            if (worker is not null)
            {
                await worker.SignalAsync("TERM");
                await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));
                await worker.DisposeAsync();
            }

            if (server is not null)
            {
                await CredentialScan.RecordHistoriesAsync("the end-to-end server", Client);
            }

            foreach (var (name, process) in processes)
            {
                CredentialScan.RecordOutput($"the output of `plexsync {name}`", process.Output + process.Errors);
            }
        }
        finally
        {
            if (library is not null)
            {
                await library.DisposeAsync();
            }

            if (server is not null)
            {
                await server.ShutdownAsync();
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Starts a plexsync command against this fixture's config (unless args name another); its output goes to the credential check.</summary>
    public PlexSyncProcess Start(
        IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null, string? stdin = null, string? executable = null)
    {
        var process = PlexSyncProcess.Start(args.Contains("--config") ? args : [.. args, "--config", ConfigPath], environment, stdin, executable);
        processes.Enqueue((string.Join(' ', args), process));
        return process;
    }

    /// <summary>Writes this fixture's configuration into <paramref name="directory"/> with another Temporal address (a `plexsync dev` server's).</summary>
    public async Task<string> ConfigWithTemporalAtAsync(string directory, string address)
    {
        var config = Path.Combine(directory, "plexsync.yaml");
        var yaml = await File.ReadAllTextAsync(ConfigPath);
        await File.WriteAllTextAsync(config, yaml.Replace(Client.Connection.Options.TargetHost!, address, StringComparison.Ordinal));
        return config;
    }

    /// <summary>Runs a plexsync command against this fixture's servers.</summary>
    public Task<(int ExitCode, string Output)> RunAsync(params string[] args) => RunAsync(null, args);

    /// <summary>Runs a plexsync command against this fixture's servers, with extra environment variables.</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        await using var run = Start(args, environment);
        var code = await run.WaitForExitAsync(TimeSpan.FromMinutes(2));
        return (code, run.Output + run.Errors);
    }

    private string ConfigYaml() => string.Create(CultureInfo.InvariantCulture, $"""
        stash:
          url: {Library.Stash.BaseAddress}
          api_key: {ApiKey}
        plex:
          url: {Library.Plex.BaseAddress}
          token: {PlexToken}
          sections: [{SimulatedLibrary.SectionTitle}]
        path_mappings:
          - from: {SimulatedLibrary.StashRoot}
            to: {SimulatedLibrary.PlexRoot}
        collection_sources: [studio, groups]
        temporal:
          address: {Client.Connection.Options.TargetHost}
          namespace: default
          task_queue: {TaskQueue}
        retry:
          transient_initial: 100ms
          transient_max: 500ms
          transient_for: 1m
          not_in_plex_initial: 200ms
          not_in_plex_max: 500ms
          not_in_plex_for: 1m
          activity_timeout: 10s
        spool_path: {Path.Combine(directory, "spool.jsonl")}
        """);
}

[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<EndToEndFixture>
{
    public const string Name = "End to end";
}
