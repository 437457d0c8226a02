using PlexSync.Workflows;

namespace PlexSync.Configuration;

/// <summary>Plays in Plex reach Stash: the schedule that reads Plex's watch history, whose plays, and the resume points.</summary>
internal sealed class PlaysConfig
{
    /// <summary>The default of <see cref="Every"/>.</summary>
    public const string DefaultEvery = "5m";

    /// <summary>
    /// Gets or sets the interval of the plays schedule that `worker` and `dev` create at start-up when there is none
    /// ("5m"), or "off" to create none. An existing schedule is never touched.
    /// </summary>
    public string Every { get; set; } = DefaultEvery;

    /// <summary>Gets or sets the Plex accounts whose plays reach Stash: IDs (1 is the server owner) or names.</summary>
    public List<string> Accounts { get; set; } = [PlaysSettings.Owner];

    /// <summary>Gets or sets whether the resume points of items in progress are copied to Stash too.</summary>
    public bool Resume { get; set; }

    /// <summary>Gets or sets how many history rows are read from Plex per request.</summary>
    public int PageSize { get; set; } = PlaysInput.DefaultPageSize;
}
