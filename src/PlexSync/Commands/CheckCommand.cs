using System.CommandLine;
using System.Globalization;
using PlexSync.Operations;
using Spectre.Console;

namespace PlexSync.Commands;

/// <summary>`plexsync check [--sample N | --all] [--json]`.</summary>
internal sealed class CheckCommand : PlexSyncCommand
{
    /// <summary>The scenes matched when neither --sample nor --all is given.</summary>
    public const int DefaultSample = 200;

    // Unmatched scenes listed in the table; --json lists them all.
    private const int Listed = 20;

    private static readonly Option<int> SampleOption = new("--sample")
    {
        Description = $"How many scenes (the most recently updated) to match against Plex; default {DefaultSample}",
        DefaultValueFactory = _ => DefaultSample,
        CustomParser = OptionValues.Positive,
    };

    private static readonly Option<bool> AllOption = new("--all")
    {
        Description = "Match every Stash scene",
    };

    private static readonly Option<bool> JsonOption = JsonOutput.CreateOption();

    public CheckCommand()
        : base("check", "Check the setup: Stash, Plex, Temporal, the workers, the schedule, and how scenes match")
    {
        Description =
            """
            Check everything a sync needs, and say what to fix:

              - Stash and Plex answer and take the configured API key and token;
              - the configured Plex sections (plex.sections) exist and hold movies;
              - Temporal answers, PlexSync's search attributes are registered in the namespace,
                a worker polls both task queues (temporal.task_queue and its -plex queue), and the
                reconciliation schedule exists (unless reconcile.schedule is off);
              - a sample of Stash scenes (the 200 most recently updated; --all for every one) is
                matched to Plex items as a sync matches them: how many by path, by file name only,
                ambiguous (several items fit), not in Plex, or invalid. The unmatched are listed, and
                when path mappings would make them match, the mappings are suggested.

            Nothing is written anywhere. Exit status 1 when something needs fixing (a failed check or
            a scene that does not match), else 0; --json prints the report for scripts.
            """;
        Options.Add(SampleOption);
        Options.Add(AllOption);
        Options.Add(JsonOption);
        SetAction(RunAsync);
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var sample = parse.GetValue(AllOption) ? int.MaxValue : parse.GetValue(SampleOption);
        var context = CommandContext.Load(parse, needPlex: true);
        using var clients = new DirectClients(context.Config);
        var report = await SetupCheck.RunAsync(
            context.Config, clients.Planner, clients.Stash, clients.Plex, sample, CommandContext.LoggerFactory(), cancellationToken);
        if (parse.GetValue(JsonOption))
        {
            JsonOutput.Write(report, CliJsonContext.Default.SetupReport);
        }
        else
        {
            Write(report);
        }

        return report.NeedsFixing ? ExitCodes.Failure : ExitCodes.Success;
    }

    private static void Write(SetupReport report)
    {
        var table = new Table().RoundedBorder().AddColumn("Check").AddColumn("").AddColumn("Detail");
        foreach (var line in report.Checks)
        {
            table.AddRow(Markup.Escape(line.Name), line.Ok ? "[green]ok[/]" : "[red]FIX[/]", Markup.Escape(line.Detail));
        }

        AnsiConsole.Write(table);
        if (report.Matching is not { } m)
        {
            AnsiConsole.WriteLine("Matching not checked: Stash and the Plex sections must pass first.");
            return;
        }

        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Matched {m.Sampled} of Stash's {m.InStash} scenes against Plex:"));
        var counts = new Table().RoundedBorder().AddColumn("Scenes").AddColumn(new TableColumn("Count").RightAligned());
        foreach (var (label, value) in new[]
        {
            ("matched by path", m.ByPath),
            ("matched by file name only", m.ByName),
            (MatchSurvey.Ambiguous + " (several Plex items fit)", m.Count(MatchSurvey.Ambiguous)),
            (MatchSurvey.NotInPlex, m.Count(MatchSurvey.NotInPlex)),
            (MatchSurvey.Invalid + " (Stash data a sync refuses)", m.Count(MatchSurvey.Invalid)),
        })
        {
            counts.AddRow(Markup.Escape(label), value.ToString(CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(counts);
        WriteUnmatched(m);

        if (m.Suggestion is { } s)
        {
            AnsiConsole.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"These path mappings would make {s.Matched} of the {s.Sampled} sampled scenes match by path (now {m.ByPath}); put them in path_mappings:"));
            AnsiConsole.WriteLine(ConfigWriter.MappingsYaml(s.Mappings));
        }
    }

    private static void WriteUnmatched(MatchSurvey m)
    {
        if (m.AllMatched)
        {
            AnsiConsole.WriteLine("All sampled scenes match a Plex item.");
            return;
        }

        var unmatched = new Table().RoundedBorder().AddColumn("Scene").AddColumn("File").AddColumn("Why");
        foreach (var u in m.Unmatched.Take(Listed))
        {
            unmatched.AddRow(Markup.Escape(u.SceneId), Markup.Escape(u.File), Markup.Escape(u.Detail));
        }

        AnsiConsole.Write(unmatched);
        if (m.Unmatched.Count > Listed)
        {
            AnsiConsole.WriteLine($"... and {m.Unmatched.Count - Listed} more (--json lists them all).");
        }
    }
}
