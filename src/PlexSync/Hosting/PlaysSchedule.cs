using PlexSync.Configuration;
using PlexSync.Workflows;
using Serilog;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Client.Schedules;

namespace PlexSync.Hosting;

/// <summary>
/// The plays schedule: a Temporal Schedule that runs <see cref="PlaysWorkflow"/> every plays.every, created by `worker`
/// and `dev` when missing. Its action's argument holds the cursor the first run starts from (the creation time: never
/// Plex's whole history); every later run starts from the cursor of the last completed one, which Temporal keeps for
/// the schedule. Deleting it forgets the cursor: a new one starts from its own creation.
/// </summary>
internal static class PlaysSchedule
{
    /// <summary>The name of the schedule, and of what is one per task queue (the backfill workflow).</summary>
    public const string Name = "plexsync-plays";

    /// <summary>The note of a schedule a worker created, shown in the Web UI.</summary>
    public const string DefaultNote = "Created by a PlexSync worker at start-up (plays.every): reads Plex's watch history into Stash plays";

    /// <summary>The schedule's ID: one per installation (task queue), since each has its own cursor; the default queue's is plain.</summary>
    public static string Id(string taskQueue) => Scoped(Name, taskQueue);

    /// <summary>A name made one per task queue: the default queue's is the name itself.</summary>
    public static string Scoped(string name, string taskQueue) => taskQueue == new TemporalConfig().TaskQueue ? name : $"{name}@{taskQueue}";

    /// <summary>
    /// The schedule: every <paramref name="every"/> from <paramref name="now"/>, runs never overlapping (one that outlasts
    /// the interval is not joined by a second), one catch-up run after downtime, and a failed run never pausing it.
    /// </summary>
    public static Schedule Build(TimeSpan every, PlexSyncConfig config, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(config);
        var taskQueue = config.Temporal.TaskQueue;
        var input = new PlaysInput { Mode = PlaysModes.Scheduled, Cursor = PlaysCursor.From(now), PageSize = config.Plays.PageSize };
        var action = ScheduleActionStartWorkflow.Create(
            (PlaysWorkflow wf) => wf.RunAsync(input),
            new WorkflowOptions(Id(taskQueue), taskQueue) { StaticSummary = "Read Plex's watch history into Stash plays (plays.every)" });
        var phase = TimeSpan.FromTicks((now - DateTimeOffset.UnixEpoch).Ticks % every.Ticks);
        return new Schedule(action, new ScheduleSpec { Intervals = [new ScheduleIntervalSpec(every, phase)] })
        {
            Policy = new SchedulePolicy { Overlap = ScheduleOverlapPolicy.Skip, CatchupWindow = every, PauseOnFailure = false },
            State = new ScheduleState { Note = DefaultNote },
        };
    }

    /// <summary>At worker start-up: creates the plays schedule when plays.every is on and there is none; never changes one.</summary>
    public static async Task<ReconcileSchedule.DefaultResult> EnsureDefaultAsync(ITemporalClient client, PlexSyncConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var id = Id(config.Temporal.TaskQueue);
        if (config.Plays.DefaultInterval() is not { } every)
        {
            Log.Information("plays.every is off: no plays schedule is created ({ScheduleId} is left as it is, if it exists)", id);
            return ReconcileSchedule.DefaultResult.Off;
        }

        var (result, error) = await ScheduleCreator.CreateIfMissingAsync(client, id, Build(every, config, DateTimeOffset.UtcNow), cancellationToken);
        switch (result)
        {
            case ReconcileSchedule.DefaultResult.Created:
                Log.Information(
                    "Created the plays schedule {ScheduleId}: every {Every}, Plex's plays from now on reach Stash (plays.every). " +
                    "Earlier plays: `plexsync plays sync --since 30d`",
                    id,
                    ScheduleSetting.Short(every));
                break;
            case ReconcileSchedule.DefaultResult.Exists:
                Log.Information("Plays schedule {ScheduleId} exists; left as it is", id);
                break;
            default:
                Log.Warning("Could not create the plays schedule {ScheduleId}: {Error}; plays reach Stash only with `plexsync plays sync --since`", id, error);
                break;
        }

        return result;
    }
}
