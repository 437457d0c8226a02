using PlexSync.Clients;
using PlexSync.Domain;

namespace PlexSync.Workflows;

/// <summary>
/// Reading Plex's watch history and tracing each row back to its Stash scene, shared by the plays activities and the
/// CLI's dry run, so that what the dry run shows is what a run does. Reads only.
/// </summary>
public sealed class PlaysPlanner(IStashClient stash, IPlexClient plex, SyncSettings settings, PlexSectionCache sections, PlexServerCache server)
{
    // Rows of a page are matched a few at a time, as a reconciliation's scenes are.
    private const int MatchesAtOnce = 8;

    // Bounds one path lookup, whatever Stash reports: 5,000 scenes share a name fragment only in a library that no name can match in.
    private const int MaxLookupPages = 50;

    /// <summary>
    /// Reads the page of history from the input's bound: the rows new to the cursor and in scope (the configured
    /// accounts and sections), matched; how many were read and left out; and where the next page starts.
    /// </summary>
    /// <exception cref="ServiceException">Kind Rejected when Plex ignored viewedAt&gt;= or one second holds more plays than can be read at once.</exception>
    public async Task<PlaysPage> ReadAsync(ReadPlaysInput input, Action? heartbeat, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var machine = await server.ServerAsync(plex, cancellationToken);
        var (accounts, sectionKeys) = await ScopeAsync(cancellationToken);
        var query = new PlexHistoryQuery
        {
            MinViewedAt = input.Bound,
            AccountId = accounts.Count == 1 ? accounts.Single() : null,
            SectionKey = sectionKeys.Count == 1 ? sectionKeys.Single() : null,
            Size = input.PageSize,
        };
        var rows = Sorted(await plex.HistoryAsync(query, cancellationToken));
        if (rows.FirstOrDefault(r => r.ViewedAt < input.Bound) is { } early)
        {
            throw Refused($"Plex answered a row viewed at {early.ViewedAt} to viewedAt>={input.Bound}: it ignored the filter, so its history cannot be paged safely");
        }

        var (alone, next, done) = PlaysPager.Next(rows, input.Bound, input.PageSize);
        if (alone)
        {
            rows = Sorted(await plex.HistoryAsync(query with { MaxViewedAt = input.Bound, Size = PlaysPager.MaxPerSecond }, cancellationToken));
            if (rows.Count >= PlaysPager.MaxPerSecond)
            {
                throw Refused($"more than {PlaysPager.MaxPerSecond} plays at {PlayTimes.Show(input.Bound)}: too many to read in one request");
            }
        }

        var fresh = rows.Where(r => PlaysPager.IsFresh(input.Cursor, r) && (input.Until is not { } until || r.ViewedAt <= until)).ToList();
        var inScope = fresh.ToLookup(r => accounts.Contains(r.AccountId) && (r.SectionId.Length == 0 || sectionKeys.Contains(r.SectionId)));
        return new PlaysPage
        {
            Server = machine,
            Rows = await MatchAsync([.. inScope[true].Select(r => new PlayRow(r.HistoryId, r.ViewedAt, r.AccountId, r.RatingKey, r.SectionId))], heartbeat, cancellationToken),
            OutOfScope = [.. inScope[false].Select(r => new SeenPlay(r.HistoryId, r.ViewedAt, ""))],
            Read = fresh.Count,
            NextBound = next,
            Done = done || (input.Until is { } end && rows.Any(r => r.ViewedAt > end)),
        };
    }

    /// <summary>Matches each row's Plex item to a Stash scene (one batched Plex read), a few at a time; rows come back in order.</summary>
    public async Task<IReadOnlyList<PlayRow>> MatchAsync(IReadOnlyList<PlayRow> rows, Action? heartbeat, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var keys = rows.Select(r => r.RatingKey).Where(k => k.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var items = keys.Count == 0 ? new Dictionary<string, PlexItem>() : await plex.ItemsAsync(keys, cancellationToken);
        var matched = new PlayRow[rows.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, rows.Count),
            new ParallelOptions { MaxDegreeOfParallelism = MatchesAtOnce, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                matched[i] = await MatchOneAsync(rows[i], items.GetValueOrDefault(rows[i].RatingKey), ct);
                heartbeat?.Invoke();
            });
        return matched;
    }

    /// <summary>Finds the Stash scene of a Plex item's files: the forward match's rules run backwards (<see cref="SceneMatcher"/>).</summary>
    public Task<SceneMatchResult> FindSceneAsync(IReadOnlyList<string> plexFiles, CancellationToken cancellationToken) =>
        SceneMatcher.FindAsync(plexFiles, settings.Mappings, LookupAsync, cancellationToken);

    /// <summary>The configured accounts as IDs and the configured sections as keys.</summary>
    public async Task<(IReadOnlySet<string> Accounts, IReadOnlySet<string> Sections)> ScopeAsync(CancellationToken cancellationToken)
    {
        var accounts = await server.AccountIdsAsync(plex, settings.Plays.Accounts, cancellationToken);
        var keys = await sections.KeysAsync(plex, settings.Sections, cancellationToken);
        return (accounts, keys.ToHashSet(StringComparer.Ordinal));
    }

    private static List<PlexHistoryRow> Sorted(IReadOnlyList<PlexHistoryRow> rows) => [.. rows.OrderBy(r => r.ViewedAt).ThenBy(r => r.HistoryId)];

    private static ServiceException Refused(string detail) =>
        new(PlexClient.ServiceName, "GET /status/sessions/history/all", FailureKind.Rejected, 200, detail);

    private async Task<PlayRow> MatchOneAsync(PlayRow row, PlexItem? item, CancellationToken cancellationToken)
    {
        if (item is null)
        {
            var which = row.RatingKey.Length == 0 ? "the Plex item" : $"Plex item {row.RatingKey}";
            return row with
            {
                Problem = new PlayProblem(
                    PlayOutcomes.Unmatched, $"{which} no longer exists (deleted, or re-added under a new ratingKey): the play cannot be traced to a file"),
            };
        }

        var found = await FindSceneAsync(item.Files, cancellationToken);
        return found.Scene is { } scene
            ? row with { Match = new PlayMatch(scene.SceneId, found.Strategy, found.File), Problem = null }
            : row with { Match = null, Problem = new PlayProblem(found.Outcome, found.Reason) };
    }

    // Every page of the scenes Stash's path filter finds; the matcher confirms each by its files.
    private async Task<IReadOnlyList<StashCandidate>> LookupAsync(StashPathQuery query, CancellationToken cancellationToken)
    {
        var found = new List<StashCandidate>();
        for (var page = 1; page <= MaxLookupPages; page++)
        {
            var answer = await stash.FindScenesByPathAsync(query, page, cancellationToken);
            found.AddRange(answer.Scenes);
            if (answer.Scenes.Count == 0 || found.Count >= answer.Count)
            {
                break;
            }
        }

        return found;
    }
}
