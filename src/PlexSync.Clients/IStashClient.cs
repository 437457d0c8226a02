using PlexSync.Domain;

namespace PlexSync.Clients;

/// <summary>Selects a page of scenes, sorted by updated_at.</summary>
public sealed record ScenesQuery
{
    /// <summary>Gets the 1-based page number.</summary>
    public int Page { get; init; } = 1;

    public int PerPage { get; init; } = 100;

    public bool NewestFirst { get; init; }

    /// <summary>
    /// Gets the upper bound of updated_at (inclusive), or null for none. It must be an updated_at text exactly
    /// as Stash returned it (<see cref="ScenesPage.UpdatedAtTexts"/>): Stash compares the stored text, in
    /// its own zone, so only its own text compares consistently with the order it sorts by.
    /// </summary>
    public string? UpdatedAtUpTo { get; init; }

    /// <summary>Gets a performer, tag, studio or group whose scenes alone are selected, or null for all scenes.</summary>
    public SceneEntity? Entity { get; init; }
}

/// <summary>A performer, tag, studio or group, by its Stash ID.</summary>
/// <param name="Kind">One of <see cref="SceneEntityKinds.All"/>.</param>
/// <param name="Id">Its Stash ID.</param>
public sealed record SceneEntity(string Kind, string Id);

/// <summary>The kinds of <see cref="SceneEntity"/>, as the CLI and workflow payloads name them.</summary>
public static class SceneEntityKinds
{
    public const string Performer = "performer";
    public const string Tag = "tag";
    public const string Studio = "studio";
    public const string Group = "group";

    public static readonly IReadOnlyList<string> All = [Performer, Tag, Studio, Group];
}

/// <summary>One page of a findScenes answer.</summary>
public sealed record ScenesPage(int Count, IReadOnlyList<Scene> Scenes)
{
    /// <summary>
    /// Gets each scene's updated_at exactly as Stash wrote it, in the order of <see cref="Scenes"/>: the
    /// only form that <see cref="ScenesQuery.UpdatedAtUpTo"/> may send back.
    /// </summary>
    public IReadOnlyList<string> UpdatedAtTexts { get; init; } = [];
}

/// <summary>A scene's cover image as Stash serves it.</summary>
public sealed record Screenshot(byte[] Bytes, string ContentType);

/// <summary>Stash's GraphQL API, reduced to what a sync reads and the plays write.</summary>
public interface IStashClient
{
    /// <summary>Returns the scene, or null when Stash has none (deleted, or never existed).</summary>
    Task<Scene?> FindSceneAsync(string id, CancellationToken cancellationToken);

    /// <summary>Returns one page of scenes.</summary>
    Task<ScenesPage> FindScenesAsync(ScenesQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Returns exactly these scenes, unpaged and unfiltered (Stash ignores paging and filters with ids).
    /// Stash fails the whole query when one of them is missing: a <see cref="ServiceException"/> of kind
    /// Rejected whose message says "not found".
    /// </summary>
    Task<ScenesPage> FindScenesByIdsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken);

    /// <summary>
    /// Downloads a scene's cover (a path from <see cref="Scene.Screenshot"/>), or returns null when
    /// Stash answers with its built-in placeholder (an SVG): that is "no cover", never a poster.
    /// </summary>
    Task<Screenshot?> ScreenshotAsync(string path, CancellationToken cancellationToken);

    /// <summary>Returns a scene's play history, play count, resume point and files, or null when Stash has no such scene.</summary>
    Task<ScenePlays?> ScenePlaysAsync(string sceneId, CancellationToken cancellationToken);

    /// <summary>Returns one page (from 1) of the scenes Stash's path filter finds for <paramref name="query"/>, by ID.</summary>
    Task<ScenesByPath> FindScenesByPathAsync(StashPathQuery query, int page, CancellationToken cancellationToken);

    /// <summary>Adds one play at <paramref name="at"/> (whole seconds, UTC); Stash adds a row even when the time is there already.</summary>
    Task<PlayHistory> AddPlayAsync(string sceneId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Removes one play row per given time (a time not there removes nothing); at least one time, since none would remove the latest.</summary>
    Task<PlayHistory> DeletePlaysAsync(string sceneId, IReadOnlyList<DateTimeOffset> times, CancellationToken cancellationToken);

    /// <summary>Sets the scene's resume point, in seconds (sceneSaveActivity resume_time, which Stash replaces).</summary>
    Task SaveResumeAsync(string sceneId, double seconds, CancellationToken cancellationToken);
}
