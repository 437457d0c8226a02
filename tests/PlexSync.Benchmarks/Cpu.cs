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

        // The server this process started, not another one on the machine.
        var servers = LinuxProcesses.Find(args => args.Contains("start-dev"))
            .Where(pid => LinuxProcesses.ParentOf(pid) == Environment.ProcessId);
        return new(
            LinuxProcesses.CpuTime(workerPid),
            servers.Aggregate(TimeSpan.Zero, (sum, pid) => sum + LinuxProcesses.CpuTime(pid)),
            self.TotalProcessorTime);
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"worker {Worker.TotalSeconds:0.0} s, Temporal server {Server.TotalSeconds:0.0} s, simulators {Simulators.TotalSeconds:0.0} s");
}
