using PlexSync.Clients;

namespace PlexSync.Workflows;

/// <summary>
/// Keyset paging of Stash's scenes, newest updated_at first, that stays correct while scenes change.
/// </summary>
/// <remarks>
/// Each page after the first asks for the scenes whose updated_at is at most the updated_at text Stash
/// returned for the last scene of the page before. Stash compares and sorts that same stored text, so
/// its own text is consistent whatever its zone or offset (stash.md); a reformatted instant would not be.
/// Deleting a scene during the run therefore never makes another be skipped: the next page starts at
/// a value, not at a position that a deletion shifts. A scene edited during the run moves above the
/// bound, where the hook of that edit syncs it. The bound is inclusive and timestamps have whole
/// seconds, so ties at the bound come back and are skipped by ID; a tie group larger than a page is
/// read by page number under the same bound, stepping back as far as Stash's count there shrank (only
/// removals shrink it), so that the positions a removal shifts are read again rather than missed.
/// </remarks>
internal static class ScenePager
{
    /// <summary>The query of the page at <paramref name="cursor"/>.</summary>
    public static ScenesQuery Query(ReconcileCursor cursor, int pageSize, SceneEntity? entity)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        return new ScenesQuery { Page = cursor.Page, PerPage = pageSize, NewestFirst = true, UpdatedAtUpTo = cursor.Bound, Entity = entity };
    }

    /// <summary>
    /// The cursor to read again from when, inside a tie group, Stash's count up to the bound shrank since the
    /// last page (scenes already read were deleted or edited away, shifting the rest forward); else null.
    /// </summary>
    public static ReconcileCursor? StepBack(ReconcileCursor cursor, int count, int pageSize)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        if (cursor.Page <= 1 || count >= cursor.CountAtBound)
        {
            return null;
        }

        var pages = (cursor.CountAtBound - count + pageSize - 1) / pageSize;
        return cursor with { Page = Math.Max(1, cursor.Page - pages), CountAtBound = count };
    }

    /// <summary>
    /// The indexes of the page's scenes not read before, and the cursor of the next page (null after the last).
    /// </summary>
    public static (IReadOnlyList<int> Fresh, ReconcileCursor? Next) Advance(ReconcileCursor cursor, ScenesPage page, int pageSize)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        ArgumentNullException.ThrowIfNull(page);
        if (page.UpdatedAtTexts.Count != page.Scenes.Count)
        {
            throw new ArgumentException("every scene of the page needs its updated_at text", nameof(page));
        }

        var seen = cursor.SeenAtBound.ToHashSet(StringComparer.Ordinal);
        var fresh = new List<int>();
        for (var i = 0; i < page.Scenes.Count; i++)
        {
            if (!(page.UpdatedAtTexts[i] == cursor.Bound && seen.Contains(page.Scenes[i].Id)))
            {
                fresh.Add(i);
            }
        }

        if (page.Scenes.Count < pageSize)
        {
            return (fresh, null);
        }

        var last = page.UpdatedAtTexts[^1];
        if (last == cursor.Bound)
        {
            // The whole page is one tie group at the bound: the next page number under the same bound.
            var atBound = cursor.SeenAtBound.Concat(fresh.Select(i => page.Scenes[i].Id)).ToList();
            return (fresh, cursor with { SeenAtBound = atBound, Page = cursor.Page + 1, CountAtBound = page.Count });
        }

        var tied = Enumerable.Range(0, page.Scenes.Count).Where(i => page.UpdatedAtTexts[i] == last).Select(i => page.Scenes[i].Id).ToList();
        return (fresh, new ReconcileCursor { Bound = last, SeenAtBound = tied });
    }
}
