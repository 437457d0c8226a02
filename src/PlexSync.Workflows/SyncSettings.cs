using PlexSync.Domain;

namespace PlexSync.Workflows;

/// <summary>What the sync activities need besides their clients; values only, no credentials.</summary>
public sealed record SyncSettings
{
    /// <summary>Gets the Plex library section names to search.</summary>
    public IReadOnlyList<string> Sections { get; init; } = ["Movies"];

    public PathMappings Mappings { get; init; } = PathMappings.None;

    public SceneOptions Scene { get; init; } = new();

    public RetryTuning Tuning { get; init; } = new();

    public PlaysSettings Plays { get; init; } = new();
}

/// <summary>A setting that does not fit the servers; a person must fix it.</summary>
public sealed class ConfigMismatchException(string message) : Exception(message);

/// <summary>The matched Plex item vanished (Plex may have re-scanned the file).</summary>
public sealed class PlexItemGoneException(string ratingKey)
    : Exception($"Plex item {ratingKey} no longer exists (Plex may have re-scanned the file); the sync matches again");
