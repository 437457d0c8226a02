using System.Text.Json.Serialization;
using PlexSync.Clients;
using PlexSync.Workflows;

namespace PlexSync.Operations;

/// <summary>What a failed check found, for the command to word its own advice on (which flag or key to set).</summary>
internal enum CheckProblem
{
    None,

    /// <summary>Stash asks for credentials and no API key was given.</summary>
    KeyMissing,

    /// <summary>The service answered but refused the key or token.</summary>
    CredentialsRefused,

    /// <summary>A configured Plex section is missing or holds no movies.</summary>
    Sections,

    /// <summary>Anything else: unreachable, not the service, a failure; the detail says which.</summary>
    Other,
}

/// <summary>One line of a setup check: what was checked, whether it is fine, what was seen, and what to do when it is not.</summary>
/// <param name="Name">What was checked.</param>
/// <param name="Ok">Whether it is fine.</param>
/// <param name="Detail">What was seen, and what to do when it is not fine.</param>
/// <param name="Problem">What was wrong, when something was.</param>
internal sealed record CheckLine(string Name, bool Ok, string Detail, [property: JsonIgnore] CheckProblem Problem = CheckProblem.None)
{
    /// <summary>Gets a value indicating whether the service refused, or asked for, the key or token (init asks for that again, not the address).</summary>
    [JsonIgnore]
    public bool CredentialsRefused => Problem is CheckProblem.KeyMissing or CheckProblem.CredentialsRefused;

    /// <summary>Adds a command's own words on what to do, when the line's problem is <paramref name="problem"/>.</summary>
    public CheckLine Advise(CheckProblem problem, string advice) => Problem == problem ? this with { Detail = $"{Detail}; {advice}" } : this;
}

/// <summary>
/// Asks Stash and Plex the cheapest question that proves they are reachable and take our credentials, and says what is
/// wrong when they do not; which flag or key to set is each command's to say (<see cref="CheckLine.Advise"/>).
/// </summary>
internal static class ServiceProbe
{
    /// <summary>Counts Stash's scenes (one small query).</summary>
    public static async Task<CheckLine> StashAsync(IStashClient stash, Uri url, bool keyGiven, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stash);
        try
        {
            var page = await stash.FindScenesAsync(new ScenesQuery { PerPage = 1 }, cancellationToken);
            return new CheckLine("Stash", true, $"{url}: {page.Count} scenes{(keyGiven ? "" : " (no API key needed: Stash has no login set)")}");
        }
        catch (ServiceException e)
        {
            return new CheckLine("Stash", false, StashProblem(e, url, keyGiven), Problem(e, keyGiven));
        }
    }

    /// <summary>Lists Plex's library sections.</summary>
    public static async Task<(CheckLine Line, IReadOnlyList<PlexSection> Sections)> PlexAsync(IPlexClient plex, Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plex);
        try
        {
            var sections = await plex.SectionsAsync(cancellationToken);
            return (new CheckLine("Plex", true, $"{url}: {sections.Count(IsMovies)} movie sections"), sections);
        }
        catch (ServiceException e)
        {
            return (new CheckLine("Plex", false, PlexProblem(e, url), Problem(e, keyGiven: true)), []);
        }
    }

    /// <summary>Whether a section holds movies, the only kind PlexSync writes to.</summary>
    public static bool IsMovies(PlexSection section) => PlexSectionCache.IsMovies(section);

    /// <summary>Checks that each configured section exists and holds movies, in the words a worker fails with.</summary>
    public static CheckLine Sections(IReadOnlyList<string> wanted, IReadOnlyList<PlexSection> sections) =>
        PlexSectionCache.Problem(wanted, sections) is { } problem
            ? new CheckLine("Plex sections", false, problem, CheckProblem.Sections)
            : new CheckLine("Plex sections", true, string.Join(", ", wanted));

    /// <summary>What a failed Stash request means for someone setting PlexSync up, and what to do.</summary>
    public static string StashProblem(ServiceException e, Uri url, bool keyGiven)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Kind switch
        {
            FailureKind.Auth when !keyGiven =>
                $"Stash at {url} asks for credentials (a login is set in its Settings > Security) and no API key was given: " +
                "generate one in Stash under Settings > Security > API Key",
            FailureKind.Auth =>
                $"Stash at {url} refused the API key: copy it again from Stash's Settings > Security > API Key (generating a new key invalidates the old one)",
            FailureKind.WrongUrl or FailureKind.NotFound =>
                $"{url} does not answer as Stash does (no GraphQL endpoint at /graphql): give the address you open Stash's web UI at, e.g. http://localhost:9999",
            FailureKind.Transient when e.Status == 0 =>
                $"cannot reach Stash at {url} ({e.Message}): check that Stash runs and that the scheme, host and port are those of its web UI",
            _ => $"Stash at {url} failed: {e.Message}",
        };
    }

    private static CheckProblem Problem(ServiceException e, bool keyGiven) => e.Kind switch
    {
        FailureKind.Auth => keyGiven ? CheckProblem.CredentialsRefused : CheckProblem.KeyMissing,
        _ => CheckProblem.Other,
    };

    /// <summary>What a failed Plex request means for someone setting PlexSync up, and what to do.</summary>
    public static string PlexProblem(ServiceException e, Uri url)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Kind switch
        {
            FailureKind.Auth =>
                $"Plex at {url} refused the token. Give your own X-Plex-Token; Plex's help article \"Finding an authentication token / X-Plex-Token\" shows where to find it",
            FailureKind.WrongUrl or FailureKind.NotFound =>
                $"{url} does not answer as Plex Media Server does (no /library/sections): give the server's own address, e.g. http://localhost:32400, not app.plex.tv",
            FailureKind.Transient when e.Status == 0 =>
                $"cannot reach Plex at {url} ({e.Message}): check that Plex Media Server runs and that the scheme, host and port are right (32400 by default)",
            _ => $"Plex at {url} failed: {e.Message}",
        };
    }
}
