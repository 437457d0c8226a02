using System.Net;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using PlexSync.Configuration;
using PlexSync.Workflows;
using Serilog;
using Temporalio.Api.Common.V1;
using Temporalio.Converters;

namespace PlexSync.Hosting;

/// <summary>
/// Serves a payload codec to the Temporal Web UI: POST /encode and /decode with the codec-server JSON shape
/// (<c>{"payloads": [...]}</c>, payloads in protobuf JSON). Only the listed UI origins get CORS headers and,
/// with a token, only requests carrying it as a bearer token are answered. Payload contents are never logged.
/// Built on the base library's HTTP listener, as the worker's metrics endpoint is.
/// </summary>
internal sealed class CodecServer : IDisposable
{
    // The Web UI sends X-Namespace; Authorization carries the bearer token when one is set.
    private const string AllowedHeaders = "Content-Type, X-Namespace, Authorization";

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private readonly HttpListener listener = new();
    private readonly IPayloadCodec codec;
    private readonly HashSet<string> origins;
    private readonly byte[]? expected;

    private CodecServer(IPayloadCodec codec, ListenAddress address, IEnumerable<string> origins, string? token)
    {
        this.codec = codec;
        this.origins = new HashSet<string>(origins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);
        expected = string.IsNullOrEmpty(token) ? null : Encoding.UTF8.GetBytes("Bearer " + token);
        Address = new Uri(address.Prefix.Replace("//+:", "//127.0.0.1:", StringComparison.Ordinal));
        listener.Prefixes.Add(address.Prefix);
        try
        {
            listener.Start();
        }
        catch (HttpListenerException e)
        {
            throw new UserFacingException($"cannot serve the codec on {address.Prefix}: {e.Message}. Pass a free host:port with --listen.", e);
        }

        _ = ServeAsync();
    }

    /// <summary>Gets the address the server answers on.</summary>
    public Uri Address { get; }

    /// <summary>Starts the server on <paramref name="listen"/>.</summary>
    public static CodecServer Start(IPayloadCodec codec, ListenAddress listen, IReadOnlyCollection<string> origins, string? token)
    {
        ArgumentNullException.ThrowIfNull(codec);
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(origins);
        return new CodecServer(codec, listen, origins, token);
    }

    /// <summary>Stops listening; the serving loop ends with the listener.</summary>
    public void Dispose() => listener.Close();

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            // The UI asks for several payloads at once: answer each request on its own.
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            var origin = request.Headers["Origin"] ?? "";
            if (origin.Length > 0 && origins.Contains(origin))
            {
                response.AddHeader("Access-Control-Allow-Origin", origin);
                response.AddHeader("Access-Control-Allow-Credentials", "true");
                response.AddHeader("Access-Control-Allow-Headers", AllowedHeaders);
                response.AddHeader("Access-Control-Allow-Methods", "POST, OPTIONS");
                response.AddHeader("Vary", "Origin");
            }

            var path = request.Url?.AbsolutePath ?? "";

            // A preflight carries no credentials, by the CORS rules: answer it before the token check.
            if (request.HttpMethod == "OPTIONS")
            {
                response.StatusCode = (int)HttpStatusCode.OK;
            }
            else if (expected is not null && !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(request.Headers["Authorization"] ?? ""), expected))
            {
                Log.Warning("Codec server refused {Method} {Path} from {Remote}: no valid bearer token", request.HttpMethod, path, request.RemoteEndPoint.Address);
                await WriteAsync(response, HttpStatusCode.Unauthorized, "text/plain", "unauthorized");
            }
            else if (request.HttpMethod == "POST" && path is "/encode" or "/decode")
            {
                await TransformAsync(request, response, path == "/encode" ? codec.EncodeAsync : codec.DecodeAsync);
            }
            else
            {
                await WriteAsync(response, HttpStatusCode.NotFound, "text/plain", "not found");
            }
        }
        catch (HttpListenerException)
        {
            // The caller hung up; nothing to tell it.
        }
        finally
        {
            response.Close();
        }
    }

    private static async Task TransformAsync(
        HttpListenerRequest request, HttpListenerResponse response, Func<IReadOnlyCollection<Payload>, Task<IReadOnlyCollection<Payload>>> transform)
    {
        Payloads input;
        try
        {
            using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
            input = Parser.Parse<Payloads>(await reader.ReadToEndAsync());
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException)
        {
            // Not the parser's message: it can quote the body, which is payload data.
            await RefuseAsync(request, response, "want {\"payloads\": [...]} with payloads in protobuf JSON", 0);
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
            await RefuseAsync(request, response, e.Message, input.Payloads_.Count);
            return;
        }

        await WriteAsync(response, HttpStatusCode.OK, "application/json", JsonFormatter.Default.Format(new Payloads { Payloads_ = { output } }));
        Log.Debug("Codec server answered {Path} for {Count} payloads", request.Url?.AbsolutePath, input.Payloads_.Count);
    }

    private static async Task RefuseAsync(HttpListenerRequest request, HttpListenerResponse response, string message, int count)
    {
        Log.Warning("Codec server refused {Path} ({Count} payloads): {Reason}", request.Url?.AbsolutePath, count, message);
        await WriteAsync(response, HttpStatusCode.BadRequest, "text/plain", message);
    }

    private static async Task WriteAsync(HttpListenerResponse response, HttpStatusCode status, string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = (int)status;
        response.ContentType = contentType + "; charset=utf-8";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
    }
}
