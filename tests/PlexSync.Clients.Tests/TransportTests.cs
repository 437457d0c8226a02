using System.Net;
using System.Net.Sockets;

namespace PlexSync.Clients.Tests;

public class TransportTests
{
    [Fact]
    public async Task Timeout_IsTransientTimedOut()
    {
        var stub = new StubHandler(async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        var plex = Clients.Plex(stub, TimeSpan.FromMilliseconds(100));

        var ex = await Assert.ThrowsAsync<ServiceException>(() => plex.SectionsAsync(CancellationToken.None));

        Assert.Equal(FailureKind.Transient, ex.Kind);
        Assert.Equal(0, ex.Status);
        Assert.Equal("plex: GET /library/sections: timed out after 0.1s", ex.Message);
    }

    [Fact]
    public async Task CallerCancellation_IsRethrownAsCancellation()
    {
        var stub = new StubHandler(async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        var plex = Clients.Plex(stub);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => plex.SectionsAsync(cts.Token));
    }

    [Fact]
    public async Task RefusedConnection_IsTransientNoResponse_WithoutTheToken()
    {
        // A port nothing listens on: take one, then free it.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var plex = PlexClient.Create(new PlexClientOptions { Url = new Uri($"http://127.0.0.1:{port}"), Token = Clients.Token, ConnectTimeout = TimeSpan.FromSeconds(1) });

        var ex = await Assert.ThrowsAsync<ServiceException>(() => plex.ItemAsync("5", CancellationToken.None));

        Assert.Equal(FailureKind.Transient, ex.Kind);
        Assert.StartsWith("plex: GET /library/metadata/5: no response: ", ex.Message);
        Assert.DoesNotContain(Clients.Token, ex.ToString());
    }

    [Fact]
    public async Task HandlerInFront_MayThrowItsOwnServiceException()
    {
        var open = new ServiceException("plex", "GET /library/sections", FailureKind.CircuitOpen, 0, "not sent: Plex failed repeatedly");
        var plex = Clients.Plex(new StubHandler((_, _) => throw open));

        var ex = await Assert.ThrowsAsync<ServiceException>(() => plex.SectionsAsync(CancellationToken.None));

        Assert.Same(open, ex);
    }

    [Theory]
    [InlineData("ftp://plex:21")]
    [InlineData("http://user:pw@plex:32400")]
    [InlineData("http://plex:32400/?X-Plex-Token=abc")]
    public void Create_RefusesAnUnusableUrl_WithoutQuotingCredentials(string url)
    {
        var ex = Assert.Throws<ArgumentException>(() => PlexClient.Create(new PlexClientOptions { Url = new Uri(url), Token = "t" }));

        Assert.DoesNotContain("pw@", ex.Message);
        Assert.DoesNotContain("Token=abc", ex.Message);
    }
}
