using System.Globalization;

namespace PlexSync.Testing;

/// <summary>
/// What /proc says of other processes: those the SDK or a test started without handing over a
/// Process object (the dev server), their state, parent, CPU time and peak memory. Linux only.
/// </summary>
public static class LinuxProcesses
{
    /// <summary>The processes whose command-line arguments satisfy <paramref name="match"/>.</summary>
    public static IReadOnlyList<int> Find(Func<string[], bool> match)
    {
        ArgumentNullException.ThrowIfNull(match);
        return [.. Directory.EnumerateDirectories("/proc")
            .Select(dir => int.TryParse(Path.GetFileName(dir), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && TryRead($"/proc/{pid}/cmdline", out var line) && match(line.Split('\0')))];
    }

    /// <summary>Whether the process is gone or a zombie (dead, not yet reaped by its parent).</summary>
    public static bool IsDead(int pid) => Stat(pid) is not { } fields || fields[0] == "Z";

    /// <summary>The parent's pid; 0 when the process is gone.</summary>
    public static int ParentOf(int pid) => Stat(pid) is { } fields ? int.Parse(fields[1], CultureInfo.InvariantCulture) : 0;

    /// <summary>User and system CPU time (fields 14 and 15 of stat, in ticks of 1/100 s); zero when the process is gone.</summary>
    public static TimeSpan CpuTime(int pid) =>
        Stat(pid) is { } fields
            ? TimeSpan.FromMilliseconds(10 * (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)))
            : TimeSpan.Zero;

    /// <summary>The kernel's high-water mark of the process's resident memory (VmHWM), in MiB; null when unknown.</summary>
    public static long? PeakRssMiB(int pid) => StatusMiB(pid, "VmHWM:");

    /// <summary>The process's resident memory now (VmRSS), in MiB; null when unknown.</summary>
    public static long? RssMiB(int pid) => StatusMiB(pid, "VmRSS:");

    // A line of /proc/PID/status given in kB, such as "VmHWM:    43512 kB".
    private static long? StatusMiB(int pid, string field)
    {
        if (!TryRead($"/proc/{pid}/status", out var status))
        {
            return null;
        }

        var line = status.Split('\n').FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? null : long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
    }

    // The fields after the command name, which may hold spaces: the state is [0], the parent [1].
    private static string[]? Stat(int pid) =>
        TryRead($"/proc/{pid}/stat", out var stat) ? stat[(stat.LastIndexOf(')') + 2)..].Split(' ') : null;

    private static bool TryRead(string path, out string text)
    {
        try
        {
            text = File.ReadAllText(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            text = "";
            return false;
        }
    }
}
