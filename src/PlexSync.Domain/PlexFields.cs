namespace PlexSync.Domain;

/// <summary>Plex field names, as Plex's edit API and metadata JSON spell them.</summary>
public static class PlexFields
{
    public const string Title = "title";
    public const string Summary = "summary";
    public const string Studio = "studio";
    public const string Date = "originallyAvailableAt";
    public const string Genre = "genre";
    public const string Actor = "actor";
    public const string Collection = "collection";
    public const string Label = "label";
    public const string Rating = "userRating";
    public const string Poster = "thumb";

    /// <summary>What Plex's /:/rate takes to clear a rating.</summary>
    public const double NoRating = -1.0;
}
