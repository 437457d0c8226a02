using System.CommandLine;
using PlexSync.Operations;
using PlexSync.Workflows;
using Spectre.Console;
using Temporalio.Client;

namespace PlexSync.Commands;

/// <summary>`plexsync retry (--scene ID... | --all-failed) [--wait] [--json]`.</summary>
internal sealed class RetryCommand : PlexSyncCommand
{
    private static readonly Option<string[]> SceneOption = new("--scene", "-s")
    {
        Description = "Stash scene ID whose failed sync to run again (repeat, or separate with commas)",
        AllowMultipleArgumentsPerToken = true,
        CustomParser = OptionValues.SceneIds,
    };

    private static readonly Option<bool> AllFailedOption = new("--all-failed")
    {
        Description = "Every scene whose latest sync failed: the scenes `plexsync failed` lists",
    };

    private static readonly Option<bool> WaitOption = new("--wait", "-w")
    {
        Description = "Wait for the retried syncs and print their outcomes; exit status 1 if any failed. Ctrl-C only stops waiting",
    };

    private static readonly Option<bool> JsonOption = JsonOutput.CreateOption();

    private static readonly Option<bool> PlaysOption = new("--plays")
    {
        Description = "Run again the Plex plays `plexsync failed --plays` lists (after fixing a mapping, a file, or Stash); a play Stash has is not added twice",
    };

    public RetryCommand()
        : base("retry", "Run failed scene syncs again")
    {
        Description =
            """
            Run again the syncs of scenes whose latest sync failed (failed, timed out, terminated or
            cancelled), once the cause is fixed: `plexsync failed` lists them with what to do.

            A scene whose latest sync succeeded, or whose sync is running, is left alone and the
            command says so: nothing starts for it. The Temporal server enforces this too (workflow
            ID reuse policy AllowDuplicateFailedOnly), so a sync that succeeds meanwhile is never run
            twice. A scene never synced is not started either: use `plexsync sync` for it.

            Without --wait the command returns once Temporal has the retries; the worker does the
            rest. With --json it prints what it did per scene (and, with --wait, the outcomes).

            With --plays it runs again the Plex plays that `plexsync failed --plays` lists; each counts
            Stash's plays at its time first, so a play Stash has is never added twice.
            """;
        foreach (var option in new Option[] { SceneOption, AllFailedOption, WaitOption, JsonOption, PlaysOption })
        {
            Options.Add(option);
        }

        OptionValues.RequireExactlyOne(this, "give --scene ID (repeatable), --all-failed or --plays, one of them; `plexsync failed` lists the failed scenes, `plexsync failed --plays` the failed plays", SceneOption, AllFailedOption, PlaysOption);
        Validators.Add(result =>
        {
            if (OptionValues.Given(result, PlaysOption) && OptionValues.Given(result, JsonOption))
            {
                result.AddError("--plays prints its own lines: give it without --json");
            }
        });
        SetAction(RunAsync);
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var context = CommandContext.Load(parse, needPlex: false);
        var client = await context.ConnectAsync(cancellationToken);
        var wait = parse.GetValue(WaitOption);
        if (parse.GetValue(PlaysOption))
        {
            return await FailedPlaysOutput.RetryAsync(client, context.Config.Temporal.TaskQueue, wait, cancellationToken);
        }

        var ids = parse.GetValue(AllFailedOption)
            ? [.. (await FailedSyncs.FindAsync(client, int.MaxValue, cancellationToken)).Select(f => f.SceneId)]
            : parse.GetValue(SceneOption)!;
        var json = parse.GetValue(JsonOption);
        var (results, handles) = await StartAsync(client, context.Config.Temporal.TaskQueue, ids, json, cancellationToken);
        if (wait)
        {
            return await WaitAsync(results, handles, json, cancellationToken);
        }

        if (json)
        {
            JsonOutput.Write(new RetryReport(results, null), CliJsonContext.Default.RetryReport);
        }

        return ExitCodes.Success;
    }

    // Asks Temporal to run each scene's sync again; says per scene what it did unless the output is JSON.
    private static async Task<(List<RetryResult> Results, List<WorkflowHandle<SceneSyncWorkflow, SceneSyncResult>> Handles)> StartAsync(
        ITemporalClient client, string taskQueue, string[] ids, bool json, CancellationToken cancellationToken)
    {
        var results = new List<RetryResult>();
        var handles = new List<WorkflowHandle<SceneSyncWorkflow, SceneSyncResult>>();
        foreach (var id in ids)
        {
            var (result, handle) = await SyncRetrier.RetryAsync(client, taskQueue, id, cancellationToken);
            results.Add(result);
            if (handle is not null)
            {
                handles.Add(handle);
            }

            if (!json)
            {
                AnsiConsole.WriteLine(result.Message);
            }
        }

        if (ids.Length == 0 && !json)
        {
            AnsiConsole.WriteLine("No failed syncs to retry.");
        }

        return (results, handles);
    }

    private static async Task<int> WaitAsync(
        List<RetryResult> results, List<WorkflowHandle<SceneSyncWorkflow, SceneSyncResult>> handles, bool json, CancellationToken cancellationToken)
    {
        try
        {
            var rows = await Task.WhenAll(handles.Select(h => OutcomeRows.WaitAsync(h, cancellationToken)));
            if (json)
            {
                JsonOutput.Write(new RetryReport(results, rows), CliJsonContext.Default.RetryReport);
            }
            else if (rows.Length > 0)
            {
                OutcomeTable.Write(rows);
            }

            return rows.Any(r => r.Failed) ? ExitCodes.Failure : ExitCodes.Success;
        }
        catch (OperationCanceledException)
        {
            // Stopping to wait stops nothing else: the retries are durable in Temporal.
            AnsiConsole.WriteLine("Stopped waiting. The retries go on in Temporal; see `plexsync status` or the Web UI.");
            return ExitCodes.Interrupted;
        }
    }
}
