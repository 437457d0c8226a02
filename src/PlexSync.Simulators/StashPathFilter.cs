using System.Text.RegularExpressions;
using GraphQL;

namespace PlexSync.Simulators;

/// <summary>
/// The scene filter on path as Stash evaluates it (pkg/sqlite/criterion_handlers.go pathCriterionHandler): each of a
/// scene's files, as folder + separator + name, compared with SQL LIKE. EQUALS adds no wildcards (so "_" and "%" in
/// the value still are wildcards); INCLUDES takes a value in double quotes whole, else any of its whitespace-separated
/// words, each as "%word%"; NOT_EQUALS and EXCLUDES negate them; MATCHES_REGEX applies a regular expression.
/// </summary>
internal static class StashPathFilter
{
    public static bool Matches(IReadOnlyList<string> files, object? criterion)
    {
        if (criterion is not IReadOnlyDictionary<string, object?> c)
        {
            return true;
        }

        var value = (string)c["value"]!;
        return c["modifier"]?.ToString() switch
        {
            "EQUALS" => files.Any(f => SqlLike.Matches(f, value)),
            "NOT_EQUALS" => !files.Any(f => SqlLike.Matches(f, value)),
            "INCLUDES" => files.Any(f => Words(value).Any(w => SqlLike.Matches(f, "%" + w + "%"))),
            "EXCLUDES" => !files.Any(f => Words(value).Any(w => SqlLike.Matches(f, "%" + w + "%"))),
            "MATCHES_REGEX" => files.Any(f => Regex.IsMatch(f, value, RegexOptions.None, TimeSpan.FromSeconds(1))),
            var other => throw new ExecutionError($"simulator: modifier {other} is not modelled for path"),
        };
    }

    private static string[] Words(string value)
    {
        var trimmed = value.Trim();
        return trimmed.Length >= 2 && trimmed[0] == '"' && trimmed[^1] == '"'
            ? [trimmed[1..^1]]
            : trimmed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }
}
