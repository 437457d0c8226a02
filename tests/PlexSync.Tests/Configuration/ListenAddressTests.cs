using PlexSync.Configuration;

namespace PlexSync.Tests.Configuration;

public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:9464", "127.0.0.1", 9464, "http://127.0.0.1:9464/")]
    [InlineData("localhost:80", "localhost", 80, "http://localhost:80/")]
    [InlineData(":9464", "+", 9464, "http://+:9464/")]
    [InlineData("0.0.0.0:9464", "+", 9464, "http://+:9464/")]
    [InlineData("[::1]:9464", "::1", 9464, "http://[::1]:9464/")]
    public void Parses_HostAndPort_AnyInterfaceAsPlus(string value, string host, int port, string prefix)
    {
        Assert.Null(ListenAddress.TryParse(value, out var address));

        Assert.Equal(new ListenAddress(host, port), address);
        Assert.Equal(prefix, address!.Prefix);
    }

    [Theory]
    [InlineData("9464", "is not host:port")]
    [InlineData("host:", "is not host:port")]
    [InlineData("host:0", "is not host:port")]
    [InlineData("host:65536", "is not host:port")]
    [InlineData("host:+80", "is not host:port")]
    [InlineData("bad host:9464", "is not an IP address or host name")]
    public void Refuses_SayingWhatIsWrong(string value, string why)
    {
        Assert.Contains(why, ListenAddress.TryParse(value, out var address), StringComparison.Ordinal);
        Assert.Null(address);
    }
}
