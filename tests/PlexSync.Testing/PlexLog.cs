using PlexSync.Simulators;

namespace PlexSync.Testing;

/// <summary>What the simulated Plex's request log says was written.</summary>
public static class PlexLog
{
    /// <summary>The requests that changed something (anything but GET), including those whose answer was lost.</summary>
    public static int Writes(this PlexSimulator plex)
    {
        ArgumentNullException.ThrowIfNull(plex);
        return plex.Requests().Count(r => !string.Equals(r.Method, "GET", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The ratingKeys that received any write: an edit names the item in its id parameter, a poster in its path.</summary>
    public static IReadOnlySet<string> WrittenRatingKeys(this PlexSimulator plex)
    {
        ArgumentNullException.ThrowIfNull(plex);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in plex.Requests().Where(r => r.Method != "GET"))
        {
            if (r.Query.TryGetValue("id", out var id))
            {
                keys.Add(id.Single());
            }
            else if (r.Query.TryGetValue("key", out var key))
            {
                keys.Add(key.Single());
            }
            else if (r.Path.StartsWith("/library/metadata/", StringComparison.Ordinal))
            {
                keys.Add(r.Path.Split('/')[3]);
            }
        }

        return keys;
    }
}
