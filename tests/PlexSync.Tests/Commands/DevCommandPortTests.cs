using PlexSync.Commands;

namespace PlexSync.Tests.Commands;

public sealed class DevCommandPortTests
{
    [Theory]
    [InlineData("127.0.0.1:17234", 17234)]
    [InlineData("localhost:7300", 7300)]
    [InlineData("[::1]:7233", 7233)]
    public void ServerPort_IsTemporalAddressPort_WhenItIsThisMachine(string address, int port) =>
        Assert.Equal((port, null), DevCommand.ServerPort(address, portFlag: null));

    [Theory]
    [InlineData("temporal:7233")]
    [InlineData("192.0.2.10:7233")]
    public void ServerPort_RefusesAnotherMachine_NamingTheKeyAndWhatToDo(string address)
    {
        var e = Assert.Throws<UserFacingException>(() => DevCommand.ServerPort(address, portFlag: null));
        Assert.Contains($"temporal.address is {address}, which is not this machine", e.Message, StringComparison.Ordinal);
        Assert.Contains("plexsync worker", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ServerPort_RefusesAnUnreadableAddress() =>
        Assert.Contains("temporal.address", Assert.Throws<UserFacingException>(() => DevCommand.ServerPort("nowhere", portFlag: null)).Message, StringComparison.Ordinal);

    [Fact]
    public void PortFlag_OverridesTemporalAddress_AndSaysThatTheOtherCommandsWillNotFindIt()
    {
        var (port, warning) = DevCommand.ServerPort("127.0.0.1:7233", portFlag: 7300);
        Assert.Equal(7300, port);
        Assert.Contains("--port 7300 overrides temporal.address (127.0.0.1:7233)", warning, StringComparison.Ordinal);
        Assert.Contains("Set temporal.address to 127.0.0.1:7300", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void PortFlag_EqualToTemporalAddress_WarnsOfNothing() =>
        Assert.Equal((7233, null), DevCommand.ServerPort("127.0.0.1:7233", portFlag: 7233));

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("seven")]
    public void PortFlag_OutOfRange_IsAParseError(string value) =>
        Assert.NotEmpty(Cli.CreateRootCommand().Parse(["dev", "--port", value]).Errors);
}
