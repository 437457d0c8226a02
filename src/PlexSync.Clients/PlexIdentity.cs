using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace PlexSync.Clients;

/// <summary>
/// How PlexSync names itself to Plex, in the X-Plex-* headers every Plex client sends (python-plexapi:
/// plexapi/__init__.py; plex-api-spec lists them on every request). Plex lists and authorises devices by
/// the client identifier, so it must be stable for one installation and differ between installations.
/// </summary>
public static class PlexIdentity
{
    public const string Product = "PlexSync";

    /// <summary>Gets the program's version, without the source revision.</summary>
    public static string Version { get; } =
        (typeof(PlexIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    /// <summary>Gets the operating system's name, as python-plexapi sends it (Linux, Windows, macOS).</summary>
    public static string Platform { get; } =
        OperatingSystem.IsLinux() ? "Linux" : OperatingSystem.IsWindows() ? "Windows" : OperatingSystem.IsMacOS() ? "macOS" : RuntimeInformation.OSDescription;

    /// <summary>Gets the operating system's version.</summary>
    public static string PlatformVersion { get; } = Environment.OSVersion.Version.ToString();

    /// <summary>Gets the machine's name, which Plex shows as the device's name.</summary>
    public static string DeviceName { get; } = Environment.MachineName;

    /// <summary>
    /// A client identifier derived from what identifies an installation (e.g. the Plex URL, the Temporal
    /// namespace and task queue): the same for every worker of it and across restarts, with nothing to
    /// store, and different for another installation. The parts carry no secret.
    /// </summary>
    public static string DeriveClientId(params IEnumerable<string> parts)
    {
        var joined = string.Join('\n', parts.Prepend(Product));
        return "plexsync-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(joined)).AsSpan(0, 12));
    }

    /// <summary>A header value as HTTP/1.1 carries it: printable ASCII, anything else as '?'.</summary>
    internal static string HeaderValue(string value) =>
        string.Concat(value.Select(c => c is >= ' ' and <= '~' ? c : '?')).Trim();
}
