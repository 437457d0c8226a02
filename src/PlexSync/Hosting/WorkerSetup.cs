using PlexSync.Clients;
using PlexSync.Clients.Protection;
using PlexSync.Configuration;
using PlexSync.Workflows;

namespace PlexSync.Hosting;

/// <summary>Everything a worker process needs besides its Temporal client; taken from the configuration.</summary>
internal sealed record WorkerSetup
{
    public required StashClientOptions Stash { get; init; }

    public required PlexClientOptions Plex { get; init; }

    public required SyncSettings Sync { get; init; }

    public required string TaskQueue { get; init; }

    /// <summary>Gets the cap on Plex-bound activities across all workers (plex.activities_per_second); the server enforces it.</summary>
    public required double PlexActivitiesPerSecond { get; init; }

    /// <summary>Gets this worker's own limits towards Plex: request rate, circuit breaker.</summary>
    public PlexProtectionOptions PlexProtection { get; init; } = new();

    /// <summary>Gets how long a stopping worker lets running activities finish before it cancels them.</summary>
    public TimeSpan GracefulShutdown { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets where the worker serves /metrics, /healthz and /readyz (metrics.listen); none when null.</summary>
    public ListenAddress? Metrics { get; init; }

    /// <summary>Gets the hook's spool file, whose length the worker reports (spool_path).</summary>
    public string SpoolPath { get; init; } = SpoolDefaults.DefaultPath();
}
