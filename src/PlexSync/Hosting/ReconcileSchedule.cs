using PlexSync.Configuration;
using PlexSync.Workflows;
using Serilog;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Client.Schedules;
using Temporalio.Exceptions;

namespace PlexSync.Hosting;

/// <summary>
/// PlexSync's one reconciliation schedule: a Temporal Schedule that starts the Reconcile workflow
/// periodically, so that what the hooks missed (Stash down, plugin disabled, edits made elsewhere)
/// still reaches Plex.
/// </summary>
internal static class ReconcileSchedule
{
    /// <summary>The schedule's ID: one per Temporal namespace, whoever set it.</summary>
    public const string Id = "plexsync-reconcile";

    /// <summary>
    /// The workflow ID its runs start with; Temporal appends the scheduled time
    /// ("plexsync-reconcile-2026-01-02T03:04:05Z"), so runs never collide with `plexsync reconcile` ("reconcile").
    /// </summary>
    public const string WorkflowIdPrefix = Id;

    /// <summary>The note of a schedule a worker created, shown by `schedule show` and the Web UI.</summary>
    public const string DefaultNote = "Created by a PlexSync worker at start-up (reconcile.schedule); change it with `plexsync schedule set`";

    /// <summary>The note of a schedule set with `plexsync schedule set`.</summary>
    public const string SetNote = "Set with `plexsync schedule set`";

    /// <summary>What <see cref="SetAsync"/> did.</summary>
    internal enum SetResult
    {
        Created,
        Updated,
    }

    /// <summary>What <see cref="EnsureDefaultAsync"/> found or did.</summary>
    internal enum DefaultResult
    {
        /// <summary>None existed; the default was created.</summary>
        Created,

        /// <summary>One existed (the user's, or another worker's): left as it is.</summary>
        Exists,

        /// <summary>reconcile.schedule is off.</summary>
        Off,

        /// <summary>Temporal refused (e.g. no permission for schedules); the worker runs on without it.</summary>
        Failed,
    }

    /// <summary>The recent scope's window: twice the interval, so that a run that starts late, or is skipped because the previous one still runs, leaves no scene unchecked.</summary>
    public static TimeSpan Window(TimeSpan every) => every * 2;

    /// <summary>The reconciliation a scheduled run performs.</summary>
    public static ReconcileInput Input(TimeSpan every, string scope, ReconcileConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var input = new ReconcileInput { Scope = scope, PageSize = config.PageSize, Concurrency = config.Concurrency };
        return scope == ReconcileScopes.Recent ? input with { Window = Window(every) } : input;
    }

    /// <summary>
    /// The schedule: every <paramref name="every"/> from <paramref name="now"/> (the first run one interval
    /// after it is set, never by chance at once), runs never overlapping.
    /// </summary>
    public static Schedule Build(TimeSpan every, string scope, PlexSyncConfig config, DateTimeOffset now, string note)
    {
        ArgumentNullException.ThrowIfNull(config);
        var input = Input(every, scope, config.Reconcile);
        var action = ScheduleActionStartWorkflow.Create(
            (ReconcileWorkflow wf) => wf.RunAsync(input),
            new WorkflowOptions(WorkflowIdPrefix, config.Temporal.TaskQueue)
            {
                StaticSummary = "Scheduled reconciliation of Stash with Plex (" + Describe(input) + ")",
            });

        // Interval times are epoch + n * every + offset: an offset of now's phase starts the count now.
        var phase = TimeSpan.FromTicks((now - DateTimeOffset.UnixEpoch).Ticks % every.Ticks);
        return new Schedule(action, new ScheduleSpec { Intervals = [new ScheduleIntervalSpec(every, phase)] })
        {
            Policy = new SchedulePolicy
            {
                // A reconciliation that outlasts the interval is not joined by a second one.
                Overlap = ScheduleOverlapPolicy.Skip,

                // After the server was down (a laptop asleep), one catch-up run, not one per missed interval.
                CatchupWindow = every,

                // A failed run (Stash down for a day) must not stop the next ones.
                PauseOnFailure = false,
            },
            State = new ScheduleState { Note = note },
        };
    }

    /// <summary>Creates the schedule, or replaces an existing one's spec, action and policy (and unpauses it).</summary>
    public static async Task<SetResult> SetAsync(ITemporalClient client, Schedule schedule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var rpc = new RpcOptions { CancellationToken = cancellationToken };
        try
        {
            await client.CreateScheduleAsync(Id, schedule, new ScheduleOptions { Rpc = rpc });
            return SetResult.Created;
        }
        catch (ScheduleAlreadyRunningException)
        {
            // It exists: change it in place, which keeps its history of recent runs.
            await client.GetScheduleHandle(Id).UpdateAsync(_ => new ScheduleUpdate(schedule), rpc);
            return SetResult.Updated;
        }
    }

    /// <summary>
    /// At worker start-up: creates the default schedule (reconcile.schedule, recent scope) when the namespace
    /// has none, so that a fresh install keeps itself in step. Never changes an existing one: the user's
    /// choice wins. Workers starting together race on the create; the losers see it exists.
    /// </summary>
    public static async Task<DefaultResult> EnsureDefaultAsync(ITemporalClient client, PlexSyncConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(config);
        if (config.Reconcile.DefaultInterval() is not { } every)
        {
            Log.Information(
                "reconcile.schedule is off: no reconciliation schedule is created ({ScheduleId} is left as it is, if it exists; see `plexsync schedule show`)",
                Id);
            return DefaultResult.Off;
        }

        var schedule = Build(every, ReconcileScopes.Recent, config, DateTimeOffset.UtcNow, DefaultNote);
        var (result, error) = await ScheduleCreator.CreateIfMissingAsync(client, Id, schedule, cancellationToken);
        if (result == DefaultResult.Exists)
        {
            Log.Information("Reconciliation schedule {ScheduleId} exists; left as it is (see `plexsync schedule show`)", Id);
            return result;
        }

        if (result == DefaultResult.Failed)
        {
            Log.Warning(
                "Could not create the reconciliation schedule {ScheduleId}: {Error}; the worker runs without it. Create it with `plexsync schedule set --every 6h`",
                Id,
                error);
            return result;
        }

        Log.Information(
            "Created the reconciliation schedule {ScheduleId}: every {Every}, the scenes updated within {Window} (reconcile.schedule). " +
            "Change it with `plexsync schedule set --every DURATION [--scope recent|all]`; remove it with `plexsync schedule delete` " +
            "and set reconcile.schedule: off so that no worker creates it again",
            Id,
            ScheduleSetting.Short(every),
            ScheduleSetting.Short(Window(every)));
        return DefaultResult.Created;
    }

    /// <summary>One line on what a run checks.</summary>
    public static string Describe(ReconcileInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Scope == ReconcileScopes.Recent
            ? $"recent: the scenes updated within {ScheduleSetting.Short(input.Window)}"
            : "all scenes";
    }
}
