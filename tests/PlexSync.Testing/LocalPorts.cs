using System.Net;
using System.Net.Sockets;

namespace PlexSync.Testing;

/// <summary>Ports for servers a test starts that cannot take port 0 themselves (the dev server's frontend and Web UI).</summary>
public static class LocalPorts
{
    /// <summary>A port free on 127.0.0.1 now (the system's next ephemeral one, so unlikely to be taken again at once).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
