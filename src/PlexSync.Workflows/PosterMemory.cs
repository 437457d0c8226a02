using System.Collections.Concurrent;
using PlexSync.Domain;

namespace PlexSync.Workflows;

/// <summary>What a sync found out about an item's poster: Stash's cover at <paramref name="Screenshot"/> is the item's poster, or Stash has no cover there.</summary>
/// <param name="Screenshot">The Stash screenshot path (with t=) the sync downloaded.</param>
/// <param name="NoCover">Whether Stash answered with its placeholder: nothing to upload, nothing to lock.</param>
public sealed record PosterVerdict(string Screenshot, bool NoCover);

/// <summary>
/// The posters this worker has checked, by Plex ratingKey, so that an item is not checked again for the
/// same Stash screenshot. A scene edited in Stash only in fields PlexSync does not copy moves t= past
/// Plex's poster stamp with nothing for a sync to write (<see cref="PosterCheck.MaybeStale"/>): the check
/// happens once per worker process, not at every reconciliation. One per worker process; kept in memory
/// only, so nothing of it reaches Plex.
/// </summary>
public sealed class PosterMemory
{
    // About the size of a large library; past it the memory starts again rather than grow.
    private const int Capacity = 200_000;

    private readonly ConcurrentDictionary<string, PosterVerdict> verdicts = new(StringComparer.Ordinal);

    /// <summary>Records what a sync found (after its writes succeeded).</summary>
    public void Remember(string ratingKey, PosterVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(ratingKey);
        ArgumentNullException.ThrowIfNull(verdict);
        if (verdicts.Count >= Capacity)
        {
            verdicts.Clear();
        }

        verdicts[ratingKey] = verdict;
    }

    /// <summary>
    /// Whether this worker checked the item's poster for the desired screenshot, and it still stands: no
    /// cover then, or Stash's cover then and the poster still locked (Plex keeps a locked poster).
    /// </summary>
    public bool Knows(string ratingKey, DesiredState desired, PlexState current)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(current);
        return verdicts.TryGetValue(ratingKey, out var verdict) && verdict.Screenshot == desired.Poster &&
            (verdict.NoCover || current.IsLocked(PlexFields.Poster));
    }
}
