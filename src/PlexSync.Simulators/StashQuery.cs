using System.Globalization;
using GraphQL;

namespace PlexSync.Simulators;

/// <summary>
/// findScenes as Stash evaluates it (pkg/sqlite/scene.go, sql.go): filters compare stored text, sorting always
/// ends with COALESCE(title, id) natural ascending, per_page defaults to 25 and a negative value means all.
/// </summary>
internal sealed class StashQuery(StashSceneView view)
{
    public (List<StashScene> Page, int Count) Run(List<StashScene> all, IReadOnlyDictionary<string, object?>? sceneFilter, IReadOnlyDictionary<string, object?>? filter)
    {
        var matching = all.Where(s => Matches(s, sceneFilter)).ToList();
        matching.Sort(Comparer(filter));
        var perPage = filter?.GetValueOrDefault("per_page") is { } pp ? Convert.ToInt32(pp, CultureInfo.InvariantCulture) : 25;
        if (perPage < 0)
        {
            return (matching, matching.Count);
        }

        var page = filter?.GetValueOrDefault("page") is { } p ? Math.Max(Convert.ToInt32(p, CultureInfo.InvariantCulture), 1) : 1;
        var start = (int)Math.Min((long)(page - 1) * perPage, matching.Count);
        return (matching.Skip(start).Take(perPage).ToList(), matching.Count);
    }

    private bool Matches(StashScene scene, IReadOnlyDictionary<string, object?>? f)
    {
        if (f is null)
        {
            return true;
        }

        return TextCriterion(view.Timestamp(scene.UpdatedAt), f.GetValueOrDefault("updated_at")) &&
            TextCriterion(view.Timestamp(scene.CreatedAt), f.GetValueOrDefault("created_at")) &&
            IdsCriterion(scene.Performers.Select(n => StashSceneView.NameId("performer", n)), f.GetValueOrDefault("performers")) &&
            IdsCriterion(scene.Tags.Select(n => StashSceneView.NameId("tag", n)), f.GetValueOrDefault("tags")) &&
            IdsCriterion(scene.Groups.Select(n => StashSceneView.NameId("group", n)), f.GetValueOrDefault("groups")) &&
            IdsCriterion(scene.Studio is null ? [] : [StashSceneView.NameId("studio", scene.Studio)], f.GetValueOrDefault("studios")) &&
            StashPathFilter.Matches(scene.Files, f.GetValueOrDefault("path")) &&
            (f.GetValueOrDefault("organized") is not bool organized || scene.Organized == organized) &&
            IsMissing(scene, f.GetValueOrDefault("is_missing") as string);
    }

    // Stash builds "column > ?" with the caller's string: a text comparison against RFC3339 in the server's zone.
    private bool TextCriterion(string stored, object? criterion)
    {
        if (criterion is not IReadOnlyDictionary<string, object?> c)
        {
            return true;
        }

        var value = (string)c["value"]!;
        var upper = c.GetValueOrDefault("value2") as string ?? view.Timestamp(DateTimeOffset.UtcNow.AddDays(1));
        var cmp = string.CompareOrdinal(stored, value);
        return c["modifier"]?.ToString() switch
        {
            "EQUALS" => cmp == 0,
            "NOT_EQUALS" => cmp != 0,
            "GREATER_THAN" => cmp > 0,
            "LESS_THAN" => cmp < 0,
            "BETWEEN" => cmp >= 0 && string.CompareOrdinal(stored, upper) <= 0,
            "NOT_BETWEEN" => cmp < 0 || string.CompareOrdinal(stored, upper) > 0,
            "IS_NULL" => false,
            _ => true,
        };
    }

    private static bool IdsCriterion(IEnumerable<string> ids, object? criterion)
    {
        if (criterion is not IReadOnlyDictionary<string, object?> c)
        {
            return true;
        }

        var have = ids.ToHashSet();
        var wanted = Strings(c.GetValueOrDefault("value"));
        var excluded = Strings(c.GetValueOrDefault("excludes"));
        if (excluded.Any(have.Contains))
        {
            return false;
        }

        return c["modifier"]?.ToString() switch
        {
            "INCLUDES" => wanted.Count == 0 || wanted.Any(have.Contains),
            "INCLUDES_ALL" => wanted.All(have.Contains),
            "EXCLUDES" => !wanted.Any(have.Contains),
            "IS_NULL" => have.Count == 0,
            "NOT_NULL" => have.Count > 0,
            "EQUALS" => have.SetEquals(wanted),
            _ => throw new ExecutionError($"simulator: modifier {c["modifier"]} is not modelled for this criterion"),
        };
    }

    private static List<string> Strings(object? list) =>
        list is IEnumerable<object?> items ? items.Select(i => Convert.ToString(i, CultureInfo.InvariantCulture)!).ToList() : [];

    private static bool IsMissing(StashScene scene, string? what) => what switch
    {
        null or "" => true,
        "cover" => !scene.HasCover,
        "studio" => scene.Studio is null,
        "performers" => scene.Performers.Count == 0,
        "tags" => scene.Tags.Count == 0,
        "date" => scene.Date is null,
        "title" => string.IsNullOrEmpty(scene.Title),
        "details" => string.IsNullOrEmpty(scene.Details),
        "url" => scene.Urls.Count == 0,
        "rating" => scene.Rating100 is null,
        _ => throw new ExecutionError($"simulator: is_missing {what} is not modelled"),
    };

    private Comparison<StashScene> Comparer(IReadOnlyDictionary<string, object?>? filter)
    {
        var sort = filter?.GetValueOrDefault("sort") as string ?? "title";
        var desc = filter?.GetValueOrDefault("direction")?.ToString() == "DESC";
        var primary = Primary(sort);
        return (a, b) =>
        {
            var c = primary(a, b);
            if (desc)
            {
                c = -c;
            }

            // Whatever the sorting, Stash always adds COALESCE(title, id) COLLATE NATURAL_CI ASC.
            return c != 0 ? c : NaturalComparer.Instance.Compare(TitleOrId(a), TitleOrId(b));
        };
    }

    private Comparison<StashScene> Primary(string sort) => sort switch
    {
        "updated_at" => (a, b) => string.CompareOrdinal(view.Timestamp(a.UpdatedAt), view.Timestamp(b.UpdatedAt)),
        "created_at" => (a, b) => string.CompareOrdinal(view.Timestamp(a.CreatedAt), view.Timestamp(b.CreatedAt)),
        "id" => (a, b) => a.Id.CompareTo(b.Id),
        "date" => (a, b) => string.CompareOrdinal(a.Date, b.Date),
        "rating" or "rating100" => (a, b) => Nullable.Compare(a.Rating100, b.Rating100),
        "title" => (a, b) => NaturalComparer.Instance.Compare(a.Title ?? Basename(a), b.Title ?? Basename(b)),
        _ => throw new ExecutionError($"simulator: sort {sort} is not modelled"),
    };

    private static string Basename(StashScene s) => s.Files.Count > 0 ? StashSceneView.Basename(s.Files[0]) : string.Empty;

    private static string TitleOrId(StashScene s) => s.Title ?? s.Id.ToString(CultureInfo.InvariantCulture);
}
