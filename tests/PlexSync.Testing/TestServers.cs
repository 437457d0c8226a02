using PlexSync.Demo;
using PlexSync.Hosting;
using Temporalio.Converters;
using Temporalio.Testing;

namespace PlexSync.Testing;

/// <summary>
/// Dev-server options for the tests: `plexsync dev`'s own, with the Temporal CLI from TEMPORAL_CLI_PATH or, when
/// that is unset, the one temporal/unpack-cli.sh puts in this checkout. The variable is set for this process, so
/// that every plexsync process a test starts (`plexsync dev`, the demo) finds the same CLI.
/// </summary>
public static class TestServers
{
    /// <inheritdoc cref="DevServer.Options"/>
    public static WorkflowEnvironmentStartLocalOptions Options(
        string? databaseFile = null, int? port = null, int? uiPort = null, DataConverter? dataConverter = null, Uri? uiCodecEndpoint = null)
    {
        UseCheckoutCli();
        return DevServer.Options(databaseFile, port, uiPort, dataConverter, uiCodecEndpoint);
    }

    /// <summary>Sets TEMPORAL_CLI_PATH for this process and its children when it is unset and this checkout has the CLI.</summary>
    public static void UseCheckoutCli()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(TemporalCli.PathVariable)) && TemporalCli.FindInCheckout() is { } cli)
        {
            Environment.SetEnvironmentVariable(TemporalCli.PathVariable, cli);
        }
    }

    /// <summary>The Temporal CLI the tests' dev servers run.</summary>
    public static string Cli() => Options().DevServerOptions.ExistingPath
        ?? throw new InvalidOperationException($"no Temporal CLI: set {TemporalCli.PathVariable} or run temporal/unpack-cli.sh");
}
