namespace PlexSync.Operations;

/// <summary>The periodic reconciliation's schedule, when there is one, with its interval.</summary>
internal sealed record ScheduleStatus(string Id, bool Exists, bool Paused, DateTime? NextRun, TimeSpan? Every = null);
