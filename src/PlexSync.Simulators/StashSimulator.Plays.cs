using System.Globalization;
using System.Text.RegularExpressions;
using GraphQL;
using GraphQL.Transport;
using GraphQLParser.AST;
using Microsoft.AspNetCore.Http;

namespace PlexSync.Simulators;

/// <summary>
/// The play mutations of Stash (internal/api/resolver_mutation_scene.go, pkg/sqlite/table.go): sceneAddPlay inserts one
/// row per time, with no uniqueness, so the same time twice is two plays; sceneDeletePlay removes one equal row per
/// time (nothing, silently, for a time not there) or without times the latest; sceneSaveActivity replaces resume_time
/// and adds playDuration. Times are stored in UTC, whole seconds (a fraction is cut off). None of them stamps
/// updated_at, and Stash runs no plugin hook for them: nothing here tells a hook about a change.
/// </summary>
public sealed partial class StashSimulator
{
    private readonly List<ActiveFieldFault> fieldFaults = [];
    private readonly Dictionary<string, int> fieldCounts = new(StringComparer.Ordinal);

    /// <summary>Adds a rule for a GraphQL root field; rules are tried in the order added.</summary>
    public void AddFieldFault(StashFieldFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfLessThan(fault.Every, 1);
        lock (gate)
        {
            fieldFaults.Add(new ActiveFieldFault(fault));
        }
    }

    /// <summary>Removes every root-field rule.</summary>
    public void ClearFieldFaults()
    {
        lock (gate)
        {
            fieldFaults.Clear();
        }
    }

    /// <summary>How many GraphQL requests named this root field, applied or not, since the simulator started.</summary>
    public int FieldCount(string field)
    {
        lock (gate)
        {
            return fieldCounts.GetValueOrDefault(field);
        }
    }

    /// <summary>A scene's play history as Stash stores it (one entry per row, insertion order); empty for an unknown scene.</summary>
    public IReadOnlyList<DateTimeOffset> PlayHistory(int id)
    {
        lock (gate)
        {
            return scenes.TryGetValue(id, out var scene) ? [.. scene.PlayHistory] : [];
        }
    }

    /// <summary>Adds plays as a person playing the scene in Stash would: rows, no updated_at stamp; false for an unknown scene.</summary>
    public bool AddPlays(int id, params DateTimeOffset[] times)
    {
        ArgumentNullException.ThrowIfNull(times);
        lock (gate)
        {
            if (!scenes.TryGetValue(id, out var scene))
            {
                return false;
            }

            scene.PlayHistory.AddRange(times.Select(WholeSecondUtc));
            return true;
        }
    }

    /// <summary>Parses a Timestamp argument as Stash does (internal/api/timestamp.go, pkg/utils/date.go); the result is whole seconds UTC.</summary>
    internal static DateTimeOffset ParseTimestamp(string text, DateTimeOffset now)
    {
        if (text.Length == 0)
        {
            throw new ExecutionError("empty timestamp");
        }

        // "<4h" is four hours in the past, ">5m" five minutes in the future (graphql/schema/types/scalars.graphql).
        if (text[0] is '<' or '>')
        {
            var span = GoDurationOf(text[1..]) ?? throw new ExecutionError($"time: invalid duration \"{text[1..]}\"");
            return WholeSecondUtc(text[0] == '<' ? now - span : now + span);
        }

        var rfc3339 = Rfc3339().Match(text);
        if (rfc3339.Success &&
            DateTimeOffset.TryParseExact(rfc3339.Groups[1].Value + rfc3339.Groups[3].Value, "yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            return WholeSecondUtc(at);
        }

        foreach (var layout in new[] { "yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss" })
        {
            if (DateTimeOffset.TryParseExact(text, layout, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at))
            {
                return WholeSecondUtc(at);
            }
        }

        throw new ExecutionError($"ParseDateStringAsTime failed: dateString <{text}>");
    }

    private static DateTimeOffset WholeSecondUtc(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static TimeSpan? GoDurationOf(string text)
    {
        var parts = GoDuration().Matches(text);
        if (text.Length == 0 || string.Concat(parts.Select(m => m.Value)) != text)
        {
            return null;
        }

        return parts.Aggregate(TimeSpan.Zero, (sum, m) =>
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return sum + m.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(n),
                "m" => TimeSpan.FromMinutes(n),
                "s" => TimeSpan.FromSeconds(n),
                _ => TimeSpan.FromMilliseconds(n),
            };
        });
    }

    private static Dictionary<string, object?> HistoryResult(StashScene? scene) => new()
    {
        ["count"] = scene?.PlayHistory.Count ?? 0,
        ["history"] = (scene?.PlayHistory ?? []).OrderDescending().Select(StashSceneView.PlayTime).ToList(),
    };

