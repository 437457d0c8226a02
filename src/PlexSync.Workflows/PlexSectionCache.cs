using PlexSync.Clients;

namespace PlexSync.Workflows;

/// <summary>
/// Resolves the configured section names to Plex section keys, cached for a few minutes because every
/// match needs them, and checks that each is a movie section. One per worker process (activities are
/// created per call).
/// </summary>
public sealed class PlexSectionCache(TimeProvider time) : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim gate = new(1, 1);
    private IReadOnlyList<string>? keys;
    private DateTimeOffset loadedAt;

    public async Task<IReadOnlyList<string>> KeysAsync(IPlexClient plex, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plex);
        ArgumentNullException.ThrowIfNull(names);
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (keys is null || time.GetUtcNow() - loadedAt >= Lifetime)
            {
                keys = Resolve(await plex.SectionsAsync(cancellationToken), names);
                loadedAt = time.GetUtcNow();
            }

            return keys;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();

    /// <summary>
    /// What is wrong with the configured section names, in the words of plex.sections, or null: a name
    /// Plex does not have, or a section that is not a movie section (PlexSync edits movies, type=1).
    /// </summary>
    public static string? Problem(IReadOnlyList<string> names, IReadOnlyList<PlexSection> sections)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(sections);
        var movies = sections.Where(IsMovies).Select(s => s.Title).ToList();
        var listed = $"its movie sections: {(movies.Count == 0 ? "none" : string.Join(", ", movies))}";
        foreach (var name in names)
        {
            var section = Find(sections, name);
            if (section is null)
            {
                return $"plex.sections: Plex has no library section \"{name}\" ({listed})";
            }

            if (!IsMovies(section))
            {
                return $"plex.sections: \"{section.Title}\" is a {section.Type} section, not a movie section; PlexSync writes to movie sections only ({listed})";
            }
        }

        return null;
    }

    /// <summary>Whether a section holds movies, the only kind PlexSync writes to.</summary>
    public static bool IsMovies(PlexSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return section.Type == "movie";
    }

    private static PlexSection? Find(IReadOnlyList<PlexSection> sections, string name) =>
        sections.FirstOrDefault(s => string.Equals(s.Title, name, StringComparison.OrdinalIgnoreCase));

    private static List<string> Resolve(IReadOnlyList<PlexSection> sections, IReadOnlyList<string> names) =>
        Problem(names, sections) is { } problem ? throw new ConfigMismatchException(problem) : [.. names.Select(name => Find(sections, name)!.Key)];
}
