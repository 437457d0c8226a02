using Microsoft.Extensions.Logging;
using PlexSync.Configuration;
using Temporalio.Client;
using Temporalio.Runtime;

namespace PlexSync.Hosting;

/// <summary>Connects to Temporal with PlexSync's data converter, and says what to do when that fails.</summary>
internal static class TemporalConnector
{
    /// <summary>Connects to the configured server, encrypting payloads when encryption keys are configured.</summary>
    public static async Task<ITemporalClient> ConnectAsync(PlexSyncConfig config, ILoggerFactory loggers, CancellationToken cancellationToken, TemporalRuntime? runtime = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var address = config.Temporal.Address;
        var @namespace = config.Temporal.Namespace;
        var options = new TemporalClientConnectOptions(address)
        {
            Namespace = @namespace,
            DataConverter = PayloadEncryption.DataConverter(config.Encryption),
            LoggerFactory = loggers,
            Runtime = runtime ?? TemporalRuntimes.Default,
        };
        try
        {
            return await TemporalClient.ConnectAsync(options).WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new UserFacingException(
                $"cannot reach Temporal at {address} (namespace {@namespace}): {e.Message}. " +
                "Start a server with `plexsync dev`, or set temporal.address (PLEXSYNC_TEMPORAL_ADDRESS) to yours.",
                e);
        }
    }
}
