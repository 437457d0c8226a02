using Xunit.Abstractions;

namespace PlexSync.Testing;

/// <summary>
/// The measured figures of the fault suite and benchmarks: written to the test's output, and appended
/// to the file named by <c>PLEXSYNC_FIGURES</c> when set, which `.ci/run` prints (the test runner
/// shows a passing test's output only at detailed verbosity).
/// </summary>
public static class Figures
{
    public const string FileVariable = "PLEXSYNC_FIGURES";

    private static readonly Lock Gate = new();

    public static void Report(ITestOutputHelper output, string scenario, string figure)
    {
        ArgumentNullException.ThrowIfNull(output);
        var line = $"{scenario}: {figure}";
        output.WriteLine(line);
        if (Environment.GetEnvironmentVariable(FileVariable) is { Length: > 0 } path)
        {
            lock (Gate)
            {
                File.AppendAllText(path, line + Environment.NewLine);
            }
        }
    }
}
