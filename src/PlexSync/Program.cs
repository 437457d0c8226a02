using PlexSync;
using PlexSync.Commands;
using PlexSync.Hosting;
using Serilog;

// Stash waits for `plexsync hook` on every save and every scanned file: a plain hook command line skips
// the command tree, the console set-up and the logger bootstrap, which it does not use.
if (HookInvocation.IsHook(args))
{
    // The hook compares and formats nothing by culture: invariant globalization spares it loading ICU
    // (about 6 ms of CPU of the Native AOT hook's 37). Set before anything reads a culture.
    AppContext.SetSwitch("System.Globalization.Invariant", true);
    if (HookInvocation.TryParse(args) is { } hook)
    {
        return await Cli.RunHookAsync(hook);
    }
}

Logging.UseBootstrapLogger();
try
{
    return await Cli.RunAsync(args);
}
finally
{
    await Log.CloseAndFlushAsync();
}
