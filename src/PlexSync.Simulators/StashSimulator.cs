using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using GraphQL;
using GraphQL.SystemTextJson;
using GraphQL.Transport;
using GraphQL.Types;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PlexSync.Simulators;

/// <summary>Settings of a simulated Stash.</summary>
public sealed record StashSimulatorOptions
{
    /// <summary>When set, requests need it (ApiKey header, apikey query or session cookie).</summary>
    public string? ApiKey { get; init; }

    /// <summary>0 = a free port.</summary>
    public int Port { get; init; }

    /// <summary>The server's local zone: Stash stores updated_at as RFC3339 text with this offset.</summary>
    public TimeSpan UtcOffset { get; init; } = TimeSpan.FromHours(-5);

    /// <summary>Null keeps ASP.NET quiet.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}

/// <summary>
/// A simulated Stash: POST /graphql (findScene, findScenes, the play mutations) and GET /scene/{id}/screenshot, with
/// Stash's auth.
/// </summary>
public sealed partial class StashSimulator : SimulatedServer
{
    // Stash's default image when a scene has no cover (the real one is internal/static/scene/scene.svg).
    private static readonly byte[] PlaceholderSvg = Encoding.UTF8.GetBytes(
        """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 360"><rect width="640" height="360" fill="#30404d"/></svg>""");

    private readonly Lock gate = new();
    private readonly Dictionary<int, StashScene> scenes = [];
    private readonly StashSimulatorOptions options;
    private readonly GraphQLSerializer serializer = new();
    private readonly DocumentExecuter executer = new();
    private readonly ISchema schema;
    private DateTimeOffset clock;
    private int failuresLeft;
    private string failureMessage = "database is locked";

    private StashSimulator(StashSimulatorOptions options)
    {
        this.options = options;
        schema = StashSchema.Build(FindScene, FindScenes, Mutations());
    }

    /// <summary>The API key requests must carry, or null.</summary>
    public string? ApiKey => options.ApiKey;

    /// <summary>The session cookie value the simulator accepts, standing in for the one a hook receives.</summary>
    public string? SessionCookieValue => options.ApiKey;

    /// <summary>Starts a simulated Stash on 127.0.0.1.</summary>
    public static async Task<StashSimulator> StartAsync(StashSimulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new StashSimulatorOptions();
        var sim = new StashSimulator(options);
        await sim.StartServerAsync(options.Port, options.LoggerFactory, cancellationToken);
        return sim;
    }

    /// <summary>
    /// Stores a copy of a scene and stamps updated_at, as Stash does on every save: whole seconds, and later than
    /// the stamp before so "the newest" is well defined. Pass <paramref name="updatedAt"/> to set it exactly.
    /// </summary>
    public void Put(StashScene scene, DateTimeOffset? updatedAt = null)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var copy = scene.DeepCopy();
        lock (gate)
        {
            copy.UpdatedAt = updatedAt ?? NextStamp();
            copy.CreatedAt = scenes.TryGetValue(copy.Id, out var old) ? old.CreatedAt : copy.UpdatedAt;
            scenes[copy.Id] = copy;
        }
    }

    /// <summary>Changes a stored scene and stamps it; false when unknown.</summary>
    public bool Update(int id, Action<StashScene> edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        if (!TryGetScene(id, out var scene))
        {
            return false;
        }

        edit(scene);
        Put(scene with { Id = id });
        return true;
    }

    /// <summary>Removes a scene, as deleting it in Stash would.</summary>
    public bool Delete(int id)
    {
        lock (gate)
        {
            return scenes.Remove(id);
        }
    }

    /// <summary>A copy of a stored scene.</summary>
    public bool TryGetScene(int id, [NotNullWhen(true)] out StashScene? scene)
    {
        lock (gate)
        {
            scene = scenes.TryGetValue(id, out var s) ? s.DeepCopy() : null;
            return scene is not null;
        }
    }

