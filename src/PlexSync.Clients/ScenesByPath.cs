using PlexSync.Domain;

namespace PlexSync.Clients;

/// <summary>One page of the scenes Stash's path filter returned, each with all its files (not exact: callers confirm).</summary>
public sealed record ScenesByPath(int Count, IReadOnlyList<StashCandidate> Scenes);
