using System.CommandLine;
using PlexSync.Operations;
using PlexSync.Workflows;
using Spectre.Console;

namespace PlexSync.Commands;

/// <summary>The `--dry-run` of sync and reconcile: what a sync would write, scene by scene, and nothing written.</summary>
internal static class DryRunOutput
{
    public static Option<bool> CreateOption() => new("--dry-run", "-n")
    {
        Description = "Show what the syncs would change (each field's value in Plex now and after, the poster, the rating) " +
            "and which scenes would fail and why; writes nothing and starts no workflow. Needs plex.token",
    };

    /// <summary>Runs the dry run in this process and prints it; exit status 1 when a scene would fail.</summary>
    public static async Task<int> RunAsync(CommandContext context, ReconcileInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var clients = new DirectClients(context.Config);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            await DryRun.RunAsync(clients.Planner, input, DateTimeOffset.UtcNow, scene =>
            {
                counts[scene.Outcome] = counts.GetValueOrDefault(scene.Outcome) + 1;
                Write(scene);
            }, cancellationToken);
        }
        catch (ConfigMismatchException e)
        {
            throw new UserFacingException(e.Message, e);
        }

        var seen = counts.Values.Sum();
        AnsiConsole.WriteLine(
            $"Dry run: {seen} scenes checked: {counts.GetValueOrDefault(SceneDryRun.WouldChange)} would change, " +
            $"{counts.GetValueOrDefault(SceneDryRun.InStep)} in step, {counts.GetValueOrDefault(SceneDryRun.WouldFail)} would fail, " +
            $"{counts.GetValueOrDefault(SceneDryRun.NotInStash)} not in Stash. Nothing was written.");
        return counts.GetValueOrDefault(SceneDryRun.WouldFail) > 0 ? ExitCodes.Failure : ExitCodes.Success;
    }

    // In-step scenes get no line: a library of thousands would drown the ones that change.
    private static void Write(SceneDryRun scene)
    {
        switch (scene.Outcome)
        {
            case SceneDryRun.WouldFail:
                AnsiConsole.MarkupLineInterpolated($"Scene {scene.SceneId} \"{scene.Title}\": [red]would fail[/]: {scene.Problem}");
                break;
            case SceneDryRun.NotInStash:
                AnsiConsole.MarkupLineInterpolated($"Scene {scene.SceneId}: not in Stash, would be skipped");
                break;
            case SceneDryRun.WouldChange:
                AnsiConsole.MarkupLineInterpolated(
                    $"Scene {scene.SceneId} \"{scene.Title}\" would change Plex item {scene.RatingKey} (matched by {scene.MatchedBy}):");
                if (scene.Changes.Count > 0)
                {
                    var table = new Table().RoundedBorder().AddColumn("Field").AddColumn("Plex now").AddColumn("After the sync");
                    foreach (var change in scene.Changes)
                    {
                        table.AddRow(Markup.Escape(change.Field), Markup.Escape(Shown(change.Now)), Markup.Escape(Shown(change.After)));
                    }

                    AnsiConsole.Write(table);
                }

                if (scene.Poster is not null)
                {
                    AnsiConsole.MarkupLineInterpolated($"  poster: {scene.Poster}");
                }

                break;
        }
    }

    private static string Shown(string value) => value.Length == 0 ? "(empty)" : value;
}
