namespace PlexSync.Clients;

/// <summary>The class of a failed call to Stash or Plex; it decides how a sync retries.</summary>
public enum FailureKind
{
    /// <summary>5xx, timeouts, refused or dropped connections.</summary>
    Transient,

    /// <summary>HTTP 429.</summary>
    RateLimited,

    /// <summary>HTTP 401 or 403.</summary>
    Auth,

    /// <summary>HTTP 400 or 422, a GraphQL error, or an answer that cannot mean anything.</summary>
    Rejected,

    /// <summary>HTTP 404.</summary>
    NotFound,

    /// <summary>Not sent: Plex failed repeatedly and the circuit breaker is open.</summary>
    CircuitOpen,

    /// <summary>
    /// HTTP 404 on a path a correctly configured server always has (Plex's section listings, Stash's
    /// GraphQL endpoint): the configured URL is wrong, and no retry can fix it.
    /// </summary>
    WrongUrl,

    /// <summary>HTTP 409: the server's state changed under the request; reading again and retrying fixes it.</summary>
    Conflict,
}

/// <summary>
/// A classified failure of one call to Stash or Plex. Its message never contains a credential:
/// every text that comes from outside passes through <see cref="Redaction.Redact"/>.
/// </summary>
public sealed class ServiceException : Exception
{
    public ServiceException(string service, string operation, FailureKind kind, int status, string detail, TimeSpan retryAfter = default, Exception? inner = null)
        : base(Describe(service, operation, status, detail), inner)
    {
        Service = service;
        Operation = operation;
        Kind = kind;
        Status = status;
        RetryAfter = retryAfter;
    }

    /// <summary>Gets "stash" or "plex".</summary>
    public string Service { get; }

    /// <summary>Gets the request, e.g. "GET /library/sections" (path only: no host, no query).</summary>
    public string Operation { get; }

    public FailureKind Kind { get; }

    /// <summary>Gets the HTTP status, or 0 when no response arrived.</summary>
    public int Status { get; }

    /// <summary>Gets how long the server asked us to wait (Retry-After), for <see cref="FailureKind.RateLimited"/>.</summary>
    public TimeSpan RetryAfter { get; }

    private static string Describe(string service, string operation, int status, string detail)
    {
        var prefix = operation.Length > 0 ? $"{service}: {operation}" : service;
        return Redaction.Redact(status == 0 ? $"{prefix}: {detail}" : $"{prefix}: HTTP {status}: {detail}");
    }
}
