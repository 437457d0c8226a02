namespace PlexSync.Clients;

/// <summary>How to reach Stash. <see cref="ApiKey"/> is empty when Stash has no credentials set.</summary>
public sealed record StashClientOptions
{
    public required Uri Url { get; init; }

    public string ApiKey { get; init; } = "";

    /// <summary>Gets the name of a session cookie to send instead of an API key (a hook's input carries one).</summary>
    public string SessionCookieName { get; init; } = "session";

    /// <summary>Gets the session cookie's value; empty sends no cookie.</summary>
    public string SessionCookieValue { get; init; } = "";

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the limit for one request's answer.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Gets the limit for one request's answer unless the configuration sets one (stash.timeout).</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(30);

    public override string ToString() => $"StashClientOptions {{ Url = {Url}, ApiKey = [redacted], SessionCookieValue = [redacted] }}";
}

/// <summary>How to reach Plex.</summary>
public sealed record PlexClientOptions
{
    public required Uri Url { get; init; }

    public required string Token { get; init; }

    /// <summary>
    /// Gets the X-Plex-Client-Identifier, stable for one installation (<see cref="PlexIdentity.DeriveClientId"/>);
    /// empty derives one from <see cref="Url"/>.
    /// </summary>
    public string ClientId { get; init; } = "";

    /// <summary>Gets the X-Plex-Device-Name Plex shows for this client.</summary>
    public string DeviceName { get; init; } = PlexIdentity.DeviceName;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Gets the limit for one request's answer unless the configuration sets one (plex.timeout).</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(30);

    public override string ToString() => $"PlexClientOptions {{ Url = {Url}, Token = [redacted] }}";
}
