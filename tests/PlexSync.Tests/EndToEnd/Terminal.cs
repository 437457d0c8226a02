using System.Diagnostics;

namespace PlexSync.Tests.EndToEnd;

/// <summary>
/// The real `plexsync` binary in a pseudo-terminal (a tmux pane of its own server), answered at its prompts as a
/// person would: wait for a prompt on the screen, type, press a key.
/// </summary>
public sealed class Terminal : IAsyncDisposable
{
    private static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(20);

    private readonly string socket = "plexsync-test-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string exitFile = Path.Combine(Path.GetTempPath(), "plexsync-terminal-" + Guid.NewGuid().ToString("N"));

    private Terminal()
    {
    }

    /// <summary>Whether tmux is on the PATH.</summary>
    public static bool IsAvailable { get; } = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Any(folder => File.Exists(Path.Combine(folder, "tmux")));

    /// <summary>Starts plexsync with these arguments in a 200x50 terminal.</summary>
    public static async Task<Terminal> StartAsync(IEnumerable<string> args)
    {
        var terminal = new Terminal();
        var dll = Programs.PlexSync;
        var command = string.Join(' ', new[] { "dotnet", dll }.Concat(args).Select(Quote));

        // The exit status goes to a file, and the pane stays a while after the program (DisposeAsync ends it)
        // so that its last screen can be read.
        var shell = $"NO_COLOR=1 {command}; echo $? > {Quote(terminal.exitFile)}; sleep 300";
        await terminal.TmuxAsync("-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", "200", "-y", "50", shell);
        return terminal;
    }

    /// <summary>Gets what the terminal shows now, with its scrollback.</summary>
    public Task<string> ScreenAsync() => TmuxAsync("capture-pane", "-p", "-J", "-S", "-", "-t", "main");

    /// <summary>Waits until the screen shows <paramref name="text"/>.</summary>
    public async Task WaitForAsync(string text, TimeSpan limit)
    {
        var screen = "";
        await Poll.UntilAsync(
            async _ => (screen = await ScreenAsync()).Contains(text, StringComparison.Ordinal),
            limit,
            $"\"{text}\" on the terminal",
            () => "the screen:\n" + screen);
    }

    /// <summary>Types text (literally) and presses Enter.</summary>
    public async Task TypeLineAsync(string text)
    {
        if (text.Length > 0)
        {
            await TmuxAsync("send-keys", "-t", "main", "-l", text);
        }

        await PressAsync("Enter");
    }

    /// <summary>Presses a key by its tmux name (Enter, Space, Down).</summary>
    public Task PressAsync(string key) => TmuxAsync("send-keys", "-t", "main", key);

    /// <summary>Waits for the program to end and returns its exit status.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        await Poll.UntilAsync(() => File.Exists(exitFile) && File.ReadAllText(exitFile).Trim().Length > 0, limit, "the program's exit status");
        return int.Parse(await File.ReadAllTextAsync(exitFile), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await TmuxAsync("kill-server");
        }
        catch (InvalidOperationException)
        {
            // The server ends with its last pane.
        }

        File.Delete(exitFile);
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private async Task<string> TmuxAsync(params string[] args)
    {
        var info = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-L");
        info.ArgumentList.Add(socket);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("tmux did not start");
        using var timeout = new CancellationTokenSource(CommandLimit);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"tmux {string.Join(' ', args)}: exit {process.ExitCode}: {await errors}");
    }
}
