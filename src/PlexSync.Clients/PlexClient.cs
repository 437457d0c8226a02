using System.Globalization;
using PlexSync.Clients.Http;
using PlexSync.Domain;

namespace PlexSync.Clients;

/// <summary>
/// A client of one Plex Media Server, used as a typed <see cref="HttpClient"/>. The token travels
/// only in the X-Plex-Token header, so that no URL (logged, or quoted in an error) carries it.
/// </summary>
public sealed class PlexClient : IPlexClient
{
    public const string ServiceName = "plex";

    internal const string WrongUrlHint =
        "Not Found: Plex has no such path; check plex.url (scheme, host, port and any path part) and plex.sections";

    internal const string AuthHint = "Plex refused the token; set plex.token (or PLEXSYNC_PLEX_TOKEN) to a valid X-Plex-Token";

    // Plex takes comma-separated ratingKeys in one metadata read; 100 keeps the URL short.
    private const int ItemsPerRequest = 100;
    private const int PageSize = 200;

    // Bounds every paged listing, so that a server misreporting totalSize cannot keep a worker looping.
    private const int MaxPages = 10_000;

    private readonly ServiceHttp http;
    private readonly PlexClientOptions options;
    private readonly string baseUrl;

    public PlexClient(HttpClient httpClient, PlexClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        baseUrl = ClientHandlers.BaseUrl(ServiceName, options.Url);
        http = new ServiceHttp(httpClient, ServiceName, AuthHint, [options.Token]);
    }

    /// <summary>
    /// Creates a client without dependency injection (the CLI's hook, tests). <paramref name="handler"/>
    /// replaces the socket handler, e.g. a chain of <see cref="DelegatingHandler"/>s ending in
    /// <see cref="ClientHandlers.CreatePrimaryHandler"/>.
    /// </summary>
    public static PlexClient Create(PlexClientOptions options, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new PlexClient(ClientHandlers.CreateHttpClient(handler, options.ConnectTimeout, options.Timeout), options);
    }

    public async Task<IReadOnlyList<PlexSection>> SectionsAsync(CancellationToken cancellationToken)
    {
        var container = await GetJsonAsync<PlexSectionsContainer>("/library/sections", null, cancellationToken);
        return (container.Directory ?? []).Select(d => new PlexSection(d.Key ?? "", d.Title ?? "", d.Type ?? "")).ToList();
    }

    public async Task<PlexItem> ItemAsync(string ratingKey, CancellationToken cancellationToken)
    {
        var path = "/library/metadata/" + QueryString.Escape(ratingKey);
        var container = await GetJsonAsync<PlexMetadataContainer>(path, null, cancellationToken);
        if (container.Metadata is not [var first, ..])
        {
            throw http.Fail($"GET {path}", FailureKind.NotFound, 200, $"item {ratingKey} has no metadata");
        }

        return PlexItemMapper.ToItem(first, container.LibrarySectionId ?? "");
    }

    public async Task<IReadOnlyDictionary<string, PlexItem>> ItemsAsync(IReadOnlyList<string> ratingKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ratingKeys);
        var items = new Dictionary<string, PlexItem>(StringComparer.Ordinal);
        foreach (var chunk in ratingKeys.Distinct(StringComparer.Ordinal).Chunk(ItemsPerRequest))
        {
            foreach (var item in await ItemChunkAsync(chunk, cancellationToken))
            {
                items[item.RatingKey] = item;
            }
        }

