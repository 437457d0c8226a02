using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using PlexSync.Operations;

namespace PlexSync.Commands;

/// <summary>The `--json` option of the operator commands, and how they print it: indented camelCase on stdout, nothing else there.</summary>
internal static class JsonOutput
{
    public static Option<bool> CreateOption() => new("--json")
    {
        Description = "Print JSON (camelCase, times in UTC) instead of a table, for scripts; nothing else goes to stdout",
    };

    /// <summary>Prints <paramref name="value"/> with its metadata from <see cref="CliJsonContext"/>, e.g. <c>CliJsonContext.Default.StatusReport</c>.</summary>
    public static void Write<T>(T value, JsonTypeInfo<T> type) => Console.Out.WriteLine(JsonSerializer.Serialize(value, type));

    /// <summary>A time as the tables show it: local, to the second, with how long ago.</summary>
    public static string Ago(DateTime? utc, DateTime now)
    {
        if (utc is not { } at)
        {
            return "never";
        }

        var age = now - at;
        var span = age.TotalDays >= 1 ? $"{(int)age.TotalDays}d {age.Hours}h"
            : age.TotalHours >= 1 ? $"{(int)age.TotalHours}h {age.Minutes}m"
            : age.TotalMinutes >= 1 ? $"{(int)age.TotalMinutes}m {age.Seconds}s"
            : $"{Math.Max(0, (int)age.TotalSeconds)}s";
        return $"{at.ToLocalTime():yyyy-MM-dd HH:mm:ss} ({span} ago)";
    }
}

/// <summary>What `retry --json` prints: the retried scenes and, with --wait, their outcomes.</summary>
internal sealed record RetryReport(IReadOnlyList<RetryResult> Scenes, IReadOnlyList<OutcomeRow>? Outcomes);

/// <summary>Source-generated metadata of everything the commands print with --json (Native AOT has no reflection-based JSON).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SetupReport))]
[JsonSerializable(typeof(IReadOnlyList<FailedSync>))]
[JsonSerializable(typeof(IReadOnlyList<FailedPlay>))]
[JsonSerializable(typeof(StatusReport))]
[JsonSerializable(typeof(RetryReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
