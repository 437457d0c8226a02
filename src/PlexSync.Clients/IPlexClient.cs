using PlexSync.Domain;

namespace PlexSync.Clients;

/// <summary>A Plex library section.</summary>
public sealed record PlexSection(string Key, string Title, string Type);

/// <summary>A Plex movie's metadata, as far as a sync cares.</summary>
public sealed record PlexItem
{
    public required string RatingKey { get; init; }

    public required string SectionKey { get; init; }

    public string Title { get; init; } = "";

    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>Gets the item's metadata in the domain's terms (fields, tags, rating, locks).</summary>
    public required PlexState State { get; init; }
}

/// <summary>One entry of an item's poster list; an upload is keyed upload://posters/&lt;sha1 of its bytes&gt; (<see cref="PosterCheck.IsUploadOf"/>).</summary>
public sealed record PlexPoster(string RatingKey, bool Selected);

/// <summary>The Plex Media Server HTTP API, reduced to what a sync and the plays need.</summary>
public interface IPlexClient
{
    Task<IReadOnlyList<PlexSection>> SectionsAsync(CancellationToken cancellationToken);

    /// <summary>Returns one item's full metadata; a missing item is a <see cref="ServiceException"/> of kind NotFound.</summary>
    Task<PlexItem> ItemAsync(string ratingKey, CancellationToken cancellationToken);

    /// <summary>Returns several items' metadata by ratingKey, in as few requests as Plex allows; missing items are left out.</summary>
    Task<IReadOnlyDictionary<string, PlexItem>> ItemsAsync(IReadOnlyList<string> ratingKeys, CancellationToken cancellationToken);

    /// <summary>Returns the movies of a section whose file path contains <paramref name="fragment"/> (not exact: callers confirm).</summary>
    Task<IReadOnlyList<PlexCandidate>> FindByFileAsync(string sectionKey, string fragment, CancellationToken cancellationToken);

    /// <summary>
    /// Returns the first <paramref name="limit"/> movies of a section with their files, in Plex's order: a
    /// sample for proposing path mappings and checking a setup.
    /// </summary>
    Task<IReadOnlyList<PlexCandidate>> ListMoviesAsync(string sectionKey, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Sends every change of one item, locking each field it sets: in one PUT, or in several when the edit
    /// is too long for one request (<see cref="PlexClient.MaxRequestLine"/>). Returns a note for each field
    /// Plex refused for its length: written shortened, or not written; empty when every field was written.
    /// </summary>
    Task<IReadOnlyList<string>> EditAsync(string sectionKey, string ratingKey, Changes changes, CancellationToken cancellationToken);

    /// <summary>Sets the user rating (0..10), or clears it with <see cref="PlexFields.NoRating"/>.</summary>
    Task RateAsync(string ratingKey, double rating, CancellationToken cancellationToken);

    Task<IReadOnlyList<PlexPoster>> PostersAsync(string ratingKey, CancellationToken cancellationToken);

    Task UploadPosterAsync(string ratingKey, byte[] image, CancellationToken cancellationToken);

    Task SelectPosterAsync(string ratingKey, string posterKey, CancellationToken cancellationToken);

    /// <summary>Names the server (GET /identity, which needs no token).</summary>
    Task<PlexServer> ServerAsync(CancellationToken cancellationToken);

    /// <summary>Lists the server's accounts (GET /accounts); only the owner's token may.</summary>
    Task<IReadOnlyList<PlexAccount>> AccountsAsync(CancellationToken cancellationToken);

    /// <summary>Reads one page of the watch history, sorted by viewedAt ascending; a row Plex ignored a filter for is the caller's to check.</summary>
    Task<IReadOnlyList<PlexHistoryRow>> HistoryAsync(PlexHistoryQuery query, CancellationToken cancellationToken);

    /// <summary>Lists the movies of a section that the token's user is in the middle of watching.</summary>
    Task<IReadOnlyList<PlexProgressItem>> InProgressAsync(string sectionKey, CancellationToken cancellationToken);
}
