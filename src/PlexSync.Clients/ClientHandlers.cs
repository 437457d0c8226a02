using System.Net;

namespace PlexSync.Clients;

/// <summary>The HTTP handler and client settings Stash and Plex share.</summary>
internal static class ClientHandlers
{
    /// <summary>
    /// Creates the socket handler: bounded connect, pooled connections that are recycled (so DNS
    /// changes are seen), and no redirects, since a redirect would carry the X-Plex-Token or ApiKey
    /// header to wherever it points.
    /// </summary>
    public static SocketsHttpHandler CreatePrimaryHandler(TimeSpan connectTimeout) => new()
    {
        ConnectTimeout = connectTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.All,
    };

    /// <summary>
    /// Creates a client for use without dependency injection. <paramref name="handler"/> (for tests,
    /// or a chain of <see cref="DelegatingHandler"/>s) replaces the socket handler.
    /// </summary>
    internal static HttpClient CreateHttpClient(HttpMessageHandler? handler, TimeSpan connectTimeout, TimeSpan timeout) =>
        new(handler ?? CreatePrimaryHandler(connectTimeout), disposeHandler: true) { Timeout = timeout };

    /// <summary>Checks a configured server URL and returns it without a trailing slash, for appending paths.</summary>
    internal static string BaseUrl(string service, Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || url.Host.Length == 0)
        {
            throw new ArgumentException($"{service} URL \"{Redaction.Redact(url.OriginalString)}\" is not an http(s) URL with a host", nameof(url));
        }

        if (url.Query.Length > 0 || url.UserInfo.Length > 0)
        {
            // A query would be dropped, and user info would end up in every URL we quote.
            throw new ArgumentException($"{service} URL \"{Redaction.Redact(url.OriginalString)}\" must not have a query or user info", nameof(url));
        }

        return url.GetLeftPart(UriPartial.Authority) + url.AbsolutePath.TrimEnd('/');
    }
}
