using System.CommandLine;
using Microsoft.Extensions.Logging;
using PlexSync.Configuration;
using PlexSync.Hosting;
using PlexSync.Spool;
using Serilog;
using Serilog.Extensions.Logging;
using Temporalio.Client;

namespace PlexSync.Commands;

/// <summary>What every command shares: the configuration, with the global flags applied, and logging.</summary>
internal sealed class CommandContext
{
    private CommandContext(PlexSyncConfig config, string logFormat, string logLevel)
    {
        Config = config;
        LogFormat = logFormat;
        LogLevel = logLevel;
    }

    public PlexSyncConfig Config { get; }

    public string LogFormat { get; }

    public string LogLevel { get; }

    /// <summary>Reads the configuration (needPlex is false for commands that never talk to Plex) and sets up logging on stderr.</summary>
    public static CommandContext Load(ParseResult parse, bool needPlex)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var path = ConfigLoader.ResolvePath(parse.GetValue(Cli.ConfigOption), Environment.GetEnvironmentVariable);
        var config = ConfigLoader.Load(path, Environment.GetEnvironmentVariable, needPlex);
        var format = parse.GetValue(Cli.LogFormatOption) ?? config.Log.Format;
        var level = parse.GetValue(Cli.DebugOption) ? "debug" : config.Log.Level;
        var context = new CommandContext(config, format, level);
        Log.Logger = context.ConfigureLogging(new LoggerConfiguration()).CreateLogger();
        return context;
    }

    /// <summary>Applies this command's log format and level, to stderr or to a file.</summary>
    public LoggerConfiguration ConfigureLogging(LoggerConfiguration logger, string? file = null) =>
        Logging.Configure(logger, LogFormat, LogLevel, file);

    /// <summary>Connects to the configured Temporal server.</summary>
    /// <param name="cancellationToken">Stops waiting for the server.</param>
    /// <param name="runtime">The Temporal runtime, e.g. one that sends the SDK's metrics somewhere; the process's own (<see cref="TemporalRuntimes.Default"/>) when null.</param>
    public Task<ITemporalClient> ConnectAsync(CancellationToken cancellationToken, Temporalio.Runtime.TemporalRuntime? runtime = null) =>
        TemporalConnector.ConnectAsync(Config, new SerilogLoggerFactory(Log.Logger), cancellationToken, runtime);

    /// <summary>The worker's settings from the configuration.</summary>
    public WorkerSetup WorkerSetup() => new()
    {
        Stash = Config.ToStashClientOptions(),
        Plex = Config.ToPlexClientOptions(),
        Sync = Config.ToSyncSettings(),
        TaskQueue = Config.Temporal.TaskQueue,
        PlexActivitiesPerSecond = Config.Plex.ActivitiesPerSecond,
        PlexProtection = Config.ToPlexProtectionOptions(),
        Metrics = Config.Metrics.Listen.Length > 0 && ListenAddress.TryParse(Config.Metrics.Listen, out var listen) is null ? listen : null,
        SpoolPath = Config.SpoolPath,
    };

    /// <summary>Sends the sync requests the hook spooled while Temporal was unreachable.</summary>
    public async Task FlushSpoolAsync(ITemporalClient client, CancellationToken cancellationToken) =>
        (await SpoolSender.FlushAsync(new SyncSpool(Config.SpoolPath), client, Config.Temporal.TaskQueue, cancellationToken))
            .Report(m => Log.Information("{Message}", m), m => Log.Warning("{Message}", m));

    /// <summary>The logger factory for code that takes Microsoft.Extensions.Logging.</summary>
    public static ILoggerFactory LoggerFactory() => new SerilogLoggerFactory(Log.Logger);
}