    /// <summary>All stored scenes, copied, by id.</summary>
    public IReadOnlyList<StashScene> Scenes()
    {
        lock (gate)
        {
            return scenes.Values.OrderBy(s => s.Id).Select(s => s.DeepCopy()).ToList();
        }
    }

    /// <summary>The next <paramref name="count"/> GraphQL requests fail with this message (HTTP 200, errors, data null).</summary>
    public void FailNextQueries(int count, string message = "database is locked")
    {
        lock (gate)
        {
            failuresLeft = count;
            failureMessage = message;
        }
    }

    /// <summary>
    /// The server's clock in whole seconds: the time, or the latest updated_at it stamped when that is later
    /// (stamps advance by a second when saves come faster, so that each is the newest).
    /// </summary>
    public DateTimeOffset Now()
    {
        var now = DateTimeOffset.UtcNow;
        now = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        lock (gate)
        {
            return now > clock ? now : clock;
        }
    }

    /// <summary>updated_at as this server stores and returns it (RFC3339 in its zone).</summary>
    public string FormatTimestamp(DateTimeOffset at) => View().Timestamp(at);

    /// <summary>The bytes GET /scene/{id}/screenshot serves: a deterministic JPEG or PNG, or the SVG placeholder without a cover.</summary>
    public static byte[] ScreenshotBytes(StashScene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        if (!scene.HasCover)
        {
            return [.. PlaceholderSvg];
        }

        byte[] header = scene.CoverFormat == StashCoverFormat.Png
            ? [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            : [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00];
        var text = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $" simulated cover of scene {scene.Id}, version {scene.ImageVersion}"));
        return [.. header, .. text];
    }

    /// <summary>The Content-Type served with <see cref="ScreenshotBytes"/>.</summary>
    public static string ScreenshotContentType(StashScene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        return !scene.HasCover ? "image/svg+xml" : scene.CoverFormat == StashCoverFormat.Png ? "image/png" : "image/jpeg";
    }

    protected override void Configure(WebApplication web)
    {
        web.Use(AuthenticateAsync);
        web.MapPost("/graphql", GraphQLAsync);
        web.MapGet("/scene/{id}/screenshot", Screenshot);
    }

    private DateTimeOffset NextStamp()
    {
        var now = DateTimeOffset.UtcNow;
        now = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        clock = now > clock ? now : clock.AddSeconds(1);
        return clock;
    }

    private StashSceneView View() => new(BaseAddress.GetLeftPart(UriPartial.Authority), options.UtcOffset);

    // Stash answers a request without valid credentials with 401, an empty body and "WWW-Authenticate: FormBased"
    // (internal/api/authentication.go; pkg/session/session.go reads the ApiKey header, then the apikey query).
    private Task AuthenticateAsync(HttpContext context, RequestDelegate next)
    {
        if (options.ApiKey is { Length: > 0 } key)
        {
            var given = context.Request.Headers["ApiKey"].ToString();
            if (given.Length == 0)
            {
                given = context.Request.Query["apikey"].ToString();
            }

            if (given != key && context.Request.Cookies["session"] != key)
            {
                context.Response.Headers.WWWAuthenticate = "FormBased";
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            }
        }

        return next(context);
    }

    private async Task GraphQLAsync(HttpContext context)
    {
        GraphQLRequest? request;
        try
        {
            request = await serializer.ReadAsync<GraphQLRequest>(context.Request.Body, context.RequestAborted);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "json request body could not be decoded: " + e.Message);
            return;
        }

        if (TakeFailure() is { } failure)
        {
            await WriteErrorAsync(context, StatusCodes.Status200OK, failure);
            return;
        }

        var fault = TakeFieldFault(request);
        if (fault is { ApplyFirst: false })
        {
            await AnswerFaultAsync(context, fault);
            return;
        }

        // A request held before it is applied is applied even when the client has gone meanwhile, as one a proxy
        // queued would be: so its execution does not follow the request's cancellation.
        var held = fault is { ApplyAfter.Ticks: > 0 };
        if (held)
        {
            await Task.Delay(fault!.ApplyAfter, CancellationToken.None);
        }

        var result = await executer.ExecuteAsync(o =>
        {
            o.Schema = schema;
            o.Query = request?.Query ?? string.Empty;
            o.OperationName = request?.OperationName;
            o.Variables = request?.Variables;
            o.CancellationToken = held ? CancellationToken.None : context.RequestAborted;
        });
        if (fault is { Status: > 0 } or { Drop: true })
        {
            await AnswerFaultAsync(context, fault);
            return;
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            RecordUnanswered(context);
            return;
        }

        await WriteResultAsync(context, result);
    }

    private string? TakeFailure()
    {
        lock (gate)
        {
            if (failuresLeft <= 0)
            {
                return null;
            }

            failuresLeft--;
            return failureMessage;
        }
    }

    // gqlgen answers parse and validation failures with 422 (Accept: application/json) and "data": null;
    // errors while resolving come with 200 (gqlgen graphql/handler/transport/http_get.go statusFor).
    private async Task WriteResultAsync(HttpContext context, ExecutionResult result)
    {
        var body = JsonNode.Parse(serializer.Serialize(result))!.AsObject();
        if (!result.Executed)
        {
            body["data"] = null;
        }

        context.Response.StatusCode = result.Executed ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        var body = new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["message"] = message }), ["data"] = null };
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private IResult Screenshot(string id)
    {
        if (!int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var sceneId))
        {
            return Results.Text("Bad Request\n", "text/plain", statusCode: StatusCodes.Status400BadRequest);
        }

        if (!TryGetScene(sceneId, out var scene))
        {
            return Results.Text("Not Found\n", "text/plain", statusCode: StatusCodes.Status404NotFound);
        }

        return Results.Bytes(ScreenshotBytes(scene), ScreenshotContentType(scene));
    }

    private object? FindScene(IResolveFieldContext context)
    {
        var id = context.GetArgument<string?>("id");
        if (id is null)
        {
            return null;
        }

        if (!int.TryParse(id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var sceneId))
        {
            throw new ExecutionError($"strconv.Atoi: parsing \"{id}\": invalid syntax");
        }

        return TryGetScene(sceneId, out var scene) ? View().Scene(scene) : null;
    }

    private object? FindScenes(IResolveFieldContext context)
    {
        var view = View();
        var ids = IdList(context);
        List<StashScene> found;
        int count;
        if (ids.Count > 0)
        {
            // ids win over everything: no filter, no paging, and one missing id fails the whole query
            // (internal/api/resolver_query_find_scene.go, pkg/sqlite/scene.go FindMany).
            found = ids.Select(id => TryGetScene(id, out var s) ? s : throw new ExecutionError($"scene with id {id} not found")).ToList();
            count = found.Count;
        }
        else
        {
            (found, count) = new StashQuery(view).Run(
                [.. Scenes()],
                context.GetArgument<Dictionary<string, object?>?>("scene_filter"),
                context.GetArgument<Dictionary<string, object?>?>("filter"));
        }

        var primaries = found.Where(s => s.Files.Count > 0).ToList();
        return new Dictionary<string, object?>
        {
            ["count"] = count,
            ["duration"] = primaries.Count * 60.0,
            ["filesize"] = primaries.Count * (double)(1 << 20),
            ["scenes"] = found.Select(view.Scene).ToList(),
        };
    }

    private static List<int> IdList(IResolveFieldContext context)
    {
        var ids = context.GetArgument<List<string>?>("ids");
        if (ids is { Count: > 0 })
        {
            return ids.Select(id => int.TryParse(id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw new ExecutionError($"ids: strconv.Atoi: parsing \"{id}\": invalid syntax")).ToList();
        }

        return context.GetArgument<List<int>?>("scene_ids") ?? [];
    }
}
