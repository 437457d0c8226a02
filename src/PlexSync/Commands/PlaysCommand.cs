namespace PlexSync.Commands;

/// <summary>`plexsync plays`: plays in Plex reach Stash.</summary>
internal sealed class PlaysCommand : PlexSyncCommand
{
    public PlaysCommand()
        : base("plays", "Bring the plays of Plex's watch history into Stash")
    {
        Description =
            """
            Each completed view in Plex's watch history becomes one Stash play at Plex's time, exactly once
            (README "Plays: Plex → Stash"). A schedule that `worker` and `dev` create (plays.every, default
            5m) does it from the moment it is created; `plexsync plays sync --since 30d` brings earlier plays.
            """;
        Subcommands.Add(new PlaysSyncCommand());
    }
}
