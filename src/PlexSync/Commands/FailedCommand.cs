using System.CommandLine;
using PlexSync.Operations;
using Spectre.Console;

namespace PlexSync.Commands;

/// <summary>`plexsync failed [--limit N] [--json]`.</summary>
internal sealed class FailedCommand : PlexSyncCommand
{
    private static readonly Option<int> LimitOption = new("--limit")
    {
        Description = "List at most this many scenes, most recent failure first",
        DefaultValueFactory = _ => FailedSyncs.DefaultLimit,
        CustomParser = OptionValues.Positive,
    };

    private static readonly Option<bool> JsonOption = JsonOutput.CreateOption();

    private static readonly Option<bool> PlaysOption = new("--plays")
    {
        Description = "List the Plex plays that did not reach Stash instead: unmatched, ambiguous or failed, with the reason",
    };

    public FailedCommand()
        : base("failed", "List the scenes whose latest sync failed, why, and what to do")
    {
        Description =
            """
            List the scenes whose latest sync failed: one row per scene, with the error type and the
            message of the failure's root cause (e.g. InvalidScene naming the field), when it failed,
            and what to do about that error type. A scene whose sync failed and then succeeded, or
            whose sync is running again, is not listed.

            Failed means failed, timed out, terminated or cancelled: exactly what `plexsync retry`
            re-runs. The list comes from Temporal, so it covers the namespace's retention (30 days
            with `plexsync dev`). Fix the cause, then run `plexsync retry --scene ID` or
            `plexsync retry --all-failed`.

            With --plays it lists the Plex plays that did not reach Stash instead: unmatched (no Stash
            scene has the file), ambiguous (several do) or failed, each with the reason; `plexsync retry
            --plays` runs them again once the cause is fixed.
            """;
        Options.Add(LimitOption);
        Options.Add(JsonOption);
        Options.Add(PlaysOption);
        SetAction(RunAsync);
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var limit = parse.GetValue(LimitOption);
        var context = CommandContext.Load(parse, needPlex: false);
        var client = await context.ConnectAsync(cancellationToken);
        if (parse.GetValue(PlaysOption))
        {
            return await FailedPlaysOutput.ListAsync(client, limit, parse.GetValue(JsonOption), cancellationToken);
        }

        var failed = await FailedSyncs.FindAsync(client, limit, cancellationToken);
        if (parse.GetValue(JsonOption))
        {
            JsonOutput.Write(failed, CliJsonContext.Default.IReadOnlyListFailedSync);
            return ExitCodes.Success;
        }

        if (failed.Count == 0)
        {
            AnsiConsole.WriteLine("No failed syncs: every scene's latest sync succeeded or is running.");
            return ExitCodes.Success;
        }

        var now = DateTime.UtcNow;
        var table = new Table().RoundedBorder().AddColumn("Scene").AddColumn("Error").AddColumn("Failed at").AddColumn("Message");
        foreach (var f in failed)
        {
            table.AddRow(Markup.Escape(f.SceneId), $"[red]{Markup.Escape(f.ErrorType)}[/]", Markup.Escape(JsonOutput.Ago(f.FailedAt, now)), Markup.Escape(f.Message));
        }

        AnsiConsole.Write(table);
        AnsiConsole.WriteLine("What to do:");
        foreach (var type in failed.Select(f => f.ErrorType).Distinct(StringComparer.Ordinal))
        {
            AnsiConsole.WriteLine($"  {type}: {FailureHints.For(type)}");
        }

        AnsiConsole.WriteLine(failed.Count == limit
            ? $"Showing the {limit} most recent; --limit shows more."
            : $"{failed.Count} {(failed.Count == 1 ? "scene" : "scenes")}.");
        AnsiConsole.WriteLine("After fixing the cause: `plexsync retry --scene ID` or `plexsync retry --all-failed`.");
        return ExitCodes.Success;
    }
}
