using System.Collections.Concurrent;
using System.Text;
using Google.Protobuf;
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

    public static IReadOnlyList<string> Secrets { get; } = [EndToEndFixture.ApiKey, EndToEndFixture.PlexToken];

    /// <summary>Gets everything recorded so far: one text per workflow run and per process.</summary>
    public static IReadOnlyList<(string Name, string Text)> Texts => [.. Recorded];

    /// <summary>
    /// Records every run of every workflow in the client's namespace: its history as JSON, and the
    /// payloads as sent (JSON holds them in base64; the Go version read the protobuf encoding).
    /// </summary>
    public static async Task RecordHistoriesAsync(string server, ITemporalClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var rpc = new RpcOptions { CancellationToken = cts.Token };
        await foreach (var execution in client.ListWorkflowsAsync("", new WorkflowListOptions { Rpc = rpc }))
        {
            var history = await client.GetWorkflowHandle(execution.Id, execution.RunId)
                .FetchHistoryAsync(new WorkflowHistoryEventFetchOptions { Rpc = rpc });
            var payloads = history.Events.SelectMany(e => e.ToByteArray()).ToArray();
            Recorded.Enqueue(($"history of {execution.Id} (run {execution.RunId}) on {server}", history.ToJson() + Encoding.Latin1.GetString(payloads)));
        }
    }

    /// <summary>Records a process's output (stdout and stderr, where the logs go).</summary>
    public static void RecordOutput(string name, string text) => Recorded.Enqueue((name, text));

    /// <summary>Returns where a credential appears, one line each.</summary>
    public static IReadOnlyList<string> Find(IEnumerable<(string Name, string Text)> texts) =>
        [.. from t in texts from secret in Secrets where Contains(t.Text, secret) select $"{t.Name} holds {Name(secret)}"];

    // Latin-1 maps each byte to one char, so the raw bytes of a UTF-8 secret appear as the secret's
    // Latin-1 reading; for the ASCII secrets here that is the secret itself.
    private static bool Contains(string text, string secret) =>
        text.Contains(secret, StringComparison.Ordinal) ||
        text.Contains(Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(secret)), StringComparison.Ordinal);

    private static string Name(string secret) => secret == EndToEndFixture.ApiKey ? "the Stash API key" : "the Plex token";
}
