namespace PlexSync.Domain;

/// <summary>
/// The snapshot of one Stash scene that a sync works from. It holds only what the sync needs,
/// so that workflow histories stay small.
/// </summary>
public sealed record Scene
{
    public required string Id { get; init; }

    public string Title { get; init => field = value ?? ""; } = "";

    public string Details { get; init => field = value ?? ""; } = "";

    public string Date { get; init => field = value ?? ""; } = "";

    public int? Rating100 { get; init; }

    public string Studio { get; init => field = value ?? ""; } = "";

    public IReadOnlyList<string> Performers { get; init => field = value ?? []; } = [];

    public IReadOnlyList<string> Tags { get; init => field = value ?? []; } = [];

    public IReadOnlyList<string> Groups { get; init => field = value ?? []; } = [];

    /// <summary>Gets the scene's file paths as Stash sees them; the first is primary.</summary>
    public IReadOnlyList<string> Files { get; init => field = value ?? []; } = [];

    /// <summary>
    /// Gets the Stash screenshot path and query (no host, no credential), or empty when the scene
    /// has no cover of its own: Stash's built-in placeholder must never become a Plex poster.
    /// </summary>
    public string Screenshot { get; init => field = value ?? ""; } = "";

    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Switches each synced field on or off.</summary>
public sealed record SyncFields
{
    public bool Title { get; init; } = true;

    public bool Summary { get; init; } = true;

    public bool Studio { get; init; } = true;

    public bool Date { get; init; } = true;

    public bool Performers { get; init; } = true;

    public bool Tags { get; init; } = true;

    public bool Collections { get; init; } = true;

    public bool Rating { get; init; } = true;

    public bool Poster { get; init; } = true;
}

/// <summary>Options that shape the desired Plex state of a scene.</summary>
public sealed record SceneOptions
{
    /// <summary>The valid <see cref="CollectionSources"/> values.</summary>
    public static readonly IReadOnlyList<string> CollectionSourceNames = ["studio", "groups"];

    public SyncFields Fields { get; init; } = new();

    /// <summary>Gets where Plex collections come from: "studio" and/or "groups".</summary>
    public IReadOnlyList<string> CollectionSources { get; init; } = ["studio"];
}
