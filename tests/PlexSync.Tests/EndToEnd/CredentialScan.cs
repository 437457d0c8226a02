using System.Collections.Concurrent;
using Temporalio.Client;

namespace PlexSync.Tests.EndToEnd;

/// <summary>
/// Collects what a user or operator can read after the end-to-end tests (every workflow history of
/// the servers they used, the logs of their workers and the output of every CLI run) for
/// <see cref="NoCredentialTests"/>, which runs after them all and looks for the fixture's Stash API
/// key and Plex token in it.
/// </summary>
public static class CredentialScan
{
    private static readonly ConcurrentQueue<(string Name, string Text)> Recorded = new();

    public static IReadOnlyDictionary<string, string> Secrets { get; } = new Dictionary<string, string>
    {
        [EndToEndFixture.ApiKey] = "the Stash API key",
        [EndToEndFixture.PlexToken] = "the Plex token",
    };

    /// <summary>Gets everything recorded so far: one text per workflow run and per process.</summary>
    public static IReadOnlyList<(string Name, string Text)> Texts => [.. Recorded];

    /// <summary>Records every run of every workflow in the client's namespace.</summary>
    public static async Task RecordHistoriesAsync(string server, ITemporalClient client)
    {
        foreach (var history in await Credentials.HistoriesAsync(client, server))
        {
            Recorded.Enqueue(history);
        }
    }

    /// <summary>Records a process's output (stdout and stderr, where the logs go).</summary>
    public static void RecordOutput(string name, string text) => Recorded.Enqueue((name, text));

    /// <summary>Returns where a credential appears, one line each.</summary>
    public static IReadOnlyList<string> Find(IEnumerable<(string Name, string Text)> texts) => Credentials.Find(texts, Secrets);
}
