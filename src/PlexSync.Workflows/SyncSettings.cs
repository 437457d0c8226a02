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
