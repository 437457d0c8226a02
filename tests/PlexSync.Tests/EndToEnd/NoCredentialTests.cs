using Xunit.Abstractions;

// The credential check must run after every end-to-end test, and xunit 2 runs collections in
// parallel and classes of a collection in no set order. So collections run one at a time, in the
// order below: the end-to-end fixture records what it saw at its teardown, and the check runs last.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: TestCollectionOrderer("PlexSync.Tests.EndToEnd.CredentialCheckLast", "PlexSync.Tests")]

namespace PlexSync.Tests.EndToEnd;

[Collection(Name)]
public sealed class NoCredentialTests(ITestOutputHelper output)
{
    public const string Name = "No credential anywhere (runs last)";

    [Fact]
    public void NoCredential_InAnyHistoryLogOrCliOutputOfTheEndToEndTests()
    {
        var texts = CredentialScan.Texts;
        var histories = texts.Where(t => t.Name.StartsWith("history ", StringComparison.Ordinal)).ToList();
        var outputs = texts.Except(histories).ToList();
        var debugLines = outputs.SelectMany(o => o.Text.Split('\n')).Where(l => l.Contains(" DBG] ", StringComparison.Ordinal)).ToList();
        output.WriteLine($"checked {histories.Count} workflow runs ({histories.Sum(h => h.Text.Length)} chars) and {outputs.Count} process outputs ({outputs.Sum(o => o.Text.Length)} chars, {debugLines.Count} lines at debug level)");
        foreach (var line in debugLines.Take(5))
        {
            output.WriteLine(line);
        }


        var findings = CredentialScan.Find(texts);
        Assert.True(findings.Count == 0, "a credential leaked:\n" + string.Join('\n', findings));

        // A check that read nothing, or a worker that logged only the usual, would pass for the wrong reason.
        Assert.True(histories.Count > 0, "no workflow history was recorded: did the end-to-end tests run?");
        Assert.NotEmpty(debugLines);
    }
}

/// <summary>Runs the collections by name, <see cref="NoCredentialTests"/> last.</summary>
public sealed class CredentialCheckLast : ITestCollectionOrderer
{
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections
            .OrderBy(c => c.DisplayName == NoCredentialTests.Name)
            .ThenBy(c => c.DisplayName, StringComparer.Ordinal);
}
