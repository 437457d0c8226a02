using PlexSync.Domain;

namespace PlexSync.Clients;

/// <summary>Selects a page of scenes, sorted by updated_at.</summary>
public sealed record ScenesQuery
{
    /// <summary>Gets the 1-based page number.</summary>
    public int Page { get; init; } = 1;

    public int PerPage { get; init; } = 100;

    public bool NewestFirst { get; init; }
}

/// <summary>One page of a findScenes answer.</summary>
public sealed record ScenesPage(int Count, IReadOnlyList<Scene> Scenes);

/// <summary>A scene's cover image as Stash serves it.</summary>
public sealed record Screenshot(byte[] Bytes, string ContentType);

/// <summary>Stash's GraphQL API, reduced to what a sync reads.</summary>
public interface IStashClient
{
    /// <summary>Returns the scene, or null when Stash has none (deleted, or never existed).</summary>
    Task<Scene?> FindSceneAsync(string id, CancellationToken cancellationToken);

    /// <summary>Returns one page of scenes.</summary>
    Task<ScenesPage> FindScenesAsync(ScenesQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Downloads a scene's cover (a path from <see cref="Scene.Screenshot"/>), or returns null when
    /// Stash answers with its built-in placeholder (an SVG): that is "no cover", never a poster.
    /// </summary>
    Task<Screenshot?> ScreenshotAsync(string path, CancellationToken cancellationToken);
}
