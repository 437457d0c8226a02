using PlexSync;
using PlexSync.Hosting;
using Serilog;

Logging.UseBootstrapLogger();
try
{
    return await Cli.RunAsync(args);
}
finally
{
    await Log.CloseAndFlushAsync();
}
