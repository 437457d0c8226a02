using PlexSync.Operations;
using PlexSync.Workflows;
using Spectre.Console;
using Temporalio.Client;

namespace PlexSync.Commands;

/// <summary>`plexsync failed --plays` and `plexsync retry --plays`: the Plex plays that did not reach Stash.</summary>
internal static class FailedPlaysOutput
{
    public static async Task<int> ListAsync(ITemporalClient client, int limit, bool json, CancellationToken cancellationToken)
    {
        var plays = await FailedPlays.FindAsync(client, limit, cancellationToken);
        if (json)
        {
            JsonOutput.Write(plays, CliJsonContext.Default.IReadOnlyListFailedPlay);
            return ExitCodes.Success;
        }

        if (plays.Count == 0)
        {
            AnsiConsole.WriteLine("Every Plex play read reached Stash (none is unmatched, ambiguous or failed).");
            return ExitCodes.Success;
        }

        var table = new Table().RoundedBorder().AddColumn("Played at").AddColumn("Plex item").AddColumn("Scene").AddColumn("Outcome").AddColumn("Reason");
        foreach (var p in plays)
        {
            table.AddRow(
                Markup.Escape(PlayTimes.Show(p.ViewedAt)),
                Markup.Escape(p.RatingKey.Length > 0 ? p.RatingKey : "(deleted)"),
                Markup.Escape(p.SceneId.Length > 0 ? p.SceneId : "-"),
                $"[red]{Markup.Escape(p.Outcome)}[/]",
                Markup.Escape(p.Reason));
        }

        AnsiConsole.Write(table);
        AnsiConsole.WriteLine("Unmatched: no Stash scene has the file (check path_mappings, or the file is no scene).");
        AnsiConsole.WriteLine("Ambiguous: several scenes have a file of that name (add a path mapping so that the full path matches).");
        AnsiConsole.WriteLine("After fixing the cause: `plexsync retry --plays` (a play Stash has is never added twice).");
        return ExitCodes.Success;
    }

    public static async Task<int> RetryAsync(ITemporalClient client, string taskQueue, bool wait, CancellationToken cancellationToken)
    {
        var plays = await FailedPlays.FindAsync(client, int.MaxValue, cancellationToken);
        var started = new List<string>();
        foreach (var play in plays)
        {
            var result = await PlayRetrier.RetryAsync(client, taskQueue, play, cancellationToken);
            AnsiConsole.WriteLine(result.Message);
            if (result.Action == RetryActions.Started)
            {
                started.Add(play.WorkflowId);
            }
        }

        if (plays.Count == 0)
        {
            AnsiConsole.WriteLine("No plays to retry: every Plex play read reached Stash.");
        }

        if (!wait)
        {
            return ExitCodes.Success;
        }

        var failed = false;
        foreach (var id in started)
        {
            try
            {
                var result = await client.GetWorkflowHandle<RecordPlayWorkflow, RecordPlayResult>(id)
                    .GetResultAsync(rpcOptions: new RpcOptions { CancellationToken = cancellationToken });
                AnsiConsole.WriteLine($"play {id}: {result.Outcome}{(result.Reason.Length > 0 ? ": " + result.Reason : "")}");
            }
            catch (Temporalio.Exceptions.WorkflowFailedException e)
            {
                failed = true;
                var cause = FailureCause.Of(e);
                AnsiConsole.WriteLine($"play {id}: failed: {cause.ErrorType}: {cause.Message}");
            }
        }

        return failed ? ExitCodes.Failure : ExitCodes.Success;
    }
}
