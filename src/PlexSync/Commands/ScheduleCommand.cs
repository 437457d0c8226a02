using PlexSync.Hosting;
using Temporalio.Exceptions;

namespace PlexSync.Commands;

/// <summary>`plexsync schedule set | show | delete`: the periodic reconciliation.</summary>
internal sealed class ScheduleCommand : PlexSyncCommand
{
    public ScheduleCommand()
        : base("schedule", "Run reconciliations periodically (a Temporal Schedule): set, show, delete")
    {
        Description =
            $"""
            A Temporal Schedule ("{ReconcileSchedule.Id}") starts a reconciliation periodically, to
            catch what the Stash hooks missed (the plugin disabled, a hook that failed, a spool that
            was lost, edits made in Plex). Runs never overlap: one due while the previous is still
            going is skipped.

            `plexsync worker` and `plexsync dev` create one at start-up when there is none: every 6h,
            the scenes updated within 12h (the config key reconcile.schedule sets the interval; "off"
            creates none). An existing schedule is never changed by a worker, so what you set here stays.
            Deleting it lasts only if reconcile.schedule is off, or the next worker start creates the
            default again.
            """;
        Subcommands.Add(new ScheduleSetCommand());
        Subcommands.Add(new ScheduleShowCommand());
        Subcommands.Add(new ScheduleDeleteCommand());
    }

    /// <summary>Turns Temporal's "not found" into what to do.</summary>
    public static UserFacingException NoSchedule(RpcException e) =>
        new($"no reconciliation schedule is set; create one with `plexsync schedule set --every 6h`", e);
}
