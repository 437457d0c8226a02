using System.Globalization;
using PlexSync.Operations;
using PlexSync.Workflows;

namespace PlexSync.Commands;

/// <summary>The plays rows of `plexsync status`.</summary>
internal static class PlaysStatusOutput
{
    public static IEnumerable<(string Label, string Value)> Rows(PlaysStatus? plays, DateTime now)
    {
        if (plays is null)
        {
            yield break;
        }

        var schedule = plays.Schedule;
        yield return ("Plays schedule", schedule.Exists
            ? $"{schedule.Id}: {(schedule.Paused ? "paused" : "active")}" +
                (schedule.NextRun is { } next ? $", next run {next.ToLocalTime():yyyy-MM-dd HH:mm:ss}" : "") +
                (schedule.Every is { } every ? $", every {Configuration.ScheduleSetting.Short(every)}" : "")
            : $"none ({schedule.Id} does not exist: plays.every is off, or no worker has started)");
        yield return ("Plays last run", plays.LastRun switch
        {
            null => "none yet",
            { Progress: { } p } run => $"{JsonOutput.Ago(run.ClosedAt, now)}: recorded up to {run.RecordedUpTo:yyyy-MM-dd HH:mm:ss} UTC; {p.Describe()}",
            var run => $"{JsonOutput.Ago(run.ClosedAt, now)}: {run.Status.ToLowerInvariant()}",
        });
        yield return ("Plays last 24 h", string.Join(", ", PlayOutcomes.All.Select(o =>
            string.Create(CultureInfo.InvariantCulture, $"{plays.Last24h.GetValueOrDefault(o)} {o.Replace('_', ' ')}"))));
    }
}
