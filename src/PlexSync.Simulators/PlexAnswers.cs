namespace PlexSync.Simulators;

/// <summary>
/// How the simulated Plex answers where the references leave Plex's answer open (the README's "Plex
/// requests"). The defaults are the most likely answers; tests set the others to show that the client
/// ends in the right state either way.
/// </summary>
public sealed record PlexAnswers
{
    /// <summary>Gets the JSON key of GET /library/metadata/{id}/posters' list: "Metadata" or "Photo" (the XML element).</summary>
    public string PosterListKey { get; init; } = "Metadata";

    /// <summary>Gets the key an uploaded poster is listed under, from the lowercase hex SHA-1 of its bytes.</summary>
    public Func<string, string> UploadKey { get; init; } = sha1 => "upload://posters/" + sha1;

    /// <summary>Gets how a rating sent to /:/rate is stored (and read back): as sent, by default.</summary>
    public Func<double, double> StoreRating { get; init; } = rating => rating;

    /// <summary>Gets the name the Field (lock) list gives the cast's lock, set by actor.locked=1.</summary>
    public string CastLockName { get; init; } = "actor";

    /// <summary>Gets a value indicating whether paged listings carry totalSize (they carry size either way).</summary>
    public bool TotalSizeInListings { get; init; } = true;

    /// <summary>
    /// Gets a value indicating whether GET /library/metadata/a,b,c answers 404 for the whole list when one
    /// item is missing; otherwise it answers the items that exist, and 404 only when none does.
    /// </summary>
    public bool WholeListNotFound { get; init; }
}
