using System.Globalization;

namespace PlexSync.Domain;

/// <summary>
/// Decides from what Plex and Stash already report whether an item's poster may be older than the
/// scene's cover, so that an item in step costs no image download: Stash stamps its screenshot URL
/// with the scene's updated_at (t=), Plex stamps an item's thumb URL with the time it last changed.
/// </summary>
public static class PosterCheck
{
    private const string UploadScheme = "upload://";

    /// <summary>
    /// Whether the cover must be downloaded and compared: the scene's poster is managed, and Plex's
    /// poster is not both locked (PlexSync locks what it sets) and stamped at or after the scene's last
    /// save in Stash. An edit of any kind in Stash moves t=, so a poster set before it may be stale.
    /// </summary>
    public static bool MaybeStale(DesiredState desired, PlexState current)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(current);
        return desired.Poster.Length > 0 &&
            !(current.IsLocked(PlexFields.Poster) && current.PosterStamp is { } shown && ScreenshotStamp(desired.Poster) is { } saved && shown >= saved);
    }

    /// <summary>The t= of a Stash screenshot path (/scene/45/screenshot?t=1715112705), or null when it has none.</summary>
    public static long? ScreenshotStamp(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var query = path.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return null;
        }

        foreach (var pair in path[(query + 1)..].Split('&'))
        {
            if (pair.StartsWith("t=", StringComparison.Ordinal) &&
                long.TryParse(pair.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var stamp))
            {
                return stamp;
            }
        }

        return null;
    }

    /// <summary>The number a Plex thumb URL ends with (/library/metadata/1/thumb/1715112705), or null.</summary>
    public static long? ThumbStamp(string? thumb)
    {
        var path = (thumb ?? "").Split('?', 2)[0].TrimEnd('/');
        var last = path.LastIndexOf('/');
        return last > 0 && path.AsSpan(0, last).EndsWith("/thumb", StringComparison.Ordinal) &&
            long.TryParse(path.AsSpan(last + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var stamp)
            ? stamp
            : null;
    }

    /// <summary>
    /// Whether an entry of Plex's poster list is an upload of the image whose SHA-1 is
    /// <paramref name="sha1Hex"/>: Plex keys an upload upload://posters/&lt;sha1&gt;; the check asks only
    /// for the scheme and the hash at the end (as python-plexapi's poster test does), in either case.
    /// </summary>
    public static bool IsUploadOf(string posterKey, string sha1Hex)
    {
        ArgumentNullException.ThrowIfNull(posterKey);
        ArgumentNullException.ThrowIfNull(sha1Hex);
        return sha1Hex.Length > 0 &&
            posterKey.StartsWith(UploadScheme, StringComparison.OrdinalIgnoreCase) &&
            posterKey.EndsWith("/" + sha1Hex, StringComparison.OrdinalIgnoreCase);
    }
}
