using PlexSync.Workflows;

namespace PlexSync.Configuration;

/// <summary>Checks and reads the plays keys.</summary>
internal static class PlaysSetting
{
    /// <summary>What is wrong with the plays keys, as "config: key: ...", or null.</summary>
    public static string? Check(PlaysConfig plays)
    {
        ArgumentNullException.ThrowIfNull(plays);
        if (TryParseEvery(plays.Every, out _) is { } every)
        {
            return "config: plays.every: " + every;
        }

        if (plays.PageSize is < 1 or > 1000)
        {
            return "config: plays.page_size: must be between 1 and 1000";
        }

        if (plays.Accounts.Count == 0)
        {
            return "config: plays.accounts: list at least one Plex account, by ID or name (1 is the server owner), e.g. [1]";
        }

        return plays.Accounts.Any(string.IsNullOrWhiteSpace)
            ? "config: plays.accounts: an entry is empty; give Plex account IDs (1 is the server owner) or names"
            : null;
    }

    /// <summary>Parses plays.every: a duration of at least a minute, or off (null interval); returns what is wrong, or null.</summary>
    public static string? TryParseEvery(string? text, out TimeSpan? every)
    {
        every = null;
        if (string.Equals(text?.Trim(), ScheduleSetting.Off, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!GoDuration.TryParse(text, out var interval))
        {
            return $"\"{text}\" is not a duration (like 5m, 1h), or off";
        }

        if (interval < ScheduleSetting.Minimum || interval > ScheduleSetting.Maximum)
        {
            return $"\"{text}\" is outside 1m to 8784h (Plex's history is read at most once a minute), or off";
        }

        every = interval;
        return null;
    }

    /// <summary>The interval the plays schedule is created with; null for off. The config must be valid.</summary>
    public static TimeSpan? DefaultInterval(this PlaysConfig plays)
    {
        ArgumentNullException.ThrowIfNull(plays);
        return TryParseEvery(plays.Every, out var every) is null
            ? every
            : throw new ConfigException($"config: plays.every: \"{plays.Every}\" is not valid");
    }

    /// <summary>What the plays activities need of the config.</summary>
    public static PlaysSettings ToPlaysSettings(this PlexSyncConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new PlaysSettings { Accounts = [.. config.Plays.Accounts.Select(a => a.Trim())], Resume = config.Plays.Resume };
    }
}
