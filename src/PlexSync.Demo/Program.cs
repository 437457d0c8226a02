using System.CommandLine;
using PlexSync.Demo;

return await DemoCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration
{
    // The demo stops `plexsync dev`, which lets its running activities finish.
    ProcessTerminationTimeout = TimeSpan.FromMinutes(1),
});
