using Temporalio.Common;

namespace PlexSync.Workflows;

/// <summary>The search attributes our workflows set; the dev server and the cluster setup register them.</summary>
public static class SearchAttributes
{
    public static readonly SearchAttributeKey<string> StashSceneId = SearchAttributeKey.CreateKeyword("StashSceneId");

    public static readonly SearchAttributeKey<string> Outcome = SearchAttributeKey.CreateKeyword("PlexSyncOutcome");

    public static readonly SearchAttributeKey<string> PlexRatingKey = SearchAttributeKey.CreateKeyword("PlexRatingKey");

    public static IReadOnlyList<SearchAttributeKey> All { get; } = [StashSceneId, Outcome, PlexRatingKey];
}
