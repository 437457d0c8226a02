using System.Diagnostics.Metrics;
using PlexSync.Clients.Metrics;

namespace PlexSync.Workflows;

/// <summary>What the reconciliation counts: the scenes it compared with Plex, by whether they differ.</summary>
public sealed class ReconcileMetrics
{
    private readonly Counter<long> scenes;

    public ReconcileMetrics(IMeterFactory meters) =>
        scenes = PlexSyncMeter.Create(meters).CreateCounter<long>(
            "plexsync_reconcile_scenes", description: "Scenes a reconciliation compared with Plex in this worker, by result (same or differ)");

    /// <summary>Records one reconciliation page: how many scenes were the same in Plex and how many differ.</summary>
    public void RecordPage(int same, int differ)
    {
        scenes.Add(same, new KeyValuePair<string, object?>("result", "same"));
        scenes.Add(differ, new KeyValuePair<string, object?>("result", "differ"));
    }
}
