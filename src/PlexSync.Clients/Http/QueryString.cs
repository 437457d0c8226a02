using System.Text;

namespace PlexSync.Clients.Http;

/// <summary>
/// Builds a query string byte for byte: values percent-encoded per RFC 3986 (space as %20, never
/// '+'), so that what Plex decodes is exactly what we meant.
/// </summary>
internal sealed class QueryString
{
    private readonly StringBuilder text = new();

    public bool IsEmpty => text.Length == 0;

    /// <summary>Adds name=value, both encoded.</summary>
    public QueryString Add(string name, string value) => AddEncoded(name, Escape(value));

    /// <summary>
    /// Adds a list whose value, once the server has decoded the query, is each item percent-encoded
    /// on its own and joined with literal commas ("a%2Cb,c" for the items "a,b" and "c"). So each
    /// item is encoded twice on the wire and the separators not at all.
    /// </summary>
    /// <remarks>
    /// Plex decodes the query, splits this value on commas and decodes each item: python-plexapi
    /// (mixins.py _tagHelper joins quote(name) with ",", then utils.joinArgs quotes the whole value
    /// again) removes a tag named "Test Tag !@#$%^&amp;*()-_=+[];:'\"/?,." against a real server this way
    /// (its #1102, tests/test_mixins.py). Encoding once would let Plex split a name at its comma.
    /// </remarks>
    public QueryString AddList(string name, IEnumerable<string> values) =>
        AddEncoded(name, string.Join(',', values.Select(v => Escape(Escape(v)))));

    /// <summary>
    /// Adds a comparison of Plex's media queries, where the operator is part of the name: <c>viewedAt&gt;=N</c> for
    /// at least N, <c>viewedAt&lt;=N</c> for at most (plex-api-spec, "Media Queries"). The operator is
    /// percent-encoded, as python-plexapi's HTTP library sends it.
    /// </summary>
    public QueryString AddComparison(string name, string op, string value)
    {
        if (op is not (">" or "<"))
        {
            throw new ArgumentException($"comparison \"{op}\" is not > or <", nameof(op));
        }

        CheckName(name);
        return Append(name + Escape(op), Escape(value));
    }

    public override string ToString() => text.ToString();

    /// <summary>Percent-encodes everything but RFC 3986 unreserved characters.</summary>
    public static string Escape(string value) => Uri.EscapeDataString(value);

    private QueryString AddEncoded(string name, string encodedValue)
    {
        CheckName(name);
        return Append(name, encodedValue);
    }

    // Names are ours (field[0].tag.tag, field[].tag.tag-) and go as they are, brackets included,
    // as python-plexapi sends them (utils.joinArgs encodes values only).
    private static void CheckName(string name)
    {
        if (name.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('.' or '[' or ']' or '-' or '_' or ':')))
        {
            throw new ArgumentException($"query parameter name \"{name}\" needs encoding", nameof(name));
        }
    }

    private QueryString Append(string encodedName, string encodedValue)
    {
        if (text.Length > 0)
        {
            text.Append('&');
        }

        text.Append(encodedName).Append('=').Append(encodedValue);
        return this;
    }
}
