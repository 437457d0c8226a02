using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using PlexSync.Clients;
using PlexSync.Configuration;
using PlexSync.Simulators;
using PlexSync.Workflows;
using Temporalio.Client;

namespace PlexSync.Testing;

/// <summary>
/// What a user runs, on 127.0.0.1: simulated Stash and Plex seeded with scenes, a config file for them,
/// and `plexsync worker` processes on a task queue of the world's own, against a Temporal server the
/// caller started. Scene IDs start at a base of the world's own, so that the real sync IDs
/// (scene-sync/ID) of two worlds on one server never meet.
/// </summary>
public sealed class WorkerWorld : IAsyncDisposable
{
    public const string ApiKey = "world-stash-key-3c8e";
    public const string PlexToken = "world-plex-token-e41b";

    private static int nextBase;

    private readonly string directory = Directory.CreateTempSubdirectory("plexsync-world-").FullName;
    private readonly List<PlexSyncProcess> workers = [];
    private readonly SimulatedLibrary library;
    private readonly PlexSectionCache sections = new(TimeProvider.System);

    private WorkerWorld(ITemporalClient client, SimulatedLibrary library)
    {
        Client = client;
        this.library = library;
    }

    /// <summary>Gets or sets the client of the server the worker uses (a test that restarts the server sets the new one).</summary>
    public ITemporalClient Client { get; set; }

    public SimulatedLibrary Library => library;

    public StashSimulator Stash => library.Stash;

    public PlexSimulator Plex => library.Plex;

    public string TaskQueue { get; } = "world-" + Guid.NewGuid().ToString("N")[..8];

    public int Base { get; } = 1_000_000 * Interlocked.Increment(ref nextBase);

    public string ConfigPath => Path.Combine(directory, "plexsync.yaml");

    internal PlexSyncConfig Config { get; private set; } = new();

    /// <summary>The secrets of every world, with what they are, for credential scans.</summary>
    public static IReadOnlyDictionary<string, string> Secrets { get; } = new Dictionary<string, string>
    {
        [ApiKey] = "the Stash API key",
        [PlexToken] = "the Plex token",
    };

    /// <summary>Every worker's output and log so far.</summary>
    public IEnumerable<(string Name, string Text)> WorkerLogs =>
        workers.Select((w, i) => ($"the log of worker {i + 1}", w.Output + w.Errors));

    /// <summary>Starts the simulators with <paramref name="scenes"/> seeded scenes, each with its Plex item (not yet in step), and writes the config.</summary>
    /// <param name="client">The server's client; the config points at its address.</param>
    /// <param name="scenes">How many scenes.</param>
    /// <param name="settings">Config values by dotted key ("plex.timeout" = "2s"), over the defaults of a test world.</param>
    /// <param name="without">Keys of those defaults to leave out of the file (for a build that does not know them).</param>
    public static async Task<WorkerWorld> StartAsync(
        ITemporalClient client, int scenes, IReadOnlyDictionary<string, string>? settings = null, IReadOnlyCollection<string>? without = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var world = new WorkerWorld(client, await SimulatedLibrary.StartAsync(0, ApiKey, PlexToken));
        for (var n = 1; n <= scenes; n++)
        {
            world.library.AddScene(SimulatedLibrary.SeedScene(n) with { Id = world.Id(n) }, inPlex: true);
        }

        await File.WriteAllTextAsync(world.ConfigPath, world.ConfigYaml(settings ?? new Dictionary<string, string>(), without ?? []));
        world.Config = ConfigLoader.Load(world.ConfigPath, _ => null, needPlex: true);
        return world;
    }

    /// <summary>The Stash ID of the world's n-th scene.</summary>
    public int Id(int n) => Base + n;

    /// <summary>The Plex ratingKey of the world's n-th scene.</summary>
    public string RatingKey(int n) => library.RatingKey(Id(n)).ToString(CultureInfo.InvariantCulture);

