namespace PlexSync.Simulators;

/// <summary>The image type of a scene's cover.</summary>
public enum StashCoverFormat
{
    Jpeg,
    Png,
}

/// <summary>A scene as the simulated Stash stores it. Names of studio, performers, tags and groups stand for the objects.</summary>
public sealed record StashScene
{
    public int Id { get; init; }

    public string? Title { get; set; }

    public string? Code { get; set; }

    public string? Details { get; set; }

    public string? Director { get; set; }

    /// <summary>YYYY-MM-DD or null.</summary>
    public string? Date { get; set; }

    /// <summary>1..100 or null.</summary>
    public int? Rating100 { get; set; }

    public bool Organized { get; set; }

    public string? Studio { get; set; }

    /// <summary>Parent of <see cref="Studio"/>, if any.</summary>
    public string? ParentStudio { get; set; }

    public List<string> Performers { get; set; } = [];

    public List<string> Tags { get; set; } = [];

    public List<string> Groups { get; set; } = [];

    public List<string> Urls { get; set; } = [];

    /// <summary>File paths as Stash sees them; the first is the primary file.</summary>
    public List<string> Files { get; set; } = [];

    /// <summary>False: Stash serves its SVG placeholder as the screenshot.</summary>
    public bool HasCover { get; set; } = true;

    public StashCoverFormat CoverFormat { get; set; }

    /// <summary>Changes the cover bytes, like a new cover in Stash.</summary>
    public int ImageVersion { get; set; }

    /// <summary>Stamped by the simulator on every save (whole seconds).</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Gets or sets the play history (table scenes_view_dates): one entry per row, in insertion order, UTC whole seconds.</summary>
    public List<DateTimeOffset> PlayHistory { get; set; } = [];

    /// <summary>Gets or sets where playback stopped, in seconds (0 when none).</summary>
    public double ResumeTime { get; set; }

    /// <summary>Gets or sets the time played, in seconds, summed by each sceneSaveActivity.</summary>
    public double PlayDuration { get; set; }

    /// <summary>A copy that shares no list with this one.</summary>
    public StashScene DeepCopy() => this with
    {
        Performers = [.. Performers],
        Tags = [.. Tags],
        Groups = [.. Groups],
        Urls = [.. Urls],
        Files = [.. Files],
        PlayHistory = [.. PlayHistory],
    };
}
