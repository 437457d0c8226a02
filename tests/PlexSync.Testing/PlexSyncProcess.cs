using System.Diagnostics;
using System.Text;

namespace PlexSync.Testing;

/// <summary>The real `plexsync` binary (the build output beside the tests), run as its own process.</summary>
public sealed class PlexSyncProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();
    private readonly SemaphoreSlim outputChanged = new(0);

    private PlexSyncProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
    }

    public int Id => process.Id;

    public string Output
    {
        get
        {
            lock (stdout)
            {
                return stdout.ToString();
            }
        }
    }

    public string Errors
    {
        get
        {
            lock (stdout)
            {
                return stderr.ToString();
            }
        }
    }

    /// <summary>Starts plexsync with these arguments, extra environment variables and, optionally, text on its stdin.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="environment">Variables to add to the inherited environment.</param>
    /// <param name="stdin">Text for its standard input; null for none.</param>
    /// <param name="executable">A published plexsync (e.g. a Native AOT build) to run instead of the build beside the tests.</param>
    public static PlexSyncProcess Start(
        IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? stdin = null, string? executable = null)
    {
        TestServers.UseCheckoutCli();
        var info = new ProcessStartInfo(executable ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (executable is null)
        {
            info.ArgumentList.Add(Programs.PlexSync);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Spectre.Console draws for a plain, wide, non-interactive terminal.
        info.Environment["NO_COLOR"] = "1";
        info.Environment["COLUMNS"] = "200";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = new PlexSyncProcess(new Process { StartInfo = info });
        process.process.Start();
        process.process.BeginOutputReadLine();
        process.process.BeginErrorReadLine();
        if (stdin is not null)
        {
            process.process.StandardInput.Write(stdin);
        }

        process.process.StandardInput.Close();
        return process;
    }

    /// <summary>Runs plexsync to its end, within <paramref name="timeout"/>.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null, string? stdin = null, string? executable = null)
    {
        await using var run = Start(args, environment, stdin, executable);
        var code = await run.WaitForExitAsync(timeout);
        return (code, run.Output + run.Errors);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"plexsync did not exit within {timeout}:\n{Output}\n{Errors}");
        }

        // The asynchronous readers finish after the exit; this call waits for them.
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Waits until the standard output contains <paramref name="text"/>.</summary>
    public Task WaitForOutputAsync(string text, TimeSpan timeout) => WaitForAsync(() => Output, "print", [text], timeout);

    /// <summary>Waits until the standard error (where the logs go) contains <paramref name="text"/>.</summary>
    public Task WaitForLogAsync(string text, TimeSpan timeout) => WaitForAsync(() => Errors, "log", [text], timeout);

    /// <summary>Waits until the standard error contains one of <paramref name="texts"/>.</summary>
    public Task WaitForLogAsync(IReadOnlyList<string> texts, TimeSpan timeout) => WaitForAsync(() => Errors, "log", texts, timeout);

    /// <summary>Sends a POSIX signal, as Ctrl-C (INT) or a service manager (TERM) would.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-s", signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        outputChanged.Dispose();
    }

    private async Task WaitForAsync(Func<string> stream, string verb, IReadOnlyList<string> texts, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var text = string.Join("\" or \"", texts);
        while (!texts.Any(t => stream().Contains(t, StringComparison.Ordinal)))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"plexsync exited and did not {verb} \"{text}\":\n{Output}\n{Errors}");
            }

            try
            {
                // Woken by each line; the exit check needs a wake-up of its own, hence the second bound.
                await outputChanged.WaitAsync(TimeSpan.FromSeconds(1), cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"plexsync did not {verb} \"{text}\" within {timeout}:\n{Output}\n{Errors}");
            }
        }
    }

    private void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (stdout)
        {
            buffer.AppendLine(line);
        }

        outputChanged.Release();
    }
}
