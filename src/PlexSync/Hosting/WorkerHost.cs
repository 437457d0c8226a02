using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PlexSync.Clients;
using PlexSync.Clients.Protection;
using PlexSync.Workflows;
using Serilog;
using Temporalio.Client;
using Temporalio.Extensions.Hosting;

namespace PlexSync.Hosting;

/// <summary>
/// The worker process as a .NET generic host: two hosted Temporal workers (workflows and Stash
/// activities on the task queue, Plex-bound activities on its Plex queue), activities from DI.
/// </summary>
internal static class WorkerHost
{
    /// <summary>Builds the host; <paramref name="configureLogging"/> decides where its logs go.</summary>
    public static IHost Build(ITemporalClient client, WorkerSetup setup, Action<LoggerConfiguration> configureLogging)
    {
        ArgumentNullException.ThrowIfNull(setup);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });

        // Let running activities finish: the host must wait at least as long as the workers do.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = setup.GracefulShutdown + TimeSpan.FromSeconds(5));
        builder.Services.AddSerilog((_, logger) => configureLogging(logger));
        builder.Services.AddSingleton(client);
        builder.Services.AddSingleton(setup.Sync);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PlexSectionCache>();
        builder.Services.AddSingleton<PlexServerCache>();
        builder.Services.AddSingleton<PosterMemory>();
        builder.Services.AddStashClient(setup.Stash);
        // Every Plex request of this process shares one breaker, one 429 hold and one request rate.
        builder.Services.AddPlexClient(setup.Plex).AddPlexProtection(setup.PlexProtection);
        var identity = WorkerIdentity.Of(client, setup.TaskQueue);
        builder.Services.AddSingleton(identity);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<ReconcileMetrics>();
        builder.Services.AddSingleton(sp => new WorkerStatus(
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<PlexProtection>(), setup.SpoolPath, sp.GetRequiredService<IMeterFactory>()));
        builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<WorkerHeartbeat>(sp, setup.Metrics is not null));
        if (setup.Metrics is { } listen)
        {
            builder.Services.AddSingleton(listen);
            builder.Services.AddHostedService<MetricsEndpoint>();
        }

        AddWorkers(builder.Services, setup, identity);
        return builder.Build();
    }

    // The two Temporal workers: workflows and Stash-side activities on the task queue, Plex-bound activities on its Plex queue.
    private static void AddWorkers(IServiceCollection services, WorkerSetup setup, WorkerIdentity identity)
    {
        services.AddActivityFactories();
        services.AddHostedTemporalWorker(setup.TaskQueue)
            .AddScopedActivities<SyncActivities>()
            .AddScopedActivities<RecordPlayActivities>()
            .ConfigureOptions()
            .Configure<WorkerStatus>((o, status) =>
            {
                // The readiness check looks for this identity among the queue's pollers.
                o.Identity = identity.Identity;
                o.Interceptors = [new SyncOutcomeInterceptor(status)];
                WorkerQueues.Main(o, setup.Sync.Tuning);
                o.GracefulShutdownTimeout = setup.GracefulShutdown;
            });
        services.AddHostedTemporalWorker(ActivityPolicies.PlexQueue(setup.TaskQueue))
            .AddScopedActivities<SyncActivities>()
            .AddScopedActivities<ReconcileActivities>()
            .AddScopedActivities<PlaysActivities>()
            .ConfigureOptions(o =>
            {
                o.Identity = identity.Identity;
                WorkerQueues.Plex(o, setup.Sync.Tuning);
                // Enforced by the server across every worker of the queue.
                o.MaxTaskQueueActivitiesPerSecond = setup.PlexActivitiesPerSecond;

                // Plex on a home server copes with a few requests at a time.
                o.MaxConcurrentActivities = 8;
                o.MaxConcurrentActivityTaskPolls = 4;
                o.GracefulShutdownTimeout = setup.GracefulShutdown;
            });
    }
}
