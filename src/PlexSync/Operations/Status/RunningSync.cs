namespace PlexSync.Operations;

/// <summary>A running sync: its scene, since when, and what its pending activity is retrying, if anything.</summary>
internal sealed record RunningSync(string SceneId, DateTime StartedAt, string? RetryingOn, int? Attempt);
