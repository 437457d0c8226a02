using System.Globalization;
using System.Text;
using PlexSync.Domain;

namespace PlexSync.Operations;

/// <summary>What `plexsync init` settled on; secrets are not here, only where they go.</summary>
internal sealed record InitAnswers
{
    public required string StashUrl { get; init; }

    public required string PlexUrl { get; init; }

    public required IReadOnlyList<string> Sections { get; init; }

    public IReadOnlyList<PathMapping> Mappings { get; init; } = [];

    /// <summary>Gets the file holding Stash's API key, or null when it comes from the environment (or Stash needs none).</summary>
    public string? StashApiKeyFile { get; init; }

    /// <summary>Gets the file holding Plex's token, or null when it comes from the environment.</summary>
    public string? PlexTokenFile { get; init; }

    public string? TemporalAddress { get; init; }

    public string? TaskQueue { get; init; }
}

/// <summary>
/// Writes plexsync.yaml from plexsync.example.yaml (built into the binary), so that the file a new user gets
/// has every key and every comment of the example, with init's answers in place.
/// </summary>
internal static class ConfigWriter
{
    /// <summary>The example configuration as shipped beside the README.</summary>
    public static string Example()
    {
        using var stream = typeof(ConfigWriter).Assembly.GetManifestResourceStream("plexsync.example.yaml")
            ?? throw new InvalidOperationException("plexsync.example.yaml is not built into this binary");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>The example with the answers filled in.</summary>
    public static string Render(string example, InitAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(answers);
        var lines = example.ReplaceLineEndings("\n").Split('\n').ToList();
        lines[0] = "# PlexSync configuration, written by `plexsync init`. Check it with `plexsync check`.";
        Set(lines, "stash", "url", Quote(answers.StashUrl));
        Set(lines, "plex", "url", Quote(answers.PlexUrl));
        Set(lines, "plex", "sections", "[" + string.Join(", ", answers.Sections.Select(Quote)) + "]");
        if (answers.StashApiKeyFile is { } keyFile)
        {
            Set(lines, "stash", "# api_key_file", Quote(keyFile), uncomment: true);
        }

        if (answers.PlexTokenFile is { } tokenFile)
        {
            Set(lines, "plex", "# token_file", Quote(tokenFile), uncomment: true);
        }

        if (answers.TemporalAddress is { } address)
        {
            Set(lines, "temporal", "address", address);
        }

        if (answers.TaskQueue is { } queue)
        {
            Set(lines, "temporal", "task_queue", Quote(queue));
        }

        ReplaceMappings(lines, answers.Mappings);
        return string.Join('\n', lines);
    }

    /// <summary>A YAML single-quoted scalar: safe for any text (backslashes, colons, '#').</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary>Mappings as the path_mappings block of plexsync.yaml.</summary>
    public static string MappingsYaml(IEnumerable<PathMapping> mappings)
    {
        ArgumentNullException.ThrowIfNull(mappings);
        return string.Join('\n', MappingLines(mappings.ToList()).Prepend("path_mappings:"));
    }

    // Replaces the value of "  key:" inside the top-level "section:", keeping the line's comment.
    private static void Set(List<string> lines, string section, string key, string value, bool uncomment = false)
    {
        var start = lines.IndexOf(section + ":");
        var index = start < 0 ? -1 : lines.FindIndex(start + 1, l => l.TrimStart().StartsWith(key + ":", StringComparison.Ordinal));
        if (index < 0)
        {
            throw new InvalidOperationException($"plexsync.example.yaml has no {section}.{key}");
        }

        var line = lines[index];
        var indent = line[..(line.Length - line.TrimStart().Length)];
        var name = uncomment ? key.TrimStart('#', ' ') : key;
        var comment = line.IndexOf(" #", line.IndexOf(':', StringComparison.Ordinal), StringComparison.Ordinal);
        var entry = $"{indent}{name}: {value}";
        lines[index] = comment < 0 ? entry : entry.PadRight(comment) + " " + line[comment..].TrimStart();
    }

    // The example's path_mappings block runs from its key to the next blank line.
    private static void ReplaceMappings(List<string> lines, IReadOnlyList<PathMapping> mappings)
    {
        var start = lines.IndexOf("path_mappings:");
        var end = lines.FindIndex(start, string.IsNullOrWhiteSpace);
        var block = mappings.Count == 0
            ? ["path_mappings: []   # Stash and Plex see the same paths", "  # - from: /data/videos", "  #   to: /media/videos"]
            : MappingLines(mappings).Prepend("path_mappings:").ToList();
        lines.RemoveRange(start, end - start);
        lines.InsertRange(start, block);
    }

    private static IEnumerable<string> MappingLines(IReadOnlyList<PathMapping> mappings) =>
        mappings.SelectMany(m => new[]
        {
            string.Create(CultureInfo.InvariantCulture, $"  - from: {Quote(m.From)}"),
            string.Create(CultureInfo.InvariantCulture, $"    to: {Quote(m.To)}"),
        });
}