        return items;
    }

    public Task<IReadOnlyList<PlexCandidate>> FindByFileAsync(string sectionKey, string fragment, CancellationToken cancellationToken) =>
        ListAsync(sectionKey, fragment, int.MaxValue, cancellationToken);

    public Task<IReadOnlyList<PlexCandidate>> ListMoviesAsync(string sectionKey, int limit, CancellationToken cancellationToken) =>
        ListAsync(sectionKey, null, limit, cancellationToken);

    public async Task EditAsync(string sectionKey, string ratingKey, Changes changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (!changes.NeedsEdit)
        {
            return; // nothing to write; a PUT without edits would only cost a request
        }

        var path = $"/library/sections/{QueryString.Escape(sectionKey)}/all";
        await SendAsync(HttpMethod.Put, path, PlexEdit.Query(ratingKey, changes), null, cancellationToken);
    }

    public async Task RateAsync(string ratingKey, double rating, CancellationToken cancellationToken)
    {
        if (!double.IsFinite(rating))
        {
            throw new ArgumentOutOfRangeException(nameof(rating), rating, "a rating is a finite number");
        }

        // Invariant culture: a German worker must not send "7,5".
        var query = new QueryString().Add("key", ratingKey).Add("identifier", "com.plexapp.plugins.library")
            .Add("rating", rating.ToString(CultureInfo.InvariantCulture));
        await SendAsync(HttpMethod.Put, "/:/rate", query, null, cancellationToken);
    }

    public async Task<IReadOnlyList<PlexPoster>> PostersAsync(string ratingKey, CancellationToken cancellationToken)
    {
        var path = $"/library/metadata/{QueryString.Escape(ratingKey)}/posters";
        var container = await GetJsonAsync<PlexPostersContainer>(path, null, cancellationToken);
        return (container.Metadata ?? []).Select(p => new PlexPoster(p.RatingKey ?? "", p.Selected)).ToList();
    }

    public async Task UploadPosterAsync(string ratingKey, byte[] image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var path = $"/library/metadata/{QueryString.Escape(ratingKey)}/posters";
        await SendAsync(HttpMethod.Post, path, null, new ByteArrayContent(image), cancellationToken);
    }

    public async Task SelectPosterAsync(string ratingKey, string posterKey, CancellationToken cancellationToken)
    {
        var path = $"/library/metadata/{QueryString.Escape(ratingKey)}/poster";
        await SendAsync(HttpMethod.Put, path, new QueryString().Add("url", posterKey), null, cancellationToken);
    }

    // A section's movies, page by page, optionally those whose file path contains a fragment.
    private async Task<IReadOnlyList<PlexCandidate>> ListAsync(string sectionKey, string? fragment, int limit, CancellationToken cancellationToken)
    {
        var path = $"/library/sections/{QueryString.Escape(sectionKey)}/all";
        var found = new List<PlexCandidate>();
        for (var page = 0; page < MaxPages && found.Count < limit; page++)
        {
            var query = new QueryString().Add("type", "1");
            if (fragment is not null)
            {
                query.Add("file", fragment);
            }

            query.Add("X-Plex-Container-Start", found.Count.ToString(CultureInfo.InvariantCulture))
                .Add("X-Plex-Container-Size", Math.Min(PageSize, limit - found.Count).ToString(CultureInfo.InvariantCulture));
            var container = await GetJsonAsync<PlexMetadataContainer>(path, query, cancellationToken);
            var metadata = container.Metadata ?? [];
            found.AddRange(metadata.Select(m => new PlexCandidate(m.RatingKey ?? "", sectionKey, m.Title ?? "", PlexItemMapper.Files(m))));
            if (metadata.Count == 0 || container.TotalSize is not { } total || found.Count >= total)
            {
                break;
            }
        }

        return found;
    }

    private async Task<IEnumerable<PlexItem>> ItemChunkAsync(string[] chunk, CancellationToken cancellationToken)
    {
        var path = "/library/metadata/" + string.Join(',', chunk.Select(QueryString.Escape));
        try
        {
            var container = await GetJsonAsync<PlexMetadataContainer>(path, null, cancellationToken);
            return (container.Metadata ?? [])
                .Where(m => !string.IsNullOrEmpty(m.RatingKey))
                .Select(m => PlexItemMapper.ToItem(m, container.LibrarySectionId ?? ""));
        }
        catch (ServiceException ex) when (ex.Kind == FailureKind.NotFound)
        {
            return []; // none of these items exists any more
        }
    }

    private async Task<T> GetJsonAsync<T>(string path, QueryString? query, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await SendAsync(HttpMethod.Get, path, query, null, cancellationToken);
        var envelope = await http.ReadJsonAsync<PlexEnvelope<T>>(response, $"GET {path}", PlexJson.Options, cancellationToken);
        return envelope.MediaContainer ?? throw http.Fail($"GET {path}", FailureKind.Rejected, (int)response.StatusCode, "answer has no MediaContainer");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, QueryString? query, HttpContent? content, CancellationToken cancellationToken)
    {
        var target = baseUrl + path + (query is null || query.IsEmpty ? "" : "?" + query);
        using var request = new HttpRequestMessage(method, new Uri(target, UriKind.Absolute)) { Content = content };
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        request.Headers.TryAddWithoutValidation("X-Plex-Token", options.Token);
        request.Headers.TryAddWithoutValidation("X-Plex-Client-Identifier", options.ClientId);
        request.Headers.TryAddWithoutValidation("X-Plex-Product", "PlexSync");
        try
        {
            return await http.SendAsync(request, $"{method.Method} {path}", cancellationToken);
        }
        catch (ServiceException e) when (e.Kind == FailureKind.NotFound && !IsItemPath(path))
        {
            // Only an item can vanish; a 404 on a section path means the base URL points elsewhere.
            throw http.Fail(e.Operation, FailureKind.WrongUrl, e.Status, WrongUrlHint, e);
        }
    }

    // Paths that name one item: a 404 there means the item is gone, which the sync handles.
    private static bool IsItemPath(string path) =>
        path.StartsWith("/library/metadata/", StringComparison.Ordinal) || path.StartsWith("/:/", StringComparison.Ordinal);
}
