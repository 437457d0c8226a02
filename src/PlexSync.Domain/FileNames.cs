namespace PlexSync.Domain;

/// <summary>File-name helpers that accept both / and \ separators, whatever system we run on.</summary>
internal static class FileNames
{
    /// <summary>Returns the last path segment.</summary>
    public static string Name(string path)
    {
        var i = path.LastIndexOfAny(['/', '\\']);
        return i >= 0 ? path[(i + 1)..] : path;
    }

    /// <summary>
    /// Returns the last segment of the path, trailing separators ignored, without its extension:
    /// "." (and a path of separators only) gives "", ".." gives ".".
    /// </summary>
    public static string WithoutExtension(string path)
    {
        var name = Name(path.TrimEnd('/', '\\'));
        if (name is ".")
        {
            return "";
        }

        var dot = name.LastIndexOf('.');
        return dot >= 0 ? name[..dot] : name;
    }
}
