using PlexSync.Configuration;
using PlexSync.Workflows;

namespace PlexSync.Operations;

/// <summary>What `plexsync status` warns of, and what it says of the workers' circuit breakers.</summary>
internal static class StatusWarnings
{
    /// <summary>
    /// The breaker line from the running syncs: a worker's open breaker fails each Plex activity with
    /// PlexCircuitOpen, which the server keeps as the pending activity's last failure. Only the oldest
    /// running syncs are described, so "not seen open" is all status can say of the others.
    /// </summary>
    public static string Breaker(RunningSyncs running)
    {
        ArgumentNullException.ThrowIfNull(running);
        var described = running.Oldest.Count;
        var waiting = running.Oldest.Count(s => s.RetryingOn == ErrorTypes.PlexCircuitOpen);
        return (running.Count, waiting) switch
        {
            (0, _) => $"nothing to show: no sync runs ({StatusReport.BreakerScope})",
            (_, > 0) => $"open in at least one worker: {waiting} of the {described} oldest running syncs wait on PlexCircuitOpen ({StatusReport.BreakerScope})",
            _ => $"not seen open: none of the {described} oldest running syncs waits on PlexCircuitOpen ({StatusReport.BreakerScope})",
        };
    }

    /// <summary>What needs a person's attention, each with what to do.</summary>
    public static IReadOnlyList<string> Warnings(StatusReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var warnings = new List<string>();
        const string Check = "If scenes were edited meanwhile, check that a worker runs (`plexsync worker`) and see `plexsync failed`";
        var limit = SuccessLimit(report.Schedule);
        if (report.LastSuccess is not { } last)
        {
            warnings.Add("no sync has succeeded and no reconciliation finished in Temporal's retained history. " + Check);
        }
        else if (report.At - last > limit)
        {
            warnings.Add($"no sync has succeeded and no reconciliation finished for more than {Span(limit)} (the last at {last:yyyy-MM-dd HH:mm} UTC). " + Check);
        }

        foreach (var queue in report.Workers.Where(q => q.Pollers == 0))
        {
            warnings.Add(
                $"no worker has polled task queue {queue.TaskQueue} ({queue.Kind}) in the last few minutes: syncs wait until one does. " +
                "Start `plexsync worker` (or `plexsync dev`) with this temporal.task_queue");
        }

        if (report.Running.Oldest.Any(s => s.RetryingOn == ErrorTypes.PlexCircuitOpen))
        {
            warnings.Add("Plex failed repeatedly, so a worker's circuit breaker holds Plex requests back: check that Plex runs; the syncs resume on their own");
        }

        var failed = report.Last24h.GetValueOrDefault(Outcomes.Failed) + report.Last24h.GetValueOrDefault(StatusGatherer.Stopped);
        if (failed > 0)
        {
            warnings.Add($"{failed} {(failed == 1 ? "sync" : "syncs")} failed in the last 24 h: `plexsync failed` lists the scenes and what to do");
        }

        if (report.Spool.Pending > 0)
        {
            warnings.Add(
                $"{report.Spool.Pending} hook events wait in the spool because Temporal was unreachable; the next hook, " +
                "`plexsync worker` at start-up or `plexsync reconcile` sends them");
        }

        return warnings;
    }

    /// <summary>
    /// How long without a successful sync is worth a warning: two schedule intervals and an hour (a finished
    /// reconciliation counts, and the last one is always an interval old while the next still runs; the
    /// PlexSyncNoSuccess alert uses the same 13 h for the default 6 h); a day without an active schedule.
    /// </summary>
    public static TimeSpan SuccessLimit(ScheduleStatus schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return schedule is { Exists: true, Paused: false, Every: { } every } && every > TimeSpan.Zero
            ? (2 * every) + TimeSpan.FromHours(1)
            : StatusGatherer.Day;
    }

    private static string Span(TimeSpan span) => span == StatusGatherer.Day ? "a day" : GoDuration.Format(span);
}
