using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using PlexSync.Clients.Http;
using PlexSync.Domain;

namespace PlexSync.Clients;

/// <summary>
/// A client of Stash's GraphQL API, used as a typed <see cref="HttpClient"/>. The API key (or a
/// hook's session cookie) travels only in headers.
/// </summary>
public sealed class StashClient : IStashClient
{
    public const string ServiceName = "stash";

    internal const string AuthHint = "Stash refused the credentials; set stash.api_key (or PLEXSYNC_STASH_API_KEY) to a key from Stash's Settings > Security";

    private const string GraphQlPath = "/graphql";

    // What a sync needs of a scene; see Stash's graphql/schema/types/scene.graphql.
    private const string SceneFields = """
        fragment SyncScene on Scene {
          id title details date rating100 updated_at
          studio { name }
          performers { name }
          tags { name }
          groups { group { name } }
          files { path }
          paths { screenshot }
        }
        """;

    private const string FindSceneQuery = "query FindScene($id: ID!) { findScene(id: $id) { ...SyncScene } }\n" + SceneFields;

    // No ids (Stash then ignores filter and paging) and no updated_at filter (Stash compares it as
    // text in its own time zone, stash.md): reconcile pages newest first and stops by itself.
    private const string FindScenesQuery = """
        query FindScenes($filter: FindFilterType) {
          findScenes(filter: $filter) { count scenes { ...SyncScene } }
        }

        """ + SceneFields;

    // The same with a scene filter: an updated_at bound that is Stash's own text, and/or one entity's scenes.
    private const string FindFilteredScenesQuery = """
        query FindScenes($filter: FindFilterType, $scene_filter: SceneFilterType) {
          findScenes(filter: $filter, scene_filter: $scene_filter) { count scenes { ...SyncScene } }
        }

        """ + SceneFields;

    private const string FindScenesByIdsQuery = """
        query FindScenesByIds($ids: [ID!]) {
          findScenes(ids: $ids) { count scenes { ...SyncScene } }
        }

        """ + SceneFields;

    private const string ScenePlaysQuery =
        "query ScenePlays($id: ID!) { findScene(id: $id) { id play_history play_count resume_time files { path } } }";

    private const string FindScenesByPathQuery = """
        query FindScenesByPath($filter: FindFilterType, $scene_filter: SceneFilterType) {
          findScenes(filter: $filter, scene_filter: $scene_filter) { count scenes { id files { path } } }
        }
        """;

    private const string AddPlayMutation =
        "mutation AddPlay($id: ID!, $times: [Timestamp!]) { sceneAddPlay(id: $id, times: $times) { count history } }";

    private const string DeletePlayMutation =
        "mutation DeletePlay($id: ID!, $times: [Timestamp!]) { sceneDeletePlay(id: $id, times: $times) { count history } }";

    private const string SaveResumeMutation = "mutation SaveResume($id: ID!, $resume: Float) { sceneSaveActivity(id: $id, resume_time: $resume) }";

    // Scenes per page of a path lookup.
    private const int PathPageSize = 100;

