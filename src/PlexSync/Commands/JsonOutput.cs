using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PlexSync.Commands;

/// <summary>The `--json` option of the operator commands, and how they print it: indented camelCase on stdout, nothing else there.</summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static Option<bool> CreateOption() => new("--json")
    {
        Description = "Print JSON (camelCase, times in UTC) instead of a table, for scripts; nothing else goes to stdout",
    };

    public static void Write<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Options));

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
