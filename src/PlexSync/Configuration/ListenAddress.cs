using System.Globalization;
using System.Net;

namespace PlexSync.Configuration;

/// <summary>An address from "host:port": where to serve HTTP (metrics.listen), or where Temporal listens (temporal.address).</summary>
/// <param name="Host">An IP address or host name; "+" for every interface.</param>
/// <param name="Port">The TCP port.</param>
internal sealed record ListenAddress(string Host, int Port)
{
    /// <summary>The host of "every interface" in an HTTP listener prefix.</summary>
    public const string AnyHost = "+";

    /// <summary>Gets a value indicating whether the host is this machine's loopback address (127.0.0.1, localhost, ::1).</summary>
    public bool IsLoopback =>
        string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(Host, out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>Gets the base URL of the listener, for its prefixes ("http://127.0.0.1:9464/").</summary>
    public string Prefix => $"http://{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port.ToString(CultureInfo.InvariantCulture)}/";

    /// <summary>
    /// Parses "127.0.0.1:9464", "localhost:9464", "[::1]:9464", or ":9464" / "0.0.0.0:9464" for every interface.
    /// Returns what is wrong, or null with <paramref name="address"/> set.
    /// </summary>
    public static string? TryParse(string value, out ListenAddress? address)
    {
        ArgumentNullException.ThrowIfNull(value);
        address = null;
        var colon = value.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return $"\"{value}\" is not host:port, like 127.0.0.1:9464 (or :9464 for every interface)";
        }

        var host = value[..colon].Trim('[', ']');
        if (host.Length == 0 || host is "0.0.0.0" or "::" or "*" or "+")
        {
            host = AnyHost;
        }
        else if (!IPAddress.TryParse(host, out _) && Uri.CheckHostName(host) != UriHostNameType.Dns)
        {
            return $"\"{host}\" is not an IP address or host name";
        }

        address = new ListenAddress(host, port);
        return null;
    }
}
