using PlexSync.Workflows;
using Spectre.Console;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace PlexSync.Commands;

/// <summary>One scene's outcome as the CLI prints it.</summary>
internal sealed record OutcomeRow(string SceneId, string Outcome, string RatingKey, string Detail, bool Failed)
{
    public static OutcomeRow From(string sceneId, SceneSyncResult result) => new(
        sceneId,
        result.Outcome,
        result.RatingKey,
        result.Outcome == Outcomes.Skipped ? result.SkipReason : string.Join(", ", result.Changed),
        Failed: false);

    public static OutcomeRow Failure(string sceneId, string errorType, string message) =>
        new(sceneId, Outcomes.Failed, "", $"{errorType}: {message}", Failed: true);
}

/// <summary>Renders outcomes as a table.</summary>
internal static class OutcomeTable
{
    public static Table Build(IEnumerable<OutcomeRow> rows)
    {
        var table = new Table().RoundedBorder().AddColumn("Scene").AddColumn("Outcome").AddColumn("Plex item").AddColumn("Changed / why");
        foreach (var row in rows.OrderBy(r => long.TryParse(r.SceneId, out var n) ? n : long.MaxValue))
        {
            var outcome = row.Failed ? $"[red]{row.Outcome}[/]" : Markup.Escape(row.Outcome);
            table.AddRow(Markup.Escape(row.SceneId), outcome, Markup.Escape(row.RatingKey), Markup.Escape(row.Detail));
        }

        return table;
    }

    /// <summary>Writes the table, then each failure in full: a table cell wraps long messages.</summary>
    public static void Write(IReadOnlyCollection<OutcomeRow> rows)
    {
        AnsiConsole.Write(Build(rows));
        foreach (var row in rows.Where(r => r.Failed))
        {
            AnsiConsole.WriteLine($"Scene {row.SceneId} failed: {row.Detail}");
        }
    }

    /// <summary>"39 scenes: 37 synced, 0 unchanged, 1 skipped, 1 failed".</summary>
    public static string Counts(IReadOnlyCollection<OutcomeRow> rows)
    {
        int Count(string outcome) => rows.Count(r => r.Outcome == outcome);
        return $"{rows.Count} scenes: {Count(Outcomes.Synced)} synced, {Count(Outcomes.Unchanged)} unchanged, " +
            $"{Count(Outcomes.Skipped)} skipped, {Count(Outcomes.Failed)} failed";
    }
}

/// <summary>Waits for a sync and turns its result or failure into a row.</summary>
internal static class OutcomeRows
{
    public static async Task<OutcomeRow> WaitAsync(WorkflowHandle<SceneSyncWorkflow, SceneSyncResult> handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var id = SceneSyncWorkflow.SceneIdOf(handle.Id);
        try
        {
            var result = await handle.GetResultAsync(rpcOptions: new RpcOptions { CancellationToken = cancellationToken });
            return OutcomeRow.From(id, result);
        }
        catch (WorkflowFailedException e) when (e.InnerException is ApplicationFailureException failure)
        {
            return OutcomeRow.Failure(id, failure.ErrorType ?? "Failed", failure.Message);
        }
    }
}
