using PlexSync.Clients;

namespace PlexSync.Workflows;

/// <summary>
/// How Plex's watch history is paged without skipping or doubling a row while rows arrive and go: each page starts at
/// a viewedAt value (<c>viewedAt&gt;=</c>, ascending), never at an offset, so a row inserted or deleted elsewhere moves
/// nothing; the rows at the bound second come back and are recognised by the cursor. Pure, so that the workflow and
/// the activity agree and it is tested alone.
/// </summary>
public static class PlaysPager
{
    /// <summary>The largest number of rows read for one second, when a whole page shares the bound's second.</summary>
    public const int MaxPerSecond = 1000;

    /// <summary>Where a run starts reading: a lookback before the latest row taken, never before the floor.</summary>
    public static long Bound(PlaysCursor cursor)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        return Math.Max(cursor.Floor, cursor.HighViewedAt - (long)PlaysCursor.Lookback.TotalSeconds);
    }

    /// <summary>Whether a row read is new to the cursor: not before the floor and not taken already.</summary>
    public static bool IsFresh(PlaysCursor cursor, PlexHistoryRow row)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        ArgumentNullException.ThrowIfNull(row);
        return row.ViewedAt >= cursor.Floor && !cursor.Recent.Any(p => p.HistoryId == row.HistoryId);
    }

    /// <summary>What follows a page of <paramref name="rows"/> (sorted) read from <paramref name="bound"/>.</summary>
    /// <returns>
    /// Whether the page's rows all share the bound's second and fill it (then that second is read alone); else where the
    /// next page starts (the page's last second, whose rows come back and are skipped) and whether this was the last.
    /// </returns>
    public static (bool ReadSecondAlone, long NextBound, bool Done) Next(IReadOnlyList<PlexHistoryRow> rows, long bound, int pageSize)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count >= pageSize && rows.All(r => r.ViewedAt == bound))
        {
            return (true, bound + 1, false);
        }

        return (false, rows.Count == 0 ? bound : rows.Max(r => r.ViewedAt), rows.Count < pageSize);
    }

    /// <summary>
    /// Each row with its ordinal (its rank among the taken rows of the same scene and second, by history ID), and the
    /// cursor with the rows remembered, and the rows of other accounts or sections (<paramref name="passed"/>) too: the
    /// latest moved to the last, rows older than a lookback before it forgotten, and at most
    /// <see cref="PlaysCursor.MaxRecent"/> kept.
    /// </summary>
    public static (IReadOnlyList<(PlayRow Row, int Ordinal)> Rows, PlaysCursor Cursor) Take(PlaysCursor cursor, IReadOnlyList<PlayRow> rows, IReadOnlyList<SeenPlay>? passed = null)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        ArgumentNullException.ThrowIfNull(rows);
        var recent = cursor.Recent.Concat(passed ?? []).ToList();
        var taken = new List<(PlayRow, int)>(rows.Count);
        foreach (var row in rows.OrderBy(r => r.ViewedAt).ThenBy(r => r.HistoryId))
        {
            var scene = row.Match?.SceneId ?? "";
            var ordinal = 1 + (scene.Length == 0 ? 0 : recent.Count(p => p.SceneId == scene && p.ViewedAt == row.ViewedAt && p.HistoryId < row.HistoryId));
            taken.Add((row, ordinal));
            recent.Add(new SeenPlay(row.HistoryId, row.ViewedAt, scene));
        }

        var (high, highId) = (cursor.HighViewedAt, cursor.HighHistoryId);
        if (recent.MaxBy(p => (p.ViewedAt, p.HistoryId)) is { } latest && (latest.ViewedAt, latest.HistoryId).CompareTo((high, highId)) > 0)
        {
            (high, highId) = (latest.ViewedAt, latest.HistoryId);
        }

        var keepFrom = high - (long)PlaysCursor.Lookback.TotalSeconds;
        var kept = recent.Where(p => p.ViewedAt >= keepFrom).OrderBy(p => p.ViewedAt).ThenBy(p => p.HistoryId).TakeLast(PlaysCursor.MaxRecent).ToList();
        return (taken, cursor with { HighViewedAt = high, HighHistoryId = highId, Recent = kept });
    }
}
