using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PlexSync.Configuration;

/// <summary>Options-pattern glue: a host built with a wrong configuration fails at start, naming the key.</summary>
public static class ConfigServiceCollectionExtensions
{
    /// <summary>
    /// Registers <paramref name="config"/> as <see cref="IOptions{PlexSyncConfig}"/>, validated with
    /// <see cref="ConfigValidator"/> when the host starts. <paramref name="needPlex"/> is false for the hook.
    /// </summary>
    public static OptionsBuilder<PlexSyncConfig> AddPlexSyncConfig(
        this IServiceCollection services, PlexSyncConfig config, bool needPlex = true)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(config);
        services.AddSingleton<IValidateOptions<PlexSyncConfig>>(new PlexSyncConfigValidation(needPlex));
        return services.AddOptions<PlexSyncConfig>().Configure(target => CopyTo(config, target)).ValidateOnStart();
    }

    // The options system builds its own instance; it takes the loaded sections as they are.
    private static void CopyTo(PlexSyncConfig source, PlexSyncConfig target)
    {
        target.Stash = source.Stash;
        target.Plex = source.Plex;
        target.PathMappings = source.PathMappings;
        target.Fields = source.Fields;
        target.CollectionSources = source.CollectionSources;
        target.Temporal = source.Temporal;
        target.Retry = source.Retry;
        target.Reconcile = source.Reconcile;
        target.Encryption = source.Encryption;
        target.SpoolPath = source.SpoolPath;
        target.Log = source.Log;
    }
}

/// <summary>Runs <see cref="ConfigValidator"/> for the options system.</summary>
public sealed class PlexSyncConfigValidation(bool needPlex) : IValidateOptions<PlexSyncConfig>
{
    public ValidateOptionsResult Validate(string? name, PlexSyncConfig options)
    {
        var problem = ConfigValidator.Check(options, needPlex);
        return problem is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problem);
    }
}
