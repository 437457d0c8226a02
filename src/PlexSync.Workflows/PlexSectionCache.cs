using PlexSync.Clients;

namespace PlexSync.Workflows;

/// <summary>
/// Resolves the configured section names to Plex section keys, cached for a few minutes because every
/// match needs them. One per worker process (activities are created per call).
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

    private static List<string> Resolve(IReadOnlyList<PlexSection> sections, IReadOnlyList<string> names) =>
        [.. names.Select(name =>
            sections.FirstOrDefault(s => string.Equals(s.Title, name, StringComparison.OrdinalIgnoreCase))?.Key
            ?? throw new ConfigMismatchException(
                $"plex.sections: Plex has no library section \"{name}\" (it has: {string.Join(", ", sections.Select(s => s.Title))})"))];
}
