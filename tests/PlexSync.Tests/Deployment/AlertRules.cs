using System.Text.RegularExpressions;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace PlexSync.Tests.Deployment;

/// <summary>deploy/prometheus/alerts.yml, read as Prometheus reads a rule file, and the metric names each expression uses.</summary>
public static partial class AlertRules
{
    // PromQL words that are not metric names: aggregations, functions, operators and modifiers.
    private static readonly HashSet<string> Words = new(StringComparer.Ordinal)
    {
        "sum", "min", "max", "avg", "count", "rate", "irate", "increase", "min_over_time", "max_over_time", "avg_over_time",
        "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset", "time", "absent",
    };

    public static string Path => System.IO.Path.Combine(Repository.Root(), "deploy", "prometheus", "alerts.yml");

    public static IReadOnlyList<Rule> Load()
    {
        var file = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .Build()
            .Deserialize<RuleFile>(File.ReadAllText(Path));
        return [.. file.Groups.SelectMany(g => g.Rules)];
    }

    /// <summary>The metric names in a PromQL expression: its identifiers, less label matchers, ranges, strings and PromQL's own words.</summary>
    public static IReadOnlySet<string> MetricNames(string expr)
    {
        ArgumentNullException.ThrowIfNull(expr);
        var bare = Grouping().Replace(Range().Replace(Matchers().Replace(expr, " "), " "), " ");
        return Identifier().Matches(bare).Select(m => m.Value).Where(w => !Words.Contains(w)).ToHashSet(StringComparer.Ordinal);
    }

    // "by (service)", "on (service)": label names, not metrics.
    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Range();

    [GeneratedRegex(@"(?<![\w.])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();

    public sealed class RuleFile
    {
        public List<Group> Groups { get; set; } = [];
    }

    public sealed class Group
    {
        public string Name { get; set; } = "";

        public List<Rule> Rules { get; set; } = [];
    }

    public sealed class Rule
    {
        public string Alert { get; set; } = "";

        public string Expr { get; set; } = "";

        public string For { get; set; } = "";

        public Dictionary<string, string> Labels { get; set; } = [];

        public Dictionary<string, string> Annotations { get; set; } = [];
    }
}
