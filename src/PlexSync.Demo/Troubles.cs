using System.Globalization;
using PlexSync.Simulators;

namespace PlexSync.Demo;

/// <summary>
/// What users meet in real life. Scene IDs after the seeded ones: an invalid date, a file Plex has not scanned
/// yet, and a scene deleted from Stash (never added here); Plex answers 503 and 429 for a while.
/// </summary>
internal static class Troubles
{
    /// <summary>Adds the troubles and returns every scene ID to sync.</summary>
    public static List<string> Add(SimulatedLibrary library, int scenes)
    {
        var invalid = SimulatedLibrary.SeedScene(scenes + 1);
        invalid.Date = "2023-02-30";
        library.AddScene(invalid, inPlex: true);
        library.AddScene(SimulatedLibrary.SeedScene(scenes + 2), inPlex: false);
        library.Plex.AddFault(new Fault { PathPrefix = "/library/metadata/", Status = 503, Times = 4 });
        library.Plex.AddFault(new Fault { PathPrefix = "/library/metadata/", Status = 429, RetryAfter = "2", Times = 1 });
        return [.. Enumerable.Range(1, scenes + 3).Select(i => i.ToString(CultureInfo.InvariantCulture))];
    }

    /// <summary>Plex's scan catches up a few seconds after the syncs start, as it does after Stash sees a new file.</summary>
    public static async Task ScanLateFileAsync(SimulatedLibrary library, int scenes, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(4), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        library.ScanIntoPlex(scenes + 2);
    }
}
