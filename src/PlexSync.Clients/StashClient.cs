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
