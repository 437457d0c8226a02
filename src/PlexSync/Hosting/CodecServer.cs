using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PlexSync.Workflows.Encryption;
using Serilog;
using Temporalio.Api.Common.V1;
using Temporalio.Converters;

namespace PlexSync.Hosting;

/// <summary>
/// Serves a payload codec to the Temporal Web UI: POST /encode and /decode with the codec-server JSON shape
/// (<c>{"payloads": [...]}</c>, payloads in protobuf JSON). Only the listed UI origins get CORS headers and,
/// with a token, only requests carrying it as a bearer token are answered. Payload contents are never logged.
/// </summary>
public sealed class CodecServer : IAsyncDisposable
{
    // The Web UI sends X-Namespace; Authorization carries the bearer token when one is set.
    private const string AllowedHeaders = "Content-Type, X-Namespace, Authorization";

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private readonly WebApplication app;

    private CodecServer(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
    }

    /// <summary>Gets the address the server listens on (with the port it got when port 0 was asked for).</summary>
    public Uri Address { get; }

    /// <summary>Starts the server on <paramref name="listen"/> ("host:port"; port 0 picks a free one).</summary>
    public static async Task<CodecServer> StartAsync(
        IPayloadCodec codec, string listen, IReadOnlyCollection<string> origins, string? token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(codec);
        ArgumentNullException.ThrowIfNull(origins);
        var builder = WebApplication.CreateSlimBuilder();

        // ASP.NET's own request logging would be noise; this server logs one line per request itself.
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{listen}");
        var web = builder.Build();
        var allowed = new HashSet<string>(origins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);
        var expected = string.IsNullOrEmpty(token) ? null : Encoding.UTF8.GetBytes("Bearer " + token);
        web.Use(async (context, next) =>
        {
            var origin = context.Request.Headers.Origin.ToString();
            if (origin.Length > 0 && allowed.Contains(origin))
            {
                var headers = context.Response.Headers;
                headers.AccessControlAllowOrigin = origin;
                headers.AccessControlAllowCredentials = "true";
                headers.AccessControlAllowHeaders = AllowedHeaders;
                headers.AccessControlAllowMethods = "POST, OPTIONS";
                headers.Vary = "Origin";
            }

            // A preflight carries no credentials, by the CORS rules: answer it before the token check.
            if (HttpMethods.IsOptions(context.Request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
                return;
            }

            if (expected is not null && !CryptographicOperations.FixedTimeEquals(
                Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString()), expected))
            {
                Log.Warning("Codec server refused {Method} {Path} from {Remote}: no valid bearer token", context.Request.Method, context.Request.Path.Value, context.Connection.RemoteIpAddress);
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.Response.WriteAsync("unauthorized");
                return;
            }

            await next(context);
        });
        web.MapPost("/encode", context => HandleAsync(context, codec.EncodeAsync));
        web.MapPost("/decode", context => HandleAsync(context, codec.DecodeAsync));
        await web.StartAsync(cancellationToken);
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new CodecServer(web, new Uri(address));
    }

    /// <summary>Waits until <paramref name="cancellationToken"/> is cancelled or the host stops.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(stop.Token);
        await app.DisposeAsync();
    }

    private static async Task HandleAsync(HttpContext context, Func<IReadOnlyCollection<Payload>, Task<IReadOnlyCollection<Payload>>> transform)
    {
        Payloads input;
        try
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            input = Parser.Parse<Payloads>(await reader.ReadToEndAsync(context.RequestAborted));
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException)
        {
            // Not the parser's message: it can quote the body, which is payload data.
            await AnswerAsync(context, StatusCodes.Status400BadRequest, "want {\"payloads\": [...]} with payloads in protobuf JSON", 0);
            return;
        }

        IReadOnlyCollection<Payload> output;
        try
        {
            output = await transform(input.Payloads_);
        }
        catch (PayloadDecryptionException e)
        {
            // The message names a key ID and what to do, never payload data.
            await AnswerAsync(context, StatusCodes.Status400BadRequest, e.Message, input.Payloads_.Count);
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonFormatter.Default.Format(new Payloads { Payloads_ = { output } }), context.RequestAborted);
        Log.Debug("Codec server answered {Path} for {Count} payloads", context.Request.Path.Value, input.Payloads_.Count);
    }

    private static async Task AnswerAsync(HttpContext context, int status, string message, int count)
    {
        Log.Warning("Codec server refused {Path} ({Count} payloads): {Reason}", context.Request.Path.Value, count, message);
        context.Response.StatusCode = status;
        await context.Response.WriteAsync(message, context.RequestAborted);
    }
}
