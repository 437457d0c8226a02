using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PlexSync.Configuration;

/// <summary>
/// Wraps a YAML parser to do two things YamlDotNet does not. It drops mapping entries with no value
/// ("timeout:" or "stash: ~"), because a key without a value keeps its default, while YamlDotNet
/// would write null or zero. And it tracks the dotted path of the key being read ("plex.timeout",
/// "path_mappings[0].from") so that an error can name the key, not only the line.
/// </summary>
internal sealed class KeyTrackingParser(IParser inner) : IParser
{
    private readonly Stack<Frame> frames = new();
    private ParsingEvent? lookahead;

    public ParsingEvent? Current { get; private set; }

    /// <summary>
    /// Gets the path of the key last read, or of the value last read ("" at the top). It is kept, not
    /// computed on demand, because a deserializer that fails has often consumed the next event already.
    /// </summary>
    public string KeyPath { get; private set; } = "";

    public bool MoveNext()
    {
        while (true)
        {
            if (!Read(out var next))
            {
                Current = null;
                return false;
            }

            if (AtKey() && next is Scalar && !SkipIfNullValue())
            {
                continue;
            }

            if (next is MappingStart or SequenceStart)
            {
                KeyPath = Path(); // a list or mapping as a whole is the value of the enclosing key
            }

            Track(next);
            if (next is Scalar)
            {
                KeyPath = Path();
            }

            Current = next;
            return true;
        }
    }

    private string Path() => string.Concat(frames.Reverse().Select(f => f.Segment)).TrimStart('.');

    private static bool IsNull(ParsingEvent e) =>
        e is Scalar { Style: ScalarStyle.Plain, Tag.IsEmpty: true } s && s.Value is "" or "~" or "null" or "Null" or "NULL";

    // Returns false when the key just read and its null value were both dropped.
    private bool SkipIfNullValue()
    {
        if (!Read(out var value))
        {
            return true;
        }

        if (IsNull(value))
        {
            return false;
        }

        lookahead = value;
        return true;
    }

    private bool Read(out ParsingEvent next)
    {
        if (lookahead is not null)
        {
            next = lookahead;
            lookahead = null;
            return true;
        }

        var moved = inner.MoveNext();
        next = inner.Current!;
        return moved && next is not null;
    }

    private bool AtKey() => frames.TryPeek(out var top) && top.IsMapping && top.ExpectKey;

    private void Track(ParsingEvent e)
    {
        switch (e)
        {
            case MappingStart or SequenceStart:
                frames.Push(new Frame(e is MappingStart));
                break;
            case MappingEnd or SequenceEnd:
                frames.Pop();
                NodeDone(null);
                break;
            case Scalar s:
                NodeDone(s.Value);
                break;
            case AnchorAlias:
                NodeDone(null);
                break;
            default:
                break;
        }
    }

    // A whole node has been read: a mapping's key or value, or one more sequence item.
    private void NodeDone(string? scalar)
    {
        if (!frames.TryPeek(out var top))
        {
            return;
        }

        if (!top.IsMapping)
        {
            top.Index++;
        }
        else if (top.ExpectKey)
        {
            top.Key = scalar ?? "?";
            top.ExpectKey = false;
        }
        else
        {
            top.ExpectKey = true;
        }
    }

    private sealed class Frame(bool isMapping)
    {
        public bool IsMapping { get; } = isMapping;

        public bool ExpectKey { get; set; } = true;

        public string? Key { get; set; }

        public int Index { get; set; }

        public string Segment => IsMapping ? (Key is null ? "" : "." + Key) : $"[{Index}]";
    }
}
