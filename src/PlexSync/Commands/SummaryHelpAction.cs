using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace PlexSync.Commands;

/// <summary>
/// The help option's action: the standard help, with each subcommand listed by its one-line
/// <see cref="PlexSyncCommand.Summary"/> rather than its whole description.
/// </summary>
internal sealed class SummaryHelpAction(HelpAction standard) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    /// <summary>Puts this action on <paramref name="root"/>'s help option, which every subcommand shares.</summary>
    public static void Use(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new SummaryHelpAction((HelpAction)help.Action!);
    }

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var listed = parseResult.CommandResult.Command.Subcommands.OfType<PlexSyncCommand>().Select(c => (Command: c, c.Description)).ToList();
        foreach (var (command, _) in listed)
        {
            command.Description = command.Summary;
        }

        try
        {
            return standard.Invoke(parseResult);
        }
        finally
        {
            foreach (var (command, description) in listed)
            {
                command.Description = description;
            }
        }
    }
}
