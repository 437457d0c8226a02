using PlexSync.Clients.Http;
using PlexSync.Domain;

namespace PlexSync.Clients;

/// <summary>Builds the query of Plex's one-PUT metadata edit (python-plexapi mixins: editField, _tagHelper).</summary>
internal static class PlexEdit
{
    /// <summary>
    /// Sets and locks each field; sends each tag list whole and also removes every stale name with
    /// "tag-=", so the result is the same whether Plex treats an indexed list as a replacement or an
    /// addition (plex.md); locks the poster when asked.
    /// </summary>
    public static QueryString Query(string ratingKey, Changes changes)
    {
        var query = new QueryString().Add("type", "1").Add("id", ratingKey);
        foreach (var (name, value) in changes.Fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            query.Add($"{name}.value", value).Add($"{name}.locked", "1");
        }

        foreach (var (name, edit) in changes.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            AddTags(query, name, edit);
        }

        if (changes.LockPoster)
        {
            query.Add($"{PlexFields.Poster}.locked", "1");
        }

        return query;
    }

    private static void AddTags(QueryString query, string name, TagEdit edit)
    {
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

        query.Add($"{name}.locked", "1");
    }
}