    /// <summary>Starts `plexsync worker` on the world's config and waits until it polls.</summary>
    /// <param name="environment">PLEXSYNC_* overrides of the config for this worker (another task queue, a wrong token).</param>
    /// <param name="build">The build to run; the one beside the tests when null.</param>
    public async Task<PlexSyncProcess> StartWorkerAsync(IReadOnlyDictionary<string, string>? environment = null, PlexSyncBuild? build = null)
    {
        var worker = (build ?? PlexSyncBuild.Beside).Start(["worker", "--config", ConfigPath], environment);
        workers.Add(worker);
        await worker.WaitForLogAsync(PlexSyncBuild.ReadyLogs, TimeSpan.FromMinutes(1));
        return worker;
    }

    /// <summary>Brings the Plex items of scenes 1..<paramref name="count"/> in step with the sync's own activity code, several at a time.</summary>
    public async Task BringInStepAsync(int count)
    {
        var stash = StashClient.Create(Config.ToStashClientOptions());
        var plex = PlexClient.Create(Config.ToPlexClientOptions());
        var settings = Config.ToSyncSettings();
        var sync = new SyncActivities(stash, plex, new ScenePlanner(stash, plex, settings, sections, new PosterMemory()), NullLogger<SyncActivities>.Instance);
        var ids = Enumerable.Range(1, count).Select(n => Id(n).ToString(CultureInfo.InvariantCulture)).Chunk(Math.Max(1, count / 8));
        await Task.WhenAll(ids.Select(chunk => InStep.BringAsync(sync, stash, settings.Scene, chunk)));
    }

    /// <summary>Checks that these scenes' items hold what Stash's data calls for.</summary>
    public async Task AssertInStepAsync(IEnumerable<int> scenes)
    {
        ArgumentNullException.ThrowIfNull(scenes);
        var stash = StashClient.Create(Config.ToStashClientOptions());
        var options = Config.ToSceneOptions();
        foreach (var n in scenes)
        {
            await InStep.AssertAsync(library, stash, options, Id(n));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in workers)
        {
            await worker.DisposeAsync();
        }

        sections.Dispose();
        await library.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    // The defaults of a test world, then the caller's values; written as the nested YAML a user writes.
    private string ConfigYaml(IReadOnlyDictionary<string, string> overrides, IReadOnlyCollection<string> without)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["stash.url"] = Stash.BaseAddress.ToString(),
            ["stash.api_key"] = ApiKey,
            ["plex.url"] = Plex.BaseAddress.ToString(),
            ["plex.token"] = PlexToken,
            ["plex.sections"] = $"[{SimulatedLibrary.SectionTitle}]",
            ["path_mappings"] = $"[{{from: {SimulatedLibrary.StashRoot}, to: {SimulatedLibrary.PlexRoot}}}]",
            ["collection_sources"] = "[studio, groups]",
            ["temporal.address"] = Client.Connection.Options.TargetHost ?? "",
            ["temporal.task_queue"] = TaskQueue,
            ["reconcile.schedule"] = "\"off\"",
            ["plays.every"] = "\"off\"",
            ["spool_path"] = Path.Combine(directory, "spool.jsonl"),
        };
        foreach (var key in without)
        {
            values.Remove(key);
        }

        foreach (var (key, value) in overrides)
        {
            values[key] = value;
        }

        var yaml = new StringBuilder();
        foreach (var section in values.GroupBy(v => v.Key.Split('.')[0]))
        {
            if (section.Count() == 1 && !section.Single().Key.Contains('.', StringComparison.Ordinal))
            {
                yaml.AppendLine(CultureInfo.InvariantCulture, $"{section.Key}: {section.Single().Value}");
                continue;
            }

            yaml.AppendLine(CultureInfo.InvariantCulture, $"{section.Key}:");
            foreach (var (key, value) in section)
            {
                yaml.AppendLine(CultureInfo.InvariantCulture, $"  {key[(section.Key.Length + 1)..]}: {value}");
            }
        }

        return yaml.ToString();
    }
}
