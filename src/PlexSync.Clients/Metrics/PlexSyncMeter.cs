using System.Diagnostics.Metrics;

namespace PlexSync.Clients.Metrics;

/// <summary>
/// PlexSync's own measurements are on the "PlexSync" meter, which `plexsync worker` serves in Prometheus format
/// (metrics.listen). Each part creates the instruments of what it counts on it, through the host's
/// <see cref="IMeterFactory"/>. Names are Prometheus names already; the exporter adds "_total" to counters and the
/// unit ("_seconds") to the rest. Every tag value is one of a few fixed words: never a scene, a path or a URL.
/// </summary>
public static class PlexSyncMeter
{
    public const string Name = "PlexSync";

    /// <summary>The PlexSync meter of <paramref name="meters"/>, which owns and disposes it.</summary>
    public static Meter Create(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        return meters.Create(Name);
    }
}
