using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace PlexSync.Clients.Http;

/// <summary>
/// Sends one request to a service and classifies every outcome into a <see cref="ServiceException"/>
/// (status, transport failure, timeout): the plumbing Stash and Plex share.
/// </summary>
/// <remarks>
/// A handler placed between the <see cref="HttpClient"/> and the socket (a circuit breaker, a request
/// limiter, a worker-wide 429 hold) may throw a <see cref="ServiceException"/> itself: it passes
/// through unchanged.
/// </remarks>
internal sealed class ServiceHttp(HttpClient http, string service, string authHint, IReadOnlyList<string> secrets)
{
    private const int ExcerptLength = 120;

    public string Service => service;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Returns a 2xx response (the caller disposes it) or throws the classified failure.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string operation, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // our caller gave up: not a failure of the service
        }
        catch (OperationCanceledException ex)
        {
            // HttpClient.Timeout surfaces as a cancellation nobody asked for.
            throw Fail(operation, FailureKind.Transient, 0, $"timed out after {Seconds(http.Timeout)}", ex);
        }
        catch (HttpRequestException ex)
        {
            var what = ex.InnerException is TimeoutException ? "timed out" : "no response";
            throw Fail(operation, FailureKind.Transient, 0, $"{what}: {ex.Message}", ex);
        }

        var failure = Check(response, operation);
        if (failure is not null)
        {
            response.Dispose();
            throw failure;
        }

        return response;
    }

    /// <summary>
    /// Decodes a JSON answer with the metadata <paramref name="options"/> has for <typeparamref name="T"/> (a source-generated
    /// context); anything that cannot mean a <typeparamref name="T"/> is Rejected, never retried.
    /// </summary>
    public async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, string operation, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        try
        {
            return JsonSerializer.Deserialize(body, (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T))) ?? throw Unreadable(operation, (int)response.StatusCode, body);
        }
        catch (JsonException ex)
        {
            throw Undecodable(operation, (int)response.StatusCode, body, ex);
        }
    }

    /// <summary>Builds a failure whose text is scrubbed of this client's credentials as well as of credential patterns.</summary>
    public ServiceException Fail(string operation, FailureKind kind, int status, string detail, Exception? inner = null) =>
        new(service, operation, kind, status, Redaction.RedactSecrets(detail, secrets), inner: inner);

    /// <summary>An answer that is not what the API sends: the service, the request and a short excerpt.</summary>
    public ServiceException Unreadable(string operation, int status, ReadOnlySpan<byte> body) =>
        Fail(operation, FailureKind.Rejected, status, $"unreadable answer: {Excerpt(body)}");

    /// <summary>Decodes a JSON failure into "field X: why" when the JSON is well formed, else an excerpt.</summary>
    public ServiceException Undecodable(string operation, int status, ReadOnlySpan<byte> body, JsonException ex)
    {
        if (!IsWellFormed(body))
        {
            return Unreadable(operation, status, body);
        }

        var why = ex is LenientValueException ? ex.Message : "has an unexpected type";
        return Fail(operation, FailureKind.Rejected, status, $"field \"{FieldName(ex.Path)}\": {why}", ex);
    }

    /// <summary>Names a JSON path the way a reader knows it: "userRating", "Field[0].locked", not "$.MediaContainer.Metadata[0].userRating".</summary>
    internal static string FieldName(string? path)
    {
        var name = path ?? "";
        name = name.StartsWith("$.", StringComparison.Ordinal) ? name[2..] : name.TrimStart('$');
        name = name.StartsWith("MediaContainer.", StringComparison.Ordinal) ? name["MediaContainer.".Length..] : name;
        var firstItem = name.IndexOf("].", StringComparison.Ordinal);
        return firstItem >= 0 ? name[(firstItem + 2)..] : name;
    }

    /// <summary>The start of a body as one line of text, for an error message.</summary>
    internal static string Excerpt(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return "(empty)";
        }

        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, ExcerptLength * 4)]);
        var sb = new StringBuilder(ExcerptLength + 3);
        foreach (var c in text.Take(ExcerptLength))
        {
            sb.Append(char.IsControl(c) ? ' ' : c);
        }

        return $"\"{sb}{(text.Length > ExcerptLength ? "..." : "")}\"";
    }

    private static bool IsWellFormed(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        try
        {
            while (reader.Read())
            {
            }

            return reader.BytesConsumed > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s";

    private ServiceException? Check(HttpResponseMessage response, string operation)
    {
        var retryAfter = response.Headers.NonValidated.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() : null;
        var failure = HttpOutcome.Check(service, operation, (int)response.StatusCode, retryAfter, authHint, Time.GetUtcNow());
        return failure;
    }
}
