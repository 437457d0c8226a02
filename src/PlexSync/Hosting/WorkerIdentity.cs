using Temporalio.Client;

namespace PlexSync.Hosting;

/// <summary>The identity this worker polls with (the server lists pollers by it), and its task queue.</summary>
internal sealed record WorkerIdentity(string Identity, string TaskQueue)
{
    /// <summary>The client's identity, or the one Temporal's SDK would make up (pid@host) when it has none.</summary>
    public static WorkerIdentity Of(ITemporalClient client, string taskQueue)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new(client.Connection.Options.Identity ?? $"{Environment.ProcessId}@{System.Net.Dns.GetHostName()}", taskQueue);
    }
}
