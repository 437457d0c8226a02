namespace PlexSync.Workflows;

/// <summary>The Stash scene a Plex item matched, and how.</summary>
public sealed record PlayMatch(string SceneId, string Strategy, string StashFile);

/// <summary>Why a row has no scene: <see cref="PlayOutcomes.Unmatched"/> or <see cref="PlayOutcomes.Ambiguous"/>, in words.</summary>
public sealed record PlayProblem(string Outcome, string Reason);

/// <summary>One row of Plex's watch history, with its scene (or why none) once matched; IDs and times only, no titles.</summary>
/// <param name="HistoryId">The row's ID on its Plex server.</param>
/// <param name="ViewedAt">When, in Unix seconds: the play's time in Stash.</param>
/// <param name="AccountId">The Plex account that watched.</param>
/// <param name="RatingKey">The Plex item; empty when the item was deleted.</param>
/// <param name="SectionId">The item's library section.</param>
/// <param name="Match">The scene; null when not matched (yet).</param>
/// <param name="Problem">Why no scene; null when matched or not matched yet.</param>
public sealed record PlayRow(long HistoryId, long ViewedAt, string AccountId, string RatingKey, string SectionId, PlayMatch? Match = null, PlayProblem? Problem = null);

/// <summary>What RecordPlay does: one history row of one Plex server.</summary>
/// <param name="Server">The Plex server's machineIdentifier.</param>
/// <param name="Row">The row; without match and problem it is matched first.</param>
/// <param name="Ordinal">
/// The row's rank among the in-scope rows of the same scene and second (1 for the first): Stash must have at least this
/// many plays at that second once the row is recorded. Two people finishing the same scene in the same second are two plays.
/// </param>
/// <param name="Reason">schedule, backfill or retry.</param>
public sealed record RecordPlayInput(string Server, PlayRow Row, int Ordinal, string Reason);

/// <summary>What RecordPlay did.</summary>
/// <param name="Outcome">One of <see cref="PlayOutcomes"/> but failed.</param>
/// <param name="SceneId">The scene, when matched.</param>
/// <param name="ViewedAt">The play's time, Unix seconds.</param>
/// <param name="Before">Plays the scene had at that second before anything was written.</param>
/// <param name="PlayCount">The scene's play count at the end.</param>
/// <param name="Repaired">Doubles removed.</param>
/// <param name="Reason">Why unmatched or ambiguous; empty otherwise.</param>
public sealed record RecordPlayResult(string Outcome, string SceneId, long ViewedAt, int Before, int PlayCount, int Repaired, string Reason);

/// <summary>A scene and the second whose plays ReadScenePlays counts.</summary>
public sealed record ScenePlaysInput(string SceneId, long ViewedAt);

/// <summary>How many plays a scene has at one second, and in all; <c>Exists = false</c> for a scene deleted from Stash.</summary>
public sealed record ScenePlaysAt(bool Exists, int At, int PlayCount);

/// <summary>What AddPlay and VerifyPlay need: the row's scene and second, its ordinal, and the count at that second read before any write.</summary>
public sealed record AddPlayInput(string SceneId, long ViewedAt, int Ordinal, int Before)
{
    /// <summary>Gets a value indicating whether this row still has to be added: Stash had fewer plays at that second than the row's ordinal.</summary>
    public bool Owed => Before < Ordinal;

    /// <summary>Gets how many plays Stash should have at that second once the row is recorded.</summary>
    public int Expected => Owed ? Before + 1 : Before;
}

/// <summary>What AddPlay or VerifyPlay did: the outcome, the play count after, which attempt it was and how many doubles it removed.</summary>
public sealed record AddPlayResult(string Outcome, int PlayCount, int Attempt, int Repaired);

/// <summary>What SyncResumePoints did: items in progress looked at, resume points written.</summary>
public sealed record ResumeResult(int Checked, int Set);
