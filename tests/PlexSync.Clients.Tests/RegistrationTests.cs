using Microsoft.Extensions.DependencyInjection;
using PlexSync.Simulators;

namespace PlexSync.Clients.Tests;

public class RegistrationTests
{
    [Fact]
    public async Task AddClients_ResolveTypedClientsThatTalkToTheServers()
    {
        await using var plex = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Token = "tok-123456" });
        await using var stash = await StashSimulator.StartAsync(new StashSimulatorOptions { ApiKey = "key-123456" });
        plex.AddSection(1, "Movies", "/media");
        var services = new ServiceCollection();
        services.AddPlexClient(new PlexClientOptions { Url = plex.BaseAddress, Token = "tok-123456" });
        services.AddStashClient(new StashClientOptions { Url = stash.BaseAddress, ApiKey = "key-123456" });
        await using var provider = services.BuildServiceProvider();

        var sections = await provider.GetRequiredService<IPlexClient>().SectionsAsync(CancellationToken.None);
        var scene = await provider.GetRequiredService<IStashClient>().FindSceneAsync("1", CancellationToken.None);

        Assert.Single(sections);
        Assert.Null(scene);
    }

    [Fact]
    public async Task AddPlexClient_AppliesTheReadTimeout()
    {
        await using var plex = await PlexSimulator.StartAsync();
        plex.AddFault(new Fault { Latency = TimeSpan.FromSeconds(2) });
        var services = new ServiceCollection();
        services.AddPlexClient(new PlexClientOptions { Url = plex.BaseAddress, Token = "t", Timeout = TimeSpan.FromMilliseconds(200) });
        await using var provider = services.BuildServiceProvider();

        var ex = await Assert.ThrowsAsync<ServiceException>(() => provider.GetRequiredService<IPlexClient>().SectionsAsync(CancellationToken.None));

        Assert.Equal(FailureKind.Transient, ex.Kind);
        Assert.Contains("timed out after 0.2s", ex.Message);
    }
}
