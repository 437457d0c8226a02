using System.Diagnostics;
using System.Globalization;

namespace PlexSync.Benchmarks;

/// <summary>
/// CPU time used by the three parties of a run, from /proc: where a run's time goes on a 2-core
/// machine, and so what bounds it.
/// </summary>
/// <param name="Worker">The `plexsync worker` process.</param>
/// <param name="Server">The Temporal dev server (the child process of this one that runs start-dev).</param>
/// <param name="Simulators">This process: the simulators and the benchmark's own client.</param>
public sealed record Cpu(TimeSpan Worker, TimeSpan Server, TimeSpan Simulators)
{
    public static Cpu operator -(Cpu after, Cpu before)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(before);
        return new(after.Worker - before.Worker, after.Server - before.Server, after.Simulators - before.Simulators);
    }

    public static Cpu Sample(int workerPid)
    {
        using var self = Process.GetCurrentProcess();
        return new(Of(workerPid), DevServers().Aggregate(TimeSpan.Zero, (sum, pid) => sum + Of(pid)), self.TotalProcessorTime);
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"worker {Worker.TotalSeconds:0.0} s, Temporal server {Server.TotalSeconds:0.0} s, simulators {Simulators.TotalSeconds:0.0} s");

    // utime and stime, fields 14 and 15 of /proc/PID/stat, in clock ticks of 1/100 s.
    private static TimeSpan Of(int pid) =>
        Stat(pid) is { } fields
            ? TimeSpan.FromMilliseconds(10 * (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)))
            : TimeSpan.Zero;

    // The parent's pid, field 4: the server that this process started, not another one on the machine.
    private static int ParentOf(int pid) => Stat(pid) is { } fields ? int.Parse(fields[1], CultureInfo.InvariantCulture) : 0;

    // The fields after the command name, which may hold spaces: state is [0].
    private static string[]? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static IEnumerable<int> DevServers()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(dir, "cmdline"));
            }
            catch (IOException)
            {
                continue;
            }

            if (commandLine.Contains("start-dev", StringComparison.Ordinal) && ParentOf(pid) == Environment.ProcessId)
            {
                yield return pid;
            }
        }
    }
}
