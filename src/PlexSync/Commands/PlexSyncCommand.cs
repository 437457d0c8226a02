using System.CommandLine;

namespace PlexSync.Commands;

/// <summary>
/// A plexsync command: its one-line summary goes in its parent's command list (`plexsync --help`), its whole
/// description in its own help (`plexsync COMMAND --help`), as git and dotnet do.
/// </summary>
internal abstract class PlexSyncCommand(string name, string summary) : Command(name, summary)
{
    /// <summary>Gets the one line the parent's help lists the command with.</summary>
    public string Summary { get; } = summary;
}