    // strconv.Atoi, as the resolvers parse ids; sceneAddPlay and sceneSaveActivity prefix their error.
    private static int SceneId(IResolveFieldContext context, string prefix)
    {
        var id = context.GetArgument<string>("id");
        return int.TryParse(id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ExecutionError($"{prefix}strconv.Atoi: parsing \"{id}\": invalid syntax");
    }

    private static List<DateTimeOffset> Times(IResolveFieldContext context)
    {
        var now = DateTimeOffset.UtcNow;
        return [.. (context.GetArgument<List<string>?>("times") ?? []).Select(t => ParseTimestamp(t, now))];
    }

    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|h|m|s)")]
    private static partial Regex GoDuration();

    private Dictionary<string, Func<IResolveFieldContext, object?>> Mutations() => new(StringComparer.Ordinal)
    {
        ["sceneAddPlay"] = c => AddPlay(c),
        ["sceneDeletePlay"] = c => DeletePlay(c),
        ["sceneSaveActivity"] = c => SaveActivity(c),
    };

    // An empty list is no list: one play now (pkg/sqlite/table.go addDates). An unknown scene fails on the foreign key.
    private Dictionary<string, object?> AddPlay(IResolveFieldContext context)
    {
        var id = SceneId(context, "converting id: ");
        var times = Times(context);
        lock (gate)
        {
            if (!scenes.TryGetValue(id, out var scene))
            {
                throw new ExecutionError("inserting into scenes_view_dates: FOREIGN KEY constraint failed");
            }

            scene.PlayHistory.AddRange(times.Count > 0 ? times : [WholeSecondUtc(DateTimeOffset.UtcNow)]);
            return HistoryResult(scene);
        }
    }

    // One equal row per time, silently none for a time not there; an empty list removes the latest. An unknown scene
    // has no rows: an empty result, no error.
    private Dictionary<string, object?> DeletePlay(IResolveFieldContext context)
    {
        var id = SceneId(context, "");
        var times = Times(context);
        lock (gate)
        {
            if (!scenes.TryGetValue(id, out var scene))
            {
                return HistoryResult(null);
            }

            foreach (var time in times.Count > 0 ? times : scene.PlayHistory.Count > 0 ? [scene.PlayHistory.Max()] : [])
            {
                var row = scene.PlayHistory.IndexOf(time);
                if (row >= 0)
                {
                    scene.PlayHistory.RemoveAt(row);
                }
            }

            return HistoryResult(scene);
        }
    }

    // resume_time = ?, play_duration = play_duration + ? (pkg/sqlite/scene.go SaveActivity): a retry adds the duration twice.
    private bool SaveActivity(IResolveFieldContext context)
    {
        var id = SceneId(context, "converting id: ");
        var resume = context.GetArgument<double?>("resume_time");
        var duration = context.GetArgument<double?>("playDuration");
        lock (gate)
        {
            if (!scenes.TryGetValue(id, out var scene))
            {
                throw new ExecutionError($"id {id} does not exist in scenes");
            }

            if (resume is { } r)
            {
                scene.ResumeTime = r;
            }

            if (duration is { } d)
            {
                scene.PlayDuration += d;
            }

            return true;
        }
    }

    // Counts the request against each root field it names and returns the first rule that applies to it, using up
    // one of its Times.
    private StashFieldFault? TakeFieldFault(GraphQLRequest? request)
    {
        var fields = RootFields(request);
        lock (gate)
        {
            foreach (var field in fields)
            {
                fieldCounts[field] = fieldCounts.GetValueOrDefault(field) + 1;
            }

            var index = fieldFaults.FindIndex(f => fields.Contains(f.Rule.Field) && fieldCounts[f.Rule.Field] % f.Rule.Every == 0);
            if (index < 0)
            {
                return null;
            }

            var active = fieldFaults[index];
            if (active.Rule.Times > 0 && ++active.Used >= active.Rule.Times)
            {
                fieldFaults.RemoveAt(index);
            }

            return active.Rule;
        }
    }

    // The root fields of the operation the request runs; none when the document does not parse (execution reports that).
    private static List<string> RootFields(GraphQLRequest? request)
    {
        try
        {
            var document = GraphQLParser.Parser.Parse(request?.Query ?? "");
            var operation = document.Definitions.OfType<GraphQLOperationDefinition>()
                .FirstOrDefault(o => request?.OperationName is null || o.Name?.StringValue == request.OperationName);
            return operation?.SelectionSet.Selections.OfType<GraphQLField>().Select(f => f.Name.StringValue).Distinct().ToList() ?? [];
        }
        catch (GraphQLParser.Exceptions.GraphQLSyntaxErrorException)
        {
            return [];
        }
    }

    private static async Task AnswerFaultAsync(HttpContext context, StashFieldFault fault)
    {
        if (fault.Drop)
        {
            context.Abort();
            return;
        }

        await WriteHtmlErrorAsync(context, fault.Status);
    }

    private sealed class ActiveFieldFault(StashFieldFault rule)
    {
        public StashFieldFault Rule { get; } = rule;

        public int Used { get; set; }
    }
}
