using PlexSync.Clients.Http;
using PlexSync.Domain;

namespace PlexSync.Clients;

/// <summary>
/// One field's part of a metadata edit: what it adds to the query, and for a text field its value, so
/// that a refused text can be sent again shortened.
/// </summary>
internal sealed record EditUnit(string Field, string Query, string? Text = null);

/// <summary>Builds the queries of Plex's metadata edit (python-plexapi mixins: editField, _tagHelper).</summary>
internal static class PlexEdit
{
    /// <summary>
    /// Sets and locks each field; sends each tag list whole and also removes every stale name with
    /// "tag-=", so the result is the same whether Plex treats an indexed list as a replacement or an
    /// addition (plex.md); locks the poster when asked. One unit per field, in a fixed order.
    /// </summary>
    public static IReadOnlyList<EditUnit> Units(Changes changes)
    {
        var units = new List<EditUnit>();
        foreach (var (name, value) in changes.Fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            units.Add(TextUnit(name, value));
        }

        foreach (var (name, edit) in changes.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            units.Add(new EditUnit(name, TagQuery(name, edit)));
        }

        if (changes.LockPoster)
        {
            units.Add(new EditUnit(PlexFields.Poster, new QueryString().Add($"{PlexFields.Poster}.locked", "1").ToString()));
        }

        return units;
    }

    /// <summary>A text field set to <paramref name="value"/> and locked.</summary>
    public static EditUnit TextUnit(string name, string value) =>
        new(name, new QueryString().Add($"{name}.value", value).Add($"{name}.locked", "1").ToString(), value);

    /// <summary>The query of one request: the item, then the units' parts.</summary>
    public static string Query(string ratingKey, IEnumerable<EditUnit> units) =>
        string.Join('&', units.Select(u => u.Query).Prepend(new QueryString().Add("type", "1").Add("id", ratingKey).ToString()));

    /// <summary>
    /// Packs the units into requests whose query is at most <paramref name="maxQuery"/> bytes, in order;
    /// a unit too long for that on its own gets a request of its own, after the others, so that every
    /// other field is written first.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<EditUnit>> Pack(string ratingKey, IReadOnlyList<EditUnit> units, int maxQuery)
    {
        var requests = new List<IReadOnlyList<EditUnit>>();
        var alone = new List<IReadOnlyList<EditUnit>>();
        var current = new List<EditUnit>();
        foreach (var unit in units)
        {
            if (Query(ratingKey, [unit]).Length > maxQuery)
            {
                alone.Add([unit]);
                continue;
            }

            if (current.Count > 0 && Query(ratingKey, [.. current, unit]).Length > maxQuery)
            {
                requests.Add(current);
                current = [];
            }

            current.Add(unit);
        }

        if (current.Count > 0)
        {
            requests.Add(current);
        }

        return [.. requests, .. alone];
    }

    private static string TagQuery(string name, TagEdit edit)
    {
        var query = new QueryString();
        for (var i = 0; i < edit.Set.Count; i++)
        {
            query.Add($"{name}[{i}].tag.tag", edit.Set[i]);
        }

        // Each name is encoded on its own and joined with literal commas, so a name holding a comma
        // (sent as %2C) stays one name: python-plexapi removes such tags this way since its #1102.
        var remove = edit.Remove.Where(n => n.Length > 0).ToList();
        if (remove.Count > 0)
        {
            query.AddList($"{name}[].tag.tag-", remove);
        }

        return query.Add($"{name}.locked", edit.Lock ? "1" : "0").ToString();
    }
}
