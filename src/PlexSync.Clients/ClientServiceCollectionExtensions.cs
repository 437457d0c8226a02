using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using PlexSync.Clients.Metrics;
using PlexSync.Clients.Protection;

namespace PlexSync.Clients;

/// <summary>Registers the Stash and Plex clients as typed HttpClients.</summary>
public static class ClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IStashClient"/>. The returned builder is the seam for handlers that sit
    /// in front of the socket (AddHttpMessageHandler), e.g. a request limiter.
    /// </summary>
    public static IHttpClientBuilder AddStashClient(this IServiceCollection services, StashClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return services.AddHttpClient<IStashClient, StashClient>((http, _) => new StashClient(http, options))
            .Configure(StashClient.ServiceName, options.ConnectTimeout, options.Timeout);
    }

    /// <summary>
    /// Registers <see cref="IPlexClient"/>. The returned builder is the seam for the circuit breaker,
    /// the request limiter and the worker-wide 429 hold (AddHttpMessageHandler): a handler may throw
    /// a <see cref="ServiceException"/> of kind CircuitOpen or RateLimited instead of sending.
    /// </summary>
    public static IHttpClientBuilder AddPlexClient(this IServiceCollection services, PlexClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return services.AddHttpClient<IPlexClient, PlexClient>((http, _) => new PlexClient(http, options))
            .Configure(PlexClient.ServiceName, options.ConnectTimeout, options.Timeout);
    }

    /// <summary>
    /// Puts <see cref="PlexProtectionHandler"/> (request rate, worker-wide 429 hold, circuit breaker)
    /// in front of the Plex client's socket, with one <see cref="PlexProtection"/> per process: every
    /// Plex request of the worker shares it.
    /// </summary>
    public static IHttpClientBuilder AddPlexProtection(this IHttpClientBuilder builder, PlexProtectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(sp => new PlexProtection(
            options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PlexProtection>>(), sp.GetRequiredService<ClientMetrics>()));
        return builder.AddHttpMessageHandler(sp => new PlexProtectionHandler(sp.GetRequiredService<PlexProtection>()));
    }

    // The metrics handler wraps the socket, inside every other handler: it sees only requests that go out. The
    // factory's logging handlers are left out: they open a log scope per request for lines (request start and end at
    // Information) that the worker's log level drops anyway; the clients log what matters themselves.
    private static IHttpClientBuilder Configure(this IHttpClientBuilder builder, string service, TimeSpan connectTimeout, TimeSpan timeout)
    {
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<ClientMetrics>();
        return builder
            .ConfigurePrimaryHttpMessageHandler(sp => new RequestMetricsHandler(service, sp.GetRequiredService<ClientMetrics>())
            {
                InnerHandler = ClientHandlers.CreatePrimaryHandler(connectTimeout),
            })
            .ConfigureHttpClient(http => http.Timeout = timeout)
            .RemoveAllLoggers()

            // The handler recycles its own connections (PooledConnectionLifetime); rotating handlers
            // as well would only drop warm connections.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
    }
}
