using System.CommandLine;
using PlexSync.Workflows;
using Spectre.Console;
using Temporalio.Client;

namespace PlexSync.Commands;

/// <summary>`plexsync sync --scene ID... [--wait]`.</summary>
internal sealed class SyncCommand : PlexSyncCommand
{
    private static readonly Option<string[]> SceneOption = new("--scene", "-s")
    {
        Description = "Stash scene ID to sync (repeat, or separate with commas)",
        Required = true,
        AllowMultipleArgumentsPerToken = true,
        CustomParser = OptionValues.SceneIds,
    };

    private static readonly Option<bool> WaitOption = new("--wait", "-w")
    {
        Description = "Wait for the syncs and print their outcomes; exit status 1 if any failed",
    };

    private static readonly Option<bool> DryRunOption = DryRunOutput.CreateOption();

    public SyncCommand()
        : base("sync", "Sync Stash scenes to Plex now")
    {
        Description =
            """
            Ask Temporal to sync the given Stash scenes to Plex now. A scene whose sync is already
            running gets one more pass with fresh data instead of a second sync. Without --wait the
            command returns once Temporal has the request; the worker does the rest.

            With --dry-run nothing is asked of Temporal: this process reads the scenes and their Plex
            items with the sync's own code and prints what the sync would change.
            """;
        Options.Add(SceneOption);
        Options.Add(WaitOption);
        Options.Add(DryRunOption);
        SetAction(RunAsync);
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var dryRun = parse.GetValue(DryRunOption);
        var context = CommandContext.Load(parse, needPlex: dryRun);
        var ids = parse.GetValue(SceneOption)!;
        if (dryRun)
        {
            var input = new ReconcileInput { Scope = ReconcileScopes.Ids, Ids = ids, PageSize = context.Config.Reconcile.PageSize };
            return await DryRunOutput.RunAsync(context, input, cancellationToken);
        }

        var client = await context.ConnectAsync(cancellationToken);
        var handles = new List<WorkflowHandle<SceneSyncWorkflow, SceneSyncResult>>();
        foreach (var id in ids)
        {
            handles.Add(await SyncStarter.StartAsync(client, context.Config.Temporal.TaskQueue, id, SyncReasons.Manual, cancellationToken));
            AnsiConsole.MarkupLineInterpolated($"Sync of scene {id} requested: workflow [bold]{SceneSyncWorkflow.WorkflowId(id)}[/]");
        }

        if (!parse.GetValue(WaitOption))
        {
            return ExitCodes.Success;
        }

        try
        {
            var rows = await WaitWithProgressAsync(handles, cancellationToken);
            OutcomeTable.Write(rows);
            AnsiConsole.WriteLine(OutcomeTable.Counts(rows));
            return rows.Any(r => r.Failed) ? ExitCodes.Failure : ExitCodes.Success;
        }
        catch (OperationCanceledException)
        {
            // Stopping to wait stops nothing else: the syncs are durable in Temporal.
            AnsiConsole.WriteLine("Stopped waiting. The syncs go on in Temporal; see the Web UI or `plexsync sync --wait` again.");
            return ExitCodes.Interrupted;
        }
    }

    // A bar while the syncs run (on a terminal; in a log, a line at 25, 50, 75 and 100 %).
    private static async Task<OutcomeRow[]> WaitWithProgressAsync(
        List<WorkflowHandle<SceneSyncWorkflow, SceneSyncResult>> handles, CancellationToken cancellationToken) =>
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("Syncing scenes", maxValue: handles.Count);
                return await Task.WhenAll(handles.Select(async handle =>
                {
                    var row = await OutcomeRows.WaitAsync(handle, cancellationToken);
                    task.Increment(1);
                    return row;
                }));
            });

}
