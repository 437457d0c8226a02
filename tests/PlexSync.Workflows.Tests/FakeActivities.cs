using PlexSync.Domain;
using Temporalio.Activities;

namespace PlexSync.Workflows.Tests;

/// <summary>
/// Stand-ins for the sync activities under the same names, so that a test decides what each step
/// answers and counts the calls; the workflow code under test is the real one.
/// </summary>
public sealed class FakeActivities
{
    private int fetches;
    private int matches;
    private int applies;

    public int Fetches => fetches;

    public int Matches => matches;

    public int Applies => applies;

    public Func<string, Scene?> Scene { get; set; } = id => new Scene { Id = id, Title = "Scene " + id, Files = ["/data/videos/" + id + ".mp4"] };

    public Func<int, MatchResult> Match { get; set; } = _ => new MatchResult(new PlexCandidate("100", "1", "", ["/media/videos/x.mp4"]), ItemMatcher.ByPath, "/media/videos/x.mp4");

    public Func<int, ApplyInput, Task<ApplyResult>> Apply { get; set; } = (_, _) => Task.FromResult(new ApplyResult(["title"]));

    [Activity(ActivityPolicies.FetchScene)]
    public FetchResult FetchScene(string sceneId)
    {
        Interlocked.Increment(ref fetches);
        return new FetchResult(Scene(sceneId));
    }

    public Func<Scene, DesiredState> Validate { get; set; } = scene => DesiredStateBuilder.Build(scene, new SceneOptions());

    [Activity(ActivityPolicies.ValidateScene)]
    public DesiredState ValidateScene(Scene scene) => Validate(scene);

    [Activity(ActivityPolicies.MatchPlexItem)]
    public MatchResult MatchPlexItem(IReadOnlyList<string> files) => Match(Interlocked.Increment(ref matches));

    [Activity(ActivityPolicies.ApplyMetadata)]
    public Task<ApplyResult> ApplyMetadata(ApplyInput input) => Apply(Interlocked.Increment(ref applies), input);
}
