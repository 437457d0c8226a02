namespace PlexSync.Clients;

/// <summary>A scene's plays as Stash has them: every play time (one per row, so a time can be there twice), the count, the resume point and the files.</summary>
public sealed record ScenePlays(string SceneId, IReadOnlyList<DateTimeOffset> History, int PlayCount, double ResumeTime, IReadOnlyList<string> Files)
{
    /// <summary>How many plays Stash has at exactly this second.</summary>
    public int At(long unixSeconds) => History.Count(t => t.ToUnixTimeSeconds() == unixSeconds);
}
