using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PlexSync.Clients;
using PlexSync.Workflows;

namespace PlexSync.Hosting;

/// <summary>
/// Every activity class with a factory that calls its constructor: a Native AOT build trims the constructors that
/// DI would otherwise find by reflection. AddScopedActivities keeps a registration it finds, so these come first.
/// </summary>
internal static class ActivityFactories
{
    public static IServiceCollection AddActivityFactories(this IServiceCollection services)
    {
        services.AddScoped(sp => new ScenePlanner(
            sp.GetRequiredService<IStashClient>(), sp.GetRequiredService<IPlexClient>(), sp.GetRequiredService<SyncSettings>(),
            sp.GetRequiredService<PlexSectionCache>(), sp.GetRequiredService<PosterMemory>()));
        services.AddScoped(sp => new SyncActivities(
            sp.GetRequiredService<IStashClient>(), sp.GetRequiredService<IPlexClient>(), sp.GetRequiredService<ScenePlanner>(),
            sp.GetRequiredService<ILogger<SyncActivities>>()));
        services.AddScoped(sp => new ReconcileActivities(
            sp.GetRequiredService<ScenePlanner>(), sp.GetRequiredService<ReconcileMetrics>(), sp.GetRequiredService<ILogger<ReconcileActivities>>()));
        services.AddScoped(sp => new PlaysActivities(
            sp.GetRequiredService<IStashClient>(), sp.GetRequiredService<IPlexClient>(), sp.GetRequiredService<SyncSettings>(),
            sp.GetRequiredService<PlexSectionCache>(), sp.GetRequiredService<PlexServerCache>(), sp.GetRequiredService<ILogger<PlaysActivities>>()));
        services.AddScoped(sp => new RecordPlayActivities(sp.GetRequiredService<IStashClient>(), sp.GetRequiredService<ILogger<RecordPlayActivities>>()));
        return services;
    }
}
