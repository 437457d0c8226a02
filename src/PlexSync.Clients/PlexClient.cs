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

    /// <summary>
    /// The longest request line (method, target, HTTP version) an edit is packed into: 8,000 bytes, under
    /// the 8 KiB that common HTTP servers and reverse proxies accept. Plex's own limit is not documented.
    /// A field too long for it alone is sent in a request of its own, after the other fields.
    /// </summary>
    public const int MaxRequestLine = 8_000;

    // Plex takes comma-separated ratingKeys in one metadata read; 100 keeps the URL short.
    private const int ItemsPerRequest = 100;
    private const int PageSize = 200;

    // Bounds every paged listing, so that a server misreporting totalSize cannot keep a worker looping.
    private const int MaxPages = 10_000;

    private readonly ServiceHttp http;
    private readonly PlexClientOptions options;
    private readonly string baseUrl;
    private readonly string clientId;
    private readonly string deviceName;

    public PlexClient(HttpClient httpClient, PlexClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        baseUrl = ClientHandlers.BaseUrl(ServiceName, options.Url);
        http = new ServiceHttp(httpClient, ServiceName, AuthHint, [options.Token]);
        clientId = PlexIdentity.HeaderValue(options.ClientId.Length > 0 ? options.ClientId : PlexIdentity.DeriveClientId(baseUrl));
        deviceName = PlexIdentity.HeaderValue(options.DeviceName);
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
        ListAsync(sectionKey, q => q.Add("file", fragment), int.MaxValue, m => Candidate(m, sectionKey), cancellationToken);

    public Task<IReadOnlyList<PlexCandidate>> ListMoviesAsync(string sectionKey, int limit, CancellationToken cancellationToken) =>
        ListAsync(sectionKey, _ => { }, limit, m => Candidate(m, sectionKey), cancellationToken);

    // python-plexapi's search filter inProgress (plexapi/library.py): the items with a viewOffset for the token's user.
    public Task<IReadOnlyList<PlexProgressItem>> InProgressAsync(string sectionKey, CancellationToken cancellationToken) =>
        ListAsync(
            sectionKey,
            q => q.Add("inProgress", "1"),
            int.MaxValue,
            m => new PlexProgressItem(m.RatingKey ?? "", PlexItemMapper.Files(m), (long)(m.ViewOffset ?? 0)),
            cancellationToken);

    public async Task<PlexServer> ServerAsync(CancellationToken cancellationToken)
    {
        var container = await GetJsonAsync<PlexIdentityContainer>("/identity", null, cancellationToken);
        return string.IsNullOrWhiteSpace(container.MachineIdentifier)
            ? throw http.Fail("GET /identity", FailureKind.Rejected, 200, "answer has no machineIdentifier")
            : new PlexServer(container.MachineIdentifier, container.Version ?? "");
    }

    public async Task<IReadOnlyList<PlexAccount>> AccountsAsync(CancellationToken cancellationToken)
    {
        var container = await GetJsonAsync<PlexAccountsContainer>("/accounts", null, cancellationToken);
        return [.. (container.Account ?? []).Where(a => !string.IsNullOrEmpty(a.Id)).Select(a => new PlexAccount(a.Id!, a.Name ?? ""))];
    }

    public async Task<IReadOnlyList<PlexHistoryRow>> HistoryAsync(PlexHistoryQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        const string path = "/status/sessions/history/all";
        var q = new QueryString().Add("sort", "viewedAt:asc").AddComparison("viewedAt", ">", Text(query.MinViewedAt));
        if (query.MaxViewedAt is { } max)
        {
            q.AddComparison("viewedAt", "<", Text(max));
        }

        if (query.AccountId is { } account)
        {
            q.Add("accountID", account);
        }

        if (query.SectionKey is { } section)
        {
            q.Add("librarySectionID", section);
        }

        q.Add("X-Plex-Container-Start", Text(query.Start)).Add("X-Plex-Container-Size", Text(query.Size));
        var container = await GetJsonAsync<PlexHistoryContainer>(path, q, cancellationToken);
        return [.. (container.Metadata ?? []).Select(row => HistoryRow(row, "GET " + path))];
    }

    public async Task<IReadOnlyList<string>> EditAsync(string sectionKey, string ratingKey, Changes changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (!changes.NeedsEdit)
        {
            return []; // nothing to write; a PUT without edits would only cost a request
        }

        var edit = new BoundedEdit(this, $"/library/sections/{QueryString.Escape(sectionKey)}/all", ratingKey);
        foreach (var request in PlexEdit.Pack(ratingKey, PlexEdit.Units(changes), edit.MaxQuery))
        {
            await edit.SendAsync(request, cancellationToken);
        }

        return edit.Notes;
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
        using var response = await SendAsync(HttpMethod.Put, "/:/rate", query.ToString(), null, cancellationToken);
    }

    public async Task<IReadOnlyList<PlexPoster>> PostersAsync(string ratingKey, CancellationToken cancellationToken)
    {
        var path = $"/library/metadata/{QueryString.Escape(ratingKey)}/posters";
        var container = await GetJsonAsync<PlexPostersContainer>(path, null, cancellationToken);
        var entries = (container.Metadata ?? []).Concat(container.Photo ?? []).ToList();
        if (entries.Count == 0 && container.Size > 0)
        {
            // Reading this as "no posters" would upload the cover again on every sync.
            throw http.Fail($"GET {path}", FailureKind.Rejected, 200, $"the answer counts {container.Size} posters but lists none under Metadata or Photo");
        }

        return entries.Select(p => new PlexPoster(p.RatingKey ?? "", p.Selected)).ToList();
    }

    public async Task UploadPosterAsync(string ratingKey, byte[] image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var path = $"/library/metadata/{QueryString.Escape(ratingKey)}/posters";
        using var response = await SendAsync(HttpMethod.Post, path, null, new ByteArrayContent(image), cancellationToken);
    }

    public async Task SelectPosterAsync(string ratingKey, string posterKey, CancellationToken cancellationToken)
    {
        var path = $"/library/metadata/{QueryString.Escape(ratingKey)}/poster";
        using var response = await SendAsync(HttpMethod.Put, path, new QueryString().Add("url", posterKey).ToString(), null, cancellationToken);
    }

    // A section's movies, page by page, filtered as the caller adds to the query.
    private async Task<IReadOnlyList<T>> ListAsync<T>(
        string sectionKey, Action<QueryString> filter, int limit, Func<PlexMetadataWire, T> map, CancellationToken cancellationToken)
    {
        var path = $"/library/sections/{QueryString.Escape(sectionKey)}/all";
        var found = new List<T>();
        for (var page = 0; page < MaxPages && found.Count < limit; page++)
        {
            var query = new QueryString().Add("type", "1");
            filter(query);
            var asked = Math.Min(PageSize, limit - found.Count);
            query.Add("X-Plex-Container-Start", found.Count.ToString(CultureInfo.InvariantCulture))
                .Add("X-Plex-Container-Size", asked.ToString(CultureInfo.InvariantCulture));
            var container = await GetJsonAsync<PlexMetadataContainer>(path, query, cancellationToken);
            var metadata = container.Metadata ?? [];
            found.AddRange(metadata.Select(map));
            if (IsLastPage(container, metadata.Count, asked, found.Count))
            {
                break;
            }
        }

        return found;
    }

    private static PlexCandidate Candidate(PlexMetadataWire m, string sectionKey) => new(m.RatingKey ?? "", sectionKey, m.Title ?? "", PlexItemMapper.Files(m));

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    // A row is only usable with its ID and time: without them it cannot be recorded once, or at the right time.
    private PlexHistoryRow HistoryRow(PlexHistoryWire row, string operation)
    {
        var key = row.HistoryKey ?? "";
        const string prefix = "/status/sessions/history/";
        if (!key.StartsWith(prefix, StringComparison.Ordinal) ||
            !long.TryParse(key.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ||
            row.ViewedAt is not { } viewedAt || viewedAt is < 0 or >= long.MaxValue)
        {
            throw http.Fail(operation, FailureKind.Rejected, 200, $"unreadable history row (historyKey \"{key}\", viewedAt {row.ViewedAt?.ToString(CultureInfo.InvariantCulture) ?? "missing"})");
        }

        return new PlexHistoryRow(id, (long)viewedAt, row.AccountId ?? "", row.DeviceId ?? "", row.RatingKey ?? "", row.LibrarySectionId ?? "", row.Title ?? "");
    }

    // Paged listings carry totalSize. Without it (python-plexapi then takes size, this page's count), a page
    // shorter than asked for is the last; one longer than asked for is no page but the whole list.
    private static bool IsLastPage(PlexMetadataContainer container, int count, int asked, int found) =>
        count == 0 || count > asked || (container.TotalSize is { } total ? found >= total : count < asked);

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
        catch (ServiceException ex) when (ex.Kind == FailureKind.NotFound && chunk.Length > 1)
        {
            // Plex answers the items that exist, or 404 when none does; should it answer 404 for the whole
            // list when one item is gone, halving finds the others at the cost of a few reads.
            var half = chunk.Length / 2;
            return [.. await ItemChunkAsync(chunk[..half], cancellationToken), .. await ItemChunkAsync(chunk[half..], cancellationToken)];
        }
        catch (ServiceException ex) when (ex.Kind == FailureKind.NotFound)
        {
            return []; // the item no longer exists
        }
    }

    private async Task<T> GetJsonAsync<T>(string path, QueryString? query, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await SendAsync(HttpMethod.Get, path, query?.ToString(), null, cancellationToken);
        var envelope = await http.ReadJsonAsync<PlexEnvelope<T>>(response, $"GET {path}", PlexJson.Options, cancellationToken);
        return envelope.MediaContainer ?? throw http.Fail($"GET {path}", FailureKind.Rejected, (int)response.StatusCode, "answer has no MediaContainer");
    }

    // The length of the request line of a request to path with a query of this length.
    private int RequestLineLength(HttpMethod method, string path, int queryLength) =>
        method.Method.Length + " ".Length + new Uri(baseUrl + path, UriKind.Absolute).AbsolutePath.Length + "?".Length + queryLength + " HTTP/1.1".Length;

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? query, HttpContent? content, CancellationToken cancellationToken)
    {
        var target = baseUrl + path + (string.IsNullOrEmpty(query) ? "" : "?" + query);
        using var request = new HttpRequestMessage(method, new Uri(target, UriKind.Absolute)) { Content = content };
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        request.Headers.TryAddWithoutValidation("X-Plex-Token", options.Token);
        request.Headers.TryAddWithoutValidation("X-Plex-Client-Identifier", clientId);
        request.Headers.TryAddWithoutValidation("X-Plex-Product", PlexIdentity.Product);
        request.Headers.TryAddWithoutValidation("X-Plex-Version", PlexIdentity.Version);
        request.Headers.TryAddWithoutValidation("X-Plex-Platform", PlexIdentity.HeaderValue(PlexIdentity.Platform));
        request.Headers.TryAddWithoutValidation("X-Plex-Platform-Version", PlexIdentity.PlatformVersion);
        request.Headers.TryAddWithoutValidation("X-Plex-Device-Name", deviceName);
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

    /// <summary>
    /// Sends one item's edit as bounded requests. When Plex refuses a request for its length (413, 414, 431,
    /// or 400 on a request beyond <see cref="MaxRequestLine"/>), each of its fields goes alone; a field refused
    /// alone is sent again in the shortened forms of <see cref="LongText"/> if it is text, and otherwise
    /// left out; either way the field is named in <see cref="Notes"/>, and every other field is written.
    /// </summary>
    private sealed class BoundedEdit(PlexClient client, string path, string ratingKey)
    {
        private readonly List<string> notes = [];

        public int MaxQuery { get; } = MaxRequestLine - client.RequestLineLength(HttpMethod.Put, path, 0);

        public IReadOnlyList<string> Notes => notes;

        public async Task SendAsync(IReadOnlyList<EditUnit> units, CancellationToken ct)
        {
            var query = PlexEdit.Query(ratingKey, units);
            var refusal = await TrySendAsync(query, ct);
            if (refusal is null)
            {
                return;
            }

            if (units.Count > 1)
            {
                foreach (var unit in units)
                {
                    await SendAsync([unit], ct);
                }

                return;
            }

            var refused = string.Create(
                CultureInfo.InvariantCulture, $"{units[0].Field}: Plex refused it in a {RequestLine(query.Length):N0}-byte request (HTTP {refusal.Status})");
            notes.Add(units[0].Text is { } text ? await ShortenAsync(units[0].Field, text, refused, ct) : refused + "; not written");
        }

        private async Task<string> ShortenAsync(string field, string text, string refused, CancellationToken ct)
        {
            foreach (var budget in LongText.Budgets)
            {
                var shorter = LongText.Shorten(text, budget);
                if (shorter != text && await TrySendAsync(PlexEdit.Query(ratingKey, [PlexEdit.TextUnit(field, shorter)]), ct) is null)
                {
                    var kept = new StringInfo(shorter).LengthInTextElements - 1;
                    return string.Create(
                        CultureInfo.InvariantCulture,
                        $"{refused}; wrote its first {kept:N0} of {new StringInfo(text).LengthInTextElements:N0} characters, ending in {LongText.Mark}");
                }
            }

            return refused + "; not written";
        }

        // Null when Plex took the request; the failure when it refused it for its length; any other failure throws.
        private async Task<ServiceException?> TrySendAsync(string query, CancellationToken ct)
        {
            try
            {
                using var response = await client.SendAsync(HttpMethod.Put, path, query, null, ct);
                return null;
            }
            catch (ServiceException e) when (e.Status is 413 or 414 or 431 || (e.Status == 400 && RequestLine(query.Length) > MaxRequestLine))
            {
                return e;
            }
        }

        private int RequestLine(int queryLength) => client.RequestLineLength(HttpMethod.Put, path, queryLength);
    }
}
