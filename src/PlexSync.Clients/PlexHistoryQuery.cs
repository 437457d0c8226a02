namespace PlexSync.Clients;

/// <summary>One page of Plex's watch history, oldest first (viewedAt ascending).</summary>
public sealed record PlexHistoryQuery
{
    /// <summary>Gets the earliest viewedAt, in Unix seconds (viewedAt&gt;=).</summary>
    public long MinViewedAt { get; init; }

    /// <summary>Gets the latest viewedAt (viewedAt&lt;=), or null for none.</summary>
    public long? MaxViewedAt { get; init; }

    /// <summary>Gets the one account whose rows are wanted, or null for all the token may see.</summary>
    public string? AccountId { get; init; }

    /// <summary>Gets the one library section whose rows are wanted, or null for all.</summary>
    public string? SectionKey { get; init; }

    public int Start { get; init; }

    public int Size { get; init; } = 100;
}
