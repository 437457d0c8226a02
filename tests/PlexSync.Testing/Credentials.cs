using System.Text;
using Google.Protobuf;
using Temporalio.Client;

namespace PlexSync.Testing;

/// <summary>Looks for credentials in what a user or operator can read: workflow histories, logs, command output.</summary>
public static class Credentials
{
    /// <summary>
    /// Reads every run of the workflows the query selects: its history as JSON, and the payloads as
    /// sent (JSON holds them in base64).
    /// </summary>
    /// <param name="client">The server's client.</param>
    /// <param name="server">The server's name in findings.</param>
    /// <param name="query">A visibility query; empty for every workflow of the namespace.</param>
    public static async Task<IReadOnlyList<(string Name, string Text)>> HistoriesAsync(ITemporalClient client, string server, string query = "")
    {
        ArgumentNullException.ThrowIfNull(client);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var rpc = new RpcOptions { CancellationToken = cts.Token };
        var texts = new List<(string, string)>();
        await foreach (var execution in client.ListWorkflowsAsync(query, new WorkflowListOptions { Rpc = rpc }))
        {
            var history = await client.GetWorkflowHandle(execution.Id, execution.RunId)
                .FetchHistoryAsync(new WorkflowHistoryEventFetchOptions { Rpc = rpc });
            var payloads = history.Events.SelectMany(e => e.ToByteArray()).ToArray();
            texts.Add(($"history of {execution.Id} (run {execution.RunId}) on {server}", history.ToJson() + Encoding.Latin1.GetString(payloads)));
        }

        return texts;
    }

    /// <summary>Returns where a secret appears, one line each.</summary>
    /// <param name="texts">The named texts to search.</param>
    /// <param name="secrets">Each secret, with what it is ("the Plex token").</param>
    public static IReadOnlyList<string> Find(IEnumerable<(string Name, string Text)> texts, IReadOnlyDictionary<string, string> secrets) =>
        [.. from t in texts from s in secrets where Contains(t.Text, s.Key) select $"{t.Name} holds {s.Value}"];

    // Latin-1 maps each byte to one char, so the raw bytes of a UTF-8 secret appear as the secret's
    // Latin-1 reading; for the ASCII secrets here that is the secret itself.
    private static bool Contains(string text, string secret) =>
        text.Contains(secret, StringComparison.Ordinal) ||
        text.Contains(Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(secret)), StringComparison.Ordinal);
}
