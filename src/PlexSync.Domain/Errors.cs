namespace PlexSync.Domain;

/// <summary>
/// A scene breaks a sanitising rule. The message names the field and the rule; it never carries
/// a credential, and carries a value only where the value is harmless.
/// </summary>
public sealed class SceneValidationException : Exception
{
    public SceneValidationException(string sceneId, string field, string rule)
        : base($"stash scene {sceneId}: field \"{field}\": {rule}")
    {
        SceneId = sceneId;
        Field = field;
        Rule = rule;
    }

    public string SceneId { get; }

    public string Field { get; }

    public string Rule { get; }
}

/// <summary>A path that mapping refuses, because after mapping it could point outside the mapped folder.</summary>
public sealed class UnsafePathException(string path)
    : Exception($"path \"{path}\" has a \"..\" segment; refusing to map it")
{
    public string PathValue { get; } = path;
}

/// <summary>Several Plex items fit and choosing one would be a guess: a person has to resolve it.</summary>
public sealed class AmbiguousMatchException(string file, IReadOnlyList<PlexCandidate> candidates)
    : Exception(Describe(file, candidates))
{
    public string File { get; } = file;

    public IReadOnlyList<PlexCandidate> Candidates { get; } = candidates;

    private static string Describe(string file, IReadOnlyList<PlexCandidate> candidates)
    {
        var list = string.Join("; ", candidates.Select(c =>
            $"ratingKey {c.RatingKey} (section {c.SectionId}) {string.Join(", ", c.Files)}"));
        return $"{candidates.Count} Plex items match \"{file}\": {list}; give the files distinct names or add a path mapping so that the full path matches";
    }
}

/// <summary>Plex has no item for the scene's files yet, usually because it has not scanned them.</summary>
public sealed class NotInPlexException(IReadOnlyList<string> files)
    : Exception($"no Plex item has file {string.Join(" or ", files)} yet; Plex may not have scanned it (check the path mappings if this persists)")
{
    public IReadOnlyList<string> Files { get; } = files;
}