    // The lowest updated_at text; BETWEEN it and a bound is "at most the bound", as text.
    private const string EarliestTimestamp = "0001-01-01T00:00:00Z";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.General) { TypeInfoResolver = StashJsonContext.Default };

    // SQLite's busy errors, as Stash passes them on: the same query succeeds once the writer is done.
    private static readonly string[] TransientGraphQlErrors = ["database is locked", "database table is locked", "SQLITE_BUSY"];

    private readonly ServiceHttp http;
    private readonly StashClientOptions options;
    private readonly Uri baseUri;

    public StashClient(HttpClient httpClient, StashClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        baseUri = new Uri(ClientHandlers.BaseUrl(ServiceName, options.Url) + "/");
        http = new ServiceHttp(httpClient, ServiceName, AuthHint, [options.ApiKey, options.SessionCookieValue]);
    }

    /// <summary>Creates a client without dependency injection (the CLI's hook, tests); <paramref name="handler"/> replaces the socket handler.</summary>
    public static StashClient Create(StashClientOptions options, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new StashClient(ClientHandlers.CreateHttpClient(handler, options.ConnectTimeout, options.Timeout), options);
    }

    public async Task<Scene?> FindSceneAsync(string id, CancellationToken cancellationToken)
    {
        var data = await QueryAsync<FindSceneData>(FindSceneQuery, new Dictionary<string, object?> { ["id"] = id }, cancellationToken);
        return data.FindScene is { } wire ? StashSceneMapper.ToScene(wire) : null;
    }

    public async Task<ScenesPage> FindScenesAsync(ScenesQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filter = new Dictionary<string, object?>
        {
            ["page"] = query.Page,
            ["per_page"] = query.PerPage,
            ["sort"] = "updated_at",
            ["direction"] = query.NewestFirst ? "DESC" : "ASC",
        };
        var variables = new Dictionary<string, object?> { ["filter"] = filter };
        var sceneFilter = SceneFilter(query);
        if (sceneFilter.Count > 0)
        {
            variables["scene_filter"] = sceneFilter;
        }

        return Page(await QueryAsync<FindScenesData>(sceneFilter.Count > 0 ? FindFilteredScenesQuery : FindScenesQuery, variables, cancellationToken));
    }

    public async Task<ScenesPage> FindScenesByIdsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return new ScenesPage(0, []);
        }

        return Page(await QueryAsync<FindScenesData>(FindScenesByIdsQuery, new Dictionary<string, object?> { ["ids"] = ids.ToArray() }, cancellationToken));
    }

    public async Task<Screenshot?> ScreenshotAsync(string path, CancellationToken cancellationToken)
    {
        var target = ScreenshotUri(path);
        using var response = await SendAsync(HttpMethod.Get, target, null, "image/*", cancellationToken);
        var type = response.Content.Headers.ContentType?.MediaType ?? "";
        if (type.Equals("image/svg+xml", StringComparison.OrdinalIgnoreCase))
        {
            return null; // Stash's built-in placeholder: the scene has no cover
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new Screenshot(bytes, type.Length > 0 ? type : "application/octet-stream");
    }

    public async Task<ScenePlays?> ScenePlaysAsync(string sceneId, CancellationToken cancellationToken)
    {
        var data = await QueryAsync<ScenePlaysData>(ScenePlaysQuery, new Dictionary<string, object?> { ["id"] = sceneId }, cancellationToken);
        if (data.FindScene is not { } wire)
        {
            return null;
        }

        var history = Times(wire.PlayHistory);
        return new ScenePlays(wire.Id ?? sceneId, history, wire.PlayCount ?? history.Count, wire.ResumeTime ?? 0, [.. (wire.Files ?? []).Select(f => f.Path ?? "")]);
    }

    // EQUALS adds no wildcards; INCLUDES of a value in double quotes takes it whole instead of word by word
    // (pkg/sqlite/criterion_handlers.go pathCriterionHandler). Either way "_" and "%" stay wildcards: callers confirm.
    public async Task<ScenesByPath> FindScenesByPathAsync(StashPathQuery query, int page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var criterion = new Dictionary<string, object?>
        {
            ["value"] = query.ByName ? "\"" + query.Value + "\"" : query.Value,
            ["modifier"] = query.ByName ? "INCLUDES" : "EQUALS",
        };
        var variables = new Dictionary<string, object?>
        {
            ["filter"] = new Dictionary<string, object?> { ["page"] = page, ["per_page"] = PathPageSize, ["sort"] = "id", ["direction"] = "ASC" },
            ["scene_filter"] = new Dictionary<string, object?> { ["path"] = criterion },
        };
        var data = await QueryAsync<FindScenesData>(FindScenesByPathQuery, variables, cancellationToken);
        var scenes = (data.FindScenes?.Scenes ?? []).Select(s => new StashCandidate(s.Id ?? "", [.. (s.Files ?? []).Select(f => f.Path ?? "")])).ToList();
        return new ScenesByPath(data.FindScenes?.Count ?? scenes.Count, scenes);
    }

    public async Task<PlayHistory> AddPlayAsync(string sceneId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var data = await QueryAsync<PlayMutationData>(AddPlayMutation, PlayVariables(sceneId, [at]), cancellationToken);
        return History(data.SceneAddPlay);
    }

    public async Task<PlayHistory> DeletePlaysAsync(string sceneId, IReadOnlyList<DateTimeOffset> times, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(times);
        if (times.Count == 0)
        {
            throw new ArgumentException("no times: Stash would remove the latest play instead", nameof(times));
        }

        var data = await QueryAsync<PlayMutationData>(DeletePlayMutation, PlayVariables(sceneId, times), cancellationToken);
        return History(data.SceneDeletePlay);
    }

    public async Task SaveResumeAsync(string sceneId, double seconds, CancellationToken cancellationToken)
    {
        if (!double.IsFinite(seconds) || seconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "a resume point is a finite number of seconds, at least 0");
        }

        await QueryAsync<SaveActivityData>(SaveResumeMutation, new Dictionary<string, object?> { ["id"] = sceneId, ["resume"] = seconds }, cancellationToken);
    }

    /// <summary>A play time as Timestamp input: RFC 3339 in UTC, whole seconds (Stash stores no fraction).</summary>
    internal static string PlayTime(DateTimeOffset at) =>
        new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static Dictionary<string, object?> PlayVariables(string sceneId, IEnumerable<DateTimeOffset> times) =>
        new() { ["id"] = sceneId, ["times"] = times.Select(PlayTime).ToArray() };

    private PlayHistory History(HistoryMutationWire? wire)
    {
        var history = Times(wire?.History);
        return new PlayHistory(wire?.Count ?? history.Count, history);
    }

    private IReadOnlyList<DateTimeOffset> Times(IReadOnlyList<string>? texts) =>
        [.. (texts ?? []).Select(t => DateTimeOffset.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw http.Fail("POST " + GraphQlPath, FailureKind.Rejected, 200, $"\"{t}\" is not a play time"))];

    // SceneFilterType (graphql/schema/types/filters.graphql): performers is a MultiCriterionInput, tags,
    // studios and groups are HierarchicalMultiCriterionInput; INCLUDES with one ID fits both.
    private static Dictionary<string, object?> SceneFilter(ScenesQuery query)
    {
        var filter = new Dictionary<string, object?>();
        if (query.UpdatedAtUpTo is { } bound)
        {
            filter["updated_at"] = new Dictionary<string, object?> { ["modifier"] = "BETWEEN", ["value"] = EarliestTimestamp, ["value2"] = bound };
        }

        if (query.Entity is { } entity)
        {
            var field = entity.Kind switch
            {
                SceneEntityKinds.Performer => "performers",
                SceneEntityKinds.Tag => "tags",
                SceneEntityKinds.Studio => "studios",
                SceneEntityKinds.Group => "groups",
                _ => throw new ArgumentException($"unknown scene entity kind \"{entity.Kind}\"", nameof(query)),
            };
            filter[field] = new Dictionary<string, object?> { ["value"] = new[] { entity.Id }, ["modifier"] = "INCLUDES" };
        }

        return filter;
    }

    private static ScenesPage Page(FindScenesData data)
    {
        var wires = data.FindScenes?.Scenes ?? [];
        var scenes = wires.Select(StashSceneMapper.ToScene).ToList();
        return new ScenesPage(data.FindScenes?.Count ?? scenes.Count, scenes) { UpdatedAtTexts = [.. wires.Select(w => w.UpdatedAt.Text ?? "")] };
    }

    private async Task<T> QueryAsync<T>(string query, Dictionary<string, object?> variables, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?> { ["query"] = query, ["variables"] = variables }, StashJsonContext.Default.DictionaryStringObject);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        HttpResponseMessage response;
        try
        {
            response = await SendAsync(HttpMethod.Post, new Uri(baseUri, GraphQlPath.TrimStart('/')), content, "application/json", cancellationToken);
        }
        catch (ServiceException e) when (e.Kind == FailureKind.NotFound)
        {
            // Stash always has /graphql: a 404 means stash.url points elsewhere.
            throw http.Fail(e.Operation, FailureKind.WrongUrl, e.Status, "Not Found: Stash has no GraphQL endpoint there; check stash.url (scheme, host, port and any path part)", e);
        }

        using var owned = response;
        var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return Decode<T>(answer, (int)response.StatusCode);
    }

    /// <summary>Whether a GraphQL error text is one Stash gives while busy, so that the same request succeeds later.</summary>
    internal static bool IsTransientGraphQlError(string message) =>
        TransientGraphQlErrors.Any(t => message.Contains(t, StringComparison.OrdinalIgnoreCase));

    private T Decode<T>(byte[] body, int status)
    {
        const string operation = "POST " + GraphQlPath;
        GraphQlAnswer? answer;
        try
        {
            answer = JsonSerializer.Deserialize(body, StashJsonContext.Default.GraphQlAnswer);
        }
        catch (JsonException)
        {
            throw http.Unreadable(operation, status, body);
        }

        if (answer?.Errors is { Count: > 0 } errors)
        {
            // GraphQL reports errors with HTTP 200; most are answers, not outages, but Stash passes
            // SQLite's "database is locked" (a scan or another writer holds it) through as one.
            var messages = string.Join("; ", errors.Select(e => e.Message));
            var kind = IsTransientGraphQlError(messages) ? FailureKind.Transient : FailureKind.Rejected;
            throw http.Fail(operation, kind, status, "GraphQL error: " + messages);
        }

        if (answer?.Data is not { ValueKind: JsonValueKind.Object } data)
        {
            throw http.Unreadable(operation, status, body);
        }

        try
        {
            return data.Deserialize((JsonTypeInfo<T>)JsonOptions.GetTypeInfo(typeof(T))) ?? throw http.Unreadable(operation, status, body);
        }
        catch (JsonException ex)
        {
            throw http.Undecodable(operation, status, body, ex);
        }
    }

    /// <summary>
    /// Resolves a screenshot path against Stash's origin, refusing anything that would send our
    /// credentials to another host (a path such as "//elsewhere/x" is a host, not a path).
    /// </summary>
    private Uri ScreenshotUri(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!path.StartsWith('/') || path.StartsWith("//", StringComparison.Ordinal) ||
            !Uri.TryCreate(baseUri, path, out var target) ||
            target.GetLeftPart(UriPartial.Authority) != baseUri.GetLeftPart(UriPartial.Authority))
        {
            throw new ArgumentException("a screenshot path must be a path on the Stash server", nameof(path));
        }

        return target;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri target, HttpContent? content, string accept, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, target) { Content = content };
        request.Headers.TryAddWithoutValidation("Accept", accept);
        if (options.ApiKey.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("ApiKey", options.ApiKey);
        }

        if (options.SessionCookieValue.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Cookie", $"{options.SessionCookieName}={options.SessionCookieValue}");
        }

        // Path only: a query may hold a credential, and a request is named the same for every scene time.
        return await http.SendAsync(request, $"{method.Method} {target.AbsolutePath}", cancellationToken);
    }
}
