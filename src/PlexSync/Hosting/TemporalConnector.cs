using Microsoft.Extensions.Logging;
using PlexSync.Workflows;
using Temporalio.Client;

namespace PlexSync.Hosting;

/// <summary>Connects to Temporal with PlexSync's data converter, and says what to do when that fails.</summary>
public static class TemporalConnector
{
    public static async Task<ITemporalClient> ConnectAsync(string address, string @namespace, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var options = new TemporalClientConnectOptions(address)
        {
            Namespace = @namespace,
            DataConverter = PayloadJson.Converter(),
            LoggerFactory = loggers,
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

/// <summary>An error whose message tells the user what is wrong and what to do; printed without a stack trace.</summary>
public sealed class UserFacingException(string message, Exception? inner = null) : Exception(message, inner);
