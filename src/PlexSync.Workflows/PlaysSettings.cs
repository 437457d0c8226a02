namespace PlexSync.Workflows;

/// <summary>What the plays activities need besides their clients: whose plays, and whether resume points are copied too.</summary>
public sealed record PlaysSettings
{
    /// <summary>The Plex account ID of the server's owner.</summary>
    public const string Owner = "1";

    /// <summary>Gets the Plex accounts whose plays reach Stash, by ID (digits) or name.</summary>
    public IReadOnlyList<string> Accounts { get; init; } = [Owner];

    /// <summary>Gets a value indicating whether the resume points of items in progress are copied to Stash.</summary>
    public bool Resume { get; init; }
}
