using PlexSync.Clients;

namespace PlexSync.Workflows;

/// <summary>
/// The Plex server's machineIdentifier and its accounts, cached for a few minutes like the sections: every page of the
/// history needs them. One per worker process (activities are created per call).
/// </summary>
public sealed class PlexServerCache(TimeProvider time) : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim gate = new(1, 1);
    private (string Server, IReadOnlyList<PlexAccount>? Accounts, DateTimeOffset At)? cached;

    /// <summary>The server's machineIdentifier; refused when it could not be part of a workflow ID.</summary>
    public async Task<string> ServerAsync(IPlexClient plex, CancellationToken cancellationToken) => (await LoadAsync(plex, false, cancellationToken)).Server;

    /// <summary>
    /// Resolves configured accounts (IDs as digits, else names) to account IDs. Names need GET /accounts, which only
    /// the owner's token may read; a name Plex does not have is a <see cref="ConfigMismatchException"/>.
    /// </summary>
    public async Task<IReadOnlySet<string>> AccountIdsAsync(IPlexClient plex, IReadOnlyList<string> configured, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configured);
        var ids = new HashSet<string>(configured.Where(IsId), StringComparer.Ordinal);
        var names = configured.Where(a => !IsId(a)).ToList();
        if (names.Count == 0)
        {
            return ids;
        }

        var accounts = (await LoadAsync(plex, true, cancellationToken)).Accounts!;
        foreach (var name in names)
        {
            var account = accounts.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new ConfigMismatchException(
                    $"plays.accounts: Plex has no account named \"{name}\" (it has: {string.Join(", ", accounts.Select(a => $"{a.Name} ({a.Id})"))})");
            ids.Add(account.Id);
        }

        return ids;
    }

    public void Dispose() => gate.Dispose();

    private static bool IsId(string account) => account.Length > 0 && account.All(char.IsAsciiDigit);

    private async Task<(string Server, IReadOnlyList<PlexAccount>? Accounts, DateTimeOffset At)> LoadAsync(IPlexClient plex, bool accounts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plex);
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (cached is not { } c || time.GetUtcNow() - c.At >= Lifetime || (accounts && c.Accounts is null))
            {
                var server = (await plex.ServerAsync(cancellationToken)).MachineIdentifier;
                if (!server.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-'))
                {
                    throw new ConfigMismatchException($"plex.url: the server's machineIdentifier \"{server}\" is not letters, digits and dashes; is it a Plex Media Server?");
                }

                cached = (server, accounts ? await plex.AccountsAsync(cancellationToken) : null, time.GetUtcNow());
            }

            return cached.Value;
        }
        finally
        {
            gate.Release();
        }
    }
}
