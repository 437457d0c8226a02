using Google.Protobuf.WellKnownTypes;
using PlexSync.Workflows;
using Temporalio.Api.Namespace.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Converters;
using Temporalio.Testing;

namespace PlexSync.Hosting;

/// <summary>
/// The Temporal CLI's dev server (`temporal server start-dev`) as `plexsync dev` runs it, with the settings
/// measured to suit one machine.
/// </summary>
internal static class DevServer
{
    /// <summary>The environment variable that names the Temporal CLI binary.</summary>
    public const string CliPathVariable = "TEMPORAL_CLI_PATH";

    // Write-ahead log: about twice the throughput, and a killed server loses nothing. They need a database file.
    private static readonly string[] SqlitePragmas =
    [
        "--sqlite-pragma", "journal_mode=wal",
        "--sqlite-pragma", "synchronous=normal",
    ];

    // One task-queue partition suits one machine's few pollers; our search attributes are registered at start,
    // so they can be served from the cache.
    private static readonly string[] Tuning =
    [
        "--dynamic-config-value", "matching.numTaskqueueReadPartitions=1",
        "--dynamic-config-value", "matching.numTaskqueueWritePartitions=1",
        "--dynamic-config-value", "system.forceSearchAttributesCacheRefreshOnRead=false",

        // Server 1.29 ignores priority keys without the priority-enabled matcher (1.31 defaults to it):
        // a hook's sync would wait behind a reconciliation's backlog (measured: 14 s against 1 s).
        "--dynamic-config-value", "matching.useNewMatcher=true",
    ];

    /// <summary>
    /// Finds the Temporal CLI: <c>TEMPORAL_CLI_PATH</c>, else <c>temporal</c> on PATH, else null, which lets the
    /// Temporal SDK download it (that needs internet).
    /// </summary>
    public static string? FindCli()
    {
        var configured = Environment.GetEnvironmentVariable(CliPathVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured)
                ? Path.GetFullPath(configured)
                : throw new UserFacingException($"{CliPathVariable} names {configured}, which does not exist; unset it or point it at the Temporal CLI binary");
        }

        var name = OperatingSystem.IsWindows() ? "temporal.exe" : "temporal";
        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>The start options of a dev server with our search attributes and tuning.</summary>
    /// <param name="databaseFile">The SQLite file whose data survives restarts; null keeps everything in memory.</param>
    /// <param name="port">The frontend port on 127.0.0.1; null picks a free one.</param>
    /// <param name="uiPort">The Web UI port; null for no UI.</param>
    /// <param name="dataConverter">The client's data converter (an encrypting one when keys are configured); null for <see cref="PayloadJson.Converter"/>.</param>
    /// <param name="uiCodecEndpoint">The codec server the Web UI decodes payloads with; null for none.</param>
    public static WorkflowEnvironmentStartLocalOptions Options(
        string? databaseFile = null, int? port = null, int? uiPort = null, DataConverter? dataConverter = null, Uri? uiCodecEndpoint = null)
    {
        List<string> extra = [.. databaseFile is null ? [] : SqlitePragmas, .. Tuning];
        if (uiCodecEndpoint is not null)
        {
            extra.AddRange(["--ui-codec-endpoint", uiCodecEndpoint.ToString().TrimEnd('/')]);
        }

        return new WorkflowEnvironmentStartLocalOptions
        {
            TargetHost = port is { } p ? $"127.0.0.1:{p}" : null,
            UI = uiPort is not null,
            UIPort = uiPort ?? 0,
            SearchAttributes = SearchAttributes.All,
            DataConverter = dataConverter ?? PayloadJson.Converter(),
            Runtime = TemporalRuntimes.Default,
            DevServerOptions = new DevServerOptions
            {
                ExistingPath = FindCli(),
                DatabaseFilename = databaseFile,
                LogLevel = "warn",
                ExtraArgs = extra,
            },
        };
    }

    /// <summary>Starts the server and keeps closed workflows for 30 days, so that failed syncs stay visible.</summary>
    public static async Task<WorkflowEnvironment> StartAsync(WorkflowEnvironmentStartLocalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        WorkflowEnvironment server;
        try
        {
            server = await WorkflowEnvironment.StartLocalAsync(options);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            throw new UserFacingException(
                $"cannot start the Temporal dev server: {e.Message}. Set {CliPathVariable} to a Temporal CLI binary or put `temporal` on PATH; " +
                "with internet, the Temporal SDK downloads it.",
                e);
        }

        await SetRetentionAsync(server.Client, TimeSpan.FromDays(30));
        return server;
    }

    /// <summary>
    /// Keeps closed workflows for <paramref name="retention"/>: the dev server's default of a day would
    /// make failed syncs vanish before an operator looks.
    /// </summary>
    public static Task SetRetentionAsync(ITemporalClient client, TimeSpan retention)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.WorkflowService.UpdateNamespaceAsync(new UpdateNamespaceRequest
        {
            Namespace = client.Options.Namespace,
            Config = new NamespaceConfig { WorkflowExecutionRetentionTtl = Duration.FromTimeSpan(retention) },
        });
    }
}
