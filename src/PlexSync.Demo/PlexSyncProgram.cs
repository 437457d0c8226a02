using System.Diagnostics;
using System.Reflection;

namespace PlexSync.Demo;

/// <summary>The plexsync program built beside the demo, run as its own process with its log going to the demo's log file.</summary>
internal sealed class PlexSyncProgram : IAsyncDisposable
{
    // `plexsync dev` writes this when its Temporal server answers; the demo then asks it for syncs.
    private const string ServerStarted = "Temporal dev server on";

    private readonly Process process;
    private readonly TaskCompletionSource serverStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PlexSyncProgram(Process process, LogFile log)
    {
        this.process = process;
        process.ErrorDataReceived += (_, e) => Received(e.Data, log);
        process.OutputDataReceived += (_, e) => Received(e.Data, log);
    }

    /// <summary>Starts plexsync; its stderr goes to <paramref name="log"/>, and so does stdout unless <paramref name="showOutput"/>.</summary>
    public static PlexSyncProgram Start(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, LogFile log, bool showOutput = false)
    {
        var info = StartInfo();
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        if (Environment.GetEnvironmentVariable(TemporalCli.PathVariable) is null or "" && TemporalCli.FindInCheckout() is { } cli)
        {
            info.Environment[TemporalCli.PathVariable] = cli;
        }

        info.RedirectStandardError = true;
        info.RedirectStandardOutput = !showOutput;
        var program = new PlexSyncProgram(new Process { StartInfo = info, EnableRaisingEvents = true }, log);
        program.process.Start();
        program.process.BeginErrorReadLine();
        if (!showOutput)
        {
            program.process.BeginOutputReadLine();
        }

        return program;
    }

    /// <summary>Waits until `plexsync dev` says its Temporal server answers; fails with its last words if it exits first.</summary>
    public async Task WaitForServerAsync(CancellationToken cancellationToken)
    {
        var exited = process.WaitForExitAsync(cancellationToken);

        // The output reader completes serverStarted; its continuations run asynchronously.
#pragma warning disable VSTHRD003
        if (await Task.WhenAny(serverStarted.Task, exited) == exited)
#pragma warning restore VSTHRD003
        {
            await exited;
            throw new InvalidOperationException($"plexsync dev stopped (exit status {process.ExitCode}) before its Temporal server started; see the log");
        }
    }

    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode;
    }

    /// <summary>Stops the program as Ctrl-C would, so that it lets running activities finish.</summary>
    public async Task StopAsync()
    {
        if (process.HasExited)
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            process.Kill(entireProcessTree: true);
        }
        else
        {
            using var interrupt = Process.Start("kill", ["-s", "INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await interrupt.WaitForExitAsync();
        }

        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(patience.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    // The program in its own build folder (see PlexSync.Demo.csproj), started through its apphost.
    private static ProcessStartInfo StartInfo()
    {
        var dll = typeof(PlexSyncProgram).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "PlexSyncProgram").Value!;
        return new ProcessStartInfo(Path.ChangeExtension(dll, OperatingSystem.IsWindows() ? ".exe" : null)) { UseShellExecute = false };
    }

    private void Received(string? line, LogFile log)
    {
        if (line is null)
        {
            return;
        }

        log.Write(line);
        if (line.Contains(ServerStarted, StringComparison.Ordinal))
        {
            serverStarted.TrySetResult();
        }

        // A failure the user must see (a command's one-line error) goes to the terminal too.
        if (line.StartsWith("plexsync:", StringComparison.Ordinal))
        {
            Console.Error.WriteLine(line);
        }
    }
}
