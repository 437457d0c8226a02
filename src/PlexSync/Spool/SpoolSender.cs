using PlexSync.Workflows;
using Temporalio.Client;

namespace PlexSync.Spool;

/// <summary>Sends spooled sync requests to Temporal: from the hook, and from the worker at start-up.</summary>
public static class SpoolSender
{
    /// <summary>Requests one spooled sync.</summary>
    public static Task SendAsync(ITemporalClient client, string taskQueue, SpoolEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return SyncStarter.StartAsync(client, taskQueue, entry.SceneId, entry.Reason, cancellationToken);
    }

    /// <summary>Sends what the spool holds and reports it through <paramref name="log"/> (level letter, message).</summary>
    public static async Task FlushAsync(SyncSpool spool, ITemporalClient client, string taskQueue, Action<char, string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spool);
        ArgumentNullException.ThrowIfNull(log);
        var (sent, error) = await spool.FlushAsync(e => SendAsync(client, taskQueue, e with { Reason = e.Reason + ", spooled" }, cancellationToken), cancellationToken);
        if (sent > 0)
        {
            log('i', $"sent {sent} spooled sync request(s) from {spool.Path}");
        }

        if (error is not null)
        {
            log('w', $"could not send every spooled sync request from {spool.Path}: {error.Message}");
        }
    }
}
