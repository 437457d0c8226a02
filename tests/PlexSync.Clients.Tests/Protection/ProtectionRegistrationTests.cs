using Microsoft.Extensions.DependencyInjection;
using PlexSync.Clients.Protection;
using PlexSync.Simulators;
using Polly.CircuitBreaker;

namespace PlexSync.Clients.Tests.Protection;

public sealed class ProtectionRegistrationTests
{
    [Fact]
    public async Task AddPlexProtection_EveryPlexClientOfTheProcessSharesOneBreakerAndHold()
    {
        await using var plex = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Token = "tok-123456" });
        plex.AddSection(1, "Movies", "/media");
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPlexClient(new PlexClientOptions { Url = plex.BaseAddress, Token = "tok-123456" })
            .AddPlexProtection(new PlexProtectionOptions { BreakerFailures = 2, BreakerCooldown = TimeSpan.FromMinutes(1) });
        await using var provider = services.BuildServiceProvider();
        plex.AddFault(new Fault { Status = 502 });

        // Two typed clients, as two activity scopes get: the failures of both count towards one breaker.
        await Assert.ThrowsAsync<ServiceException>(() => provider.GetRequiredService<IPlexClient>().SectionsAsync(CancellationToken.None));
        await Assert.ThrowsAsync<ServiceException>(() => provider.GetRequiredService<IPlexClient>().SectionsAsync(CancellationToken.None));
        var open = await Assert.ThrowsAsync<ServiceException>(() => provider.GetRequiredService<IPlexClient>().SectionsAsync(CancellationToken.None));

        Assert.Equal(FailureKind.CircuitOpen, open.Kind);
        Assert.Equal(CircuitState.Open, provider.GetRequiredService<PlexProtection>().BreakerState);
        Assert.Equal(2, plex.Count("GET"));
    }
}
