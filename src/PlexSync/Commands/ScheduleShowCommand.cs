using System.CommandLine;
using System.Globalization;
using PlexSync.Configuration;
using PlexSync.Hosting;
using PlexSync.Workflows;
using Spectre.Console;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Client.Schedules;
using Temporalio.Converters;
using Temporalio.Exceptions;

namespace PlexSync.Commands;

/// <summary>`plexsync schedule show`.</summary>
internal sealed class ScheduleShowCommand : PlexSyncCommand
{
    private const int NextRuns = 3;

    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(3);

    public ScheduleShowCommand()
        : base("show", "Show the reconciliation schedule, its next runs and its recent runs with their outcome")
    {
        Description =
            $"""
            Show the reconciliation schedule ("{ReconcileSchedule.Id}"): its interval and scope, who set
            it, whether it is paused, its next runs, and its recent runs (up to 10) with their outcome:
            the counts of a completed reconciliation, the error of a failed one, or the progress of a
            running one. Times are local. Exit status 1 when there is no schedule.
            """;
        SetAction(RunAsync);
    }

    /// <summary>A time as show prints it: local, to the second, with the offset.</summary>
    public static string Time(DateTimeOffset time) =>
        time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var context = CommandContext.Load(parse, needPlex: false);
        var client = await context.ConnectAsync(cancellationToken);
        var rpc = new RpcOptions { CancellationToken = cancellationToken };
        ScheduleDescription description;
        try
        {
            description = await client.GetScheduleHandle(ReconcileSchedule.Id).DescribeAsync(rpc);
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
        {
            throw ScheduleCommand.NoSchedule(e);
        }

        await WriteScheduleAsync(description.Schedule);
        await WriteRunsAsync(client, description, rpc);
        return ExitCodes.Success;
    }

    // What the schedule is: its interval, what it runs, its overlap policy and note.
    private static async Task WriteScheduleAsync(Schedule schedule)
    {
        var state = schedule.State.Paused ? "paused" : "active";
        Line("Schedule", $"{ReconcileSchedule.Id} ({state})");
        foreach (var interval in schedule.Spec.Intervals)
        {
            Line("Every", ScheduleSetting.Short(interval.Every));
        }

        if (schedule.Action is ScheduleActionStartWorkflow action)
        {
            Line("Runs", $"{action.Workflow} on task queue {action.Options.TaskQueue}: {await DescribeAsync(action)}");
        }

        Line("Overlap", schedule.Policy.Overlap == ScheduleOverlapPolicy.Skip ? "skip (a run due while one is going is skipped)" : schedule.Policy.Overlap.ToString());
        if (!string.IsNullOrEmpty(schedule.State.Note))
        {
            Line("Note", schedule.State.Note);
        }
    }

    // When it runs next, how often it ran, and how its recent runs ended.
    private static async Task WriteRunsAsync(ITemporalClient client, ScheduleDescription description, RpcOptions rpc)
    {
        var schedule = description.Schedule;
        var info = description.Info;
        foreach (var next in info.NextActionTimes.Take(schedule.State.Paused ? 0 : NextRuns))
        {
            Line("Next", Time(new DateTimeOffset(next, TimeSpan.Zero)));
        }

        Line("Counts", string.Create(
            CultureInfo.InvariantCulture,
            $"{info.NumActions} started, {info.NumActionsSkippedOverlap} skipped (overlap), {info.NumActionsMissedCatchupWindow} missed (server down)"));
        if (info.RecentActions.Count == 0)
        {
            Line("Recent", "no runs yet");
        }

        foreach (var recent in info.RecentActions.Reverse())
        {
            if (recent.Action is ScheduleActionExecutionStartWorkflow started)
            {
                var outcome = await OutcomeAsync(client, started.WorkflowId, rpc);
                Line("Ran", $"{Time(new DateTimeOffset(recent.StartedAt, TimeSpan.Zero))}  {started.WorkflowId}  {outcome}");
            }
        }
    }

    private static void Line(string label, string value) => AnsiConsole.WriteLine($"{label + ":",-10}{value}");

    // The workflow's argument, as the schedule stores it: what the runs check.
    private static async Task<string> DescribeAsync(ScheduleActionStartWorkflow action)
    {
        if (action.Args.FirstOrDefault() is IEncodedRawValue raw)
        {
            var input = await raw.ToValueAsync<ReconcileInput>();
            return string.Create(CultureInfo.InvariantCulture, $"{ReconcileSchedule.Describe(input)}, pages of {input.PageSize}, {input.Concurrency} syncs at once");
        }

        return "(arguments not readable)";
    }

    // The outcome of one scheduled run; the workflow ID without a run ID names the latest run of a
    // reconciliation that continued as new.
    private static async Task<string> OutcomeAsync(ITemporalClient client, string workflowId, RpcOptions rpc)
    {
        var handle = client.GetWorkflowHandle<ReconcileWorkflow, ReconcileProgress>(workflowId);
        try
        {
            var description = await handle.DescribeAsync(new WorkflowDescribeOptions { Rpc = rpc });
            switch (description.Status)
            {
                case WorkflowExecutionStatus.Completed:
                    var done = await handle.GetResultAsync(rpcOptions: rpc);
                    return string.Create(CultureInfo.InvariantCulture, $"completed: {done.Seen} checked, {done.Changed} differed, {done.Synced} synced, {done.Failed} failed");
                case WorkflowExecutionStatus.Running:
                    return await RunningAsync(handle, rpc);
                case WorkflowExecutionStatus.Failed:
                    try
                    {
                        await handle.GetResultAsync(rpcOptions: rpc);
                    }
                    catch (WorkflowFailedException e)
                    {
                        var cause = e.InnerException is ApplicationFailureException app ? $"{app.ErrorType}: {app.Message}" : e.InnerException?.Message ?? e.Message;
                        return "failed: " + cause;
                    }

                    return "failed";
                default:
                    return description.Status.ToString().ToLowerInvariant();
            }
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
        {
            return "no longer kept by Temporal (past the namespace's retention)";
        }
    }

    private static async Task<string> RunningAsync(WorkflowHandle<ReconcileWorkflow, ReconcileProgress> handle, RpcOptions rpc)
    {
        try
        {
            // A query waits for a worker to answer; without one show must not hang.
            var bounded = new RpcOptions { CancellationToken = rpc.CancellationToken, Timeout = QueryTimeout };
            var progress = await handle.QueryAsync(wf => wf.Progress, new WorkflowQueryOptions { Rpc = bounded });
            return string.Create(CultureInfo.InvariantCulture, $"running: {progress.Seen} checked so far, {progress.Changed} differed");
        }
        catch (Exception e) when (e is RpcException or WorkflowQueryFailedException)
        {
            // No worker is up to answer, or the run is between continue-as-new runs.
            return "running (no worker answered the progress query)";
        }
    }
}
