using PlexSync.Workflows;
using Temporalio.Client;

namespace PlexSync.Spool;

/// <summary>Sends spooled sync requests to Temporal: from the hook, and from the worker at start-up.</summary>
internal static class SpoolSender
{
    /// <summary>Requests one spooled sync.</summary>
    public static Task SendAsync(ITemporalClient client, string taskQueue, SpoolEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return SyncStarter.StartAsync(client, taskQueue, entry.SceneId, entry.Reason, cancellationToken);
    }

    /// <summary>Sends what the spool holds and returns what happened, for the caller to log where it logs.</summary>
    public static async Task<SpoolFlush> FlushAsync(SyncSpool spool, ITemporalClient client, string taskQueue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spool);
        var (sent, error) = await spool.FlushAsync(e => SendAsync(client, taskQueue, e with { Reason = e.Reason + ", spooled" }, cancellationToken), cancellationToken);
        return new SpoolFlush(spool.Path, sent, error);
    }
}

/// <summary>What sending a spool did: how many requests went, and the error that kept the others in it.</summary>
internal sealed record SpoolFlush(string Path, int Sent, Exception? Error)
{
    /// <summary>Tells it in words: what was sent to <paramref name="info"/>, what was not to <paramref name="warning"/>; nothing when the spool was empty.</summary>
    public void Report(Action<string> info, Action<string> warning)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(warning);
        if (Sent > 0)
        {
            info($"sent {Sent} spooled sync request(s) from {Path}");
        }

        if (Error is not null)
        {
            warning($"could not send every spooled sync request from {Path}: {Error.Message}");
        }
    }
}
