namespace PlexSync.Simulators;

/// <summary>
/// Makes matching requests misbehave. Default values do nothing; rules are tried in the order added.
/// </summary>
public sealed record Fault
{
    /// <summary>HTTP method to match; null matches any.</summary>
    public string? Method { get; init; }

    /// <summary>Path prefix to match; null or empty matches any path.</summary>
    public string? PathPrefix { get; init; }

    /// <summary>Answer with this status instead of the real handler (0 = no status fault).</summary>
    public int Status { get; init; }

    /// <summary>Retry-After header value sent with <see cref="Status"/>.</summary>
    public string? RetryAfter { get; init; }

    /// <summary>Delay before answering (or before running the real handler).</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>
    /// Hold matching requests until this task completes (at most <see cref="Latency"/>, when set), then
    /// answer: lets a test keep a request in flight exactly as long as it needs, without guessing a time.
    /// </summary>
    public Task? Until { get; init; }

    /// <summary>Run the real handler, then hold its answer this long: the change is made, only the answer is late.</summary>
    public TimeSpan Stall { get; init; }

    /// <summary>Abort the connection without an answer.</summary>
    public bool Drop { get; init; }

    /// <summary>Apply to this many requests, then stop; 0 = until cleared.</summary>
    public int Times { get; init; }

    internal bool Matches(string method, string path) =>
        (string.IsNullOrEmpty(Method) || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase)) &&
        path.StartsWith(PathPrefix ?? string.Empty, StringComparison.Ordinal);
}

/// <summary>One entry of a simulator's request log.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path, decoded.</param>
/// <param name="Query">Query parameters as the server decoded them.</param>
/// <param name="Status">Status of the answer; 0 when the connection was dropped.</param>
/// <param name="At">When the answer started.</param>
public sealed record LoggedRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string[]> Query,
    int Status,
    DateTimeOffset At);
