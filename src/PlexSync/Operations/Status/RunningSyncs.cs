namespace PlexSync.Operations;

/// <summary>The running syncs: how many, and the oldest few.</summary>
internal sealed record RunningSyncs(long Count, IReadOnlyList<RunningSync> Oldest);
