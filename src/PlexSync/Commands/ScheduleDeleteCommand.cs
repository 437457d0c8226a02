using System.CommandLine;
using PlexSync.Configuration;
using PlexSync.Hosting;
using Spectre.Console;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace PlexSync.Commands;

/// <summary>`plexsync schedule delete`.</summary>
internal sealed class ScheduleDeleteCommand : PlexSyncCommand
{
    public ScheduleDeleteCommand()
        : base("delete", "Delete the reconciliation schedule (a running reconciliation goes on)")
    {
        Description =
            $"""
            Delete the reconciliation schedule ("{ReconcileSchedule.Id}"). A reconciliation it already
            started goes on to its end (see the Temporal Web UI).

            Workers create the default schedule at start-up when there is none, so to keep it deleted
            also set reconcile.schedule: off in the config (or PLEXSYNC_RECONCILE_SCHEDULE=off) of
            every worker. To stop runs for a while instead, pause it in the Temporal Web UI.
            """;
        SetAction(RunAsync);
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var context = CommandContext.Load(parse, needPlex: false);
        var client = await context.ConnectAsync(cancellationToken);
        try
        {
            await client.GetScheduleHandle(ReconcileSchedule.Id).DeleteAsync(new RpcOptions { CancellationToken = cancellationToken });
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
        {
            throw ScheduleCommand.NoSchedule(e);
        }

        AnsiConsole.WriteLine($"Schedule {ReconcileSchedule.Id} deleted; a reconciliation it started goes on to its end.");
        AnsiConsole.WriteLine(context.Config.Reconcile.DefaultInterval() is null
            ? "reconcile.schedule is off here, so workers with this config will not create it again."
            : "Workers create the default schedule again at their next start: set reconcile.schedule: off in their config (or PLEXSYNC_RECONCILE_SCHEDULE=off) to keep it deleted.");
        return ExitCodes.Success;
    }
}
