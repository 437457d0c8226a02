using PlexSync.Clients;
using PlexSync.Domain;
using PlexSync.Workflows;

namespace PlexSync.Operations;

/// <summary>A sampled scene that a sync would not find in Plex, and why.</summary>
internal sealed record UnmatchedScene(string SceneId, string File, string Reason, string Detail);

/// <summary>How a sample of Stash scenes matched Plex items, as a sync would match them, with a mapping that would fix the rest when one would.</summary>
internal sealed record MatchSurvey
{
    public const string Ambiguous = "ambiguous";
    public const string NotInPlex = "not in Plex";
    public const string Invalid = "invalid";

    // Bounds the pages read, whatever Stash reports.
    private const int MaxPages = 10_000;

    public int Sampled { get; init; }

    /// <summary>Gets the scenes Stash has in all.</summary>
    public int InStash { get; init; }

    public int ByPath { get; init; }

    /// <summary>Gets the scenes matched by file name only: they sync, but a path mapping would make the match certain.</summary>
    public int ByName { get; init; }

    public IReadOnlyList<UnmatchedScene> Unmatched { get; init; } = [];

    /// <summary>Gets mappings that make more of the sample match by path than the configured ones, or null.</summary>
    public MappingProposal? Suggestion { get; init; }

    public int Count(string reason) => Unmatched.Count(u => u.Reason == reason);

    public bool AllMatched => Unmatched.Count == 0;

    /// <summary>
    /// Matches up to <paramref name="limit"/> scenes, newest first, page by page as a reconciliation reads them,
    /// and proposes mappings from the Stash files and the Plex files the matcher found by name (plus
    /// <paramref name="plexSample"/>).
    /// </summary>
    public static async Task<MatchSurvey> TakeAsync(
        ScenePlanner planner, IStashClient stash, int limit, IReadOnlyList<string> plexSample, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(planner);
        ArgumentNullException.ThrowIfNull(stash);
        var inStash = (await stash.FindScenesAsync(new ScenesQuery { PerPage = 1 }, cancellationToken)).Count;
        var checks = new List<SceneCheck>();
        var input = new CheckScenesInput { PageSize = Math.Clamp(limit, 1, ReconcileInput.DefaultPageSize) };
        for (var pages = 0; checks.Count < limit && pages < MaxPages; pages++)
        {
            var read = await planner.ReadAsync(input, cancellationToken);
            var scenes = read.Scenes.Take(limit - checks.Count).ToList();
            checks.AddRange(await planner.CheckAsync(scenes, null, cancellationToken));
            if (read.Next is null)
            {
                break;
            }

            input = input with { Cursor = read.Next };
        }

        return From(checks, inStash, planner.Settings.Mappings, plexSample);
    }

    /// <summary>Counts the checks and proposes mappings when they would match more scenes by path than the configured ones.</summary>
    public static MatchSurvey From(IReadOnlyList<SceneCheck> checks, int inStash, PathMappings configured, IReadOnlyList<string> plexSample)
    {
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentNullException.ThrowIfNull(configured);
        ArgumentNullException.ThrowIfNull(plexSample);
        var unmatched = checks.Where(c => c.Match is null).Select(Describe).ToList();
        var byPath = checks.Count(c => c.Match?.Strategy == ItemMatcher.ByPath);
        var survey = new MatchSurvey
        {
            Sampled = checks.Count,
            InStash = inStash,
            ByPath = byPath,
            ByName = checks.Count(c => c.Match?.Strategy == ItemMatcher.ByName),
            Unmatched = unmatched,
        };
        if (byPath == checks.Count)
        {
            return survey;
        }

        // The Plex files the matcher saw: those found by name, and the candidates of ambiguous matches.
        var plexFiles = checks.Where(c => c.Match is not null).Select(c => c.Match!.File)
            .Concat(checks.Select(c => c.Problem).OfType<AmbiguousMatchException>().SelectMany(a => a.Candidates.SelectMany(x => x.Files)))
            .Concat(plexSample)
            .ToList();
        var proposal = MappingProposer.Propose([.. checks.SelectMany(c => c.Scene.Files.Take(1))], plexFiles);
        var better = proposal.Matched > byPath && !proposal.Mappings.SequenceEqual(configured.Items);
        return better ? survey with { Suggestion = proposal } : survey;
    }

    private static UnmatchedScene Describe(SceneCheck check)
    {
        var file = check.Scene.Files.Count > 0 ? check.Scene.Files[0] : "(no file)";
        var reason = check.Problem switch
        {
            AmbiguousMatchException => Ambiguous,
            NotInPlexException => NotInPlex,
            _ => Invalid,
        };
        return new UnmatchedScene(check.Scene.Id, file, reason, check.Problem?.Message ?? "");
    }
}
