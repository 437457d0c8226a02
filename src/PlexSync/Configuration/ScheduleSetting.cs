namespace PlexSync.Configuration;

/// <summary>
/// The interval of a reconciliation schedule, as `reconcile.schedule` and `schedule set --every` give it:
/// a duration of at least <see cref="Minimum"/>, or (for the config key only) <see cref="Off"/>.
/// </summary>
internal static class ScheduleSetting
{
    /// <summary>The config value that stops workers creating the default schedule.</summary>
    public const string Off = "off";

    /// <summary>The default of `reconcile.schedule`.</summary>
    public const string Default = "6h";

    // A reconciliation of a large library takes minutes; with runs that never overlap, a shorter
    // interval would only record skipped runs.
    public static readonly TimeSpan Minimum = TimeSpan.FromMinutes(1);

    // Keeps twice the interval (the recent scope's window) far from TimeSpan's limits.
    public static readonly TimeSpan Maximum = TimeSpan.FromDays(366);

    /// <summary>Parses an interval; returns null when it is fine, else what is wrong with it.</summary>
    public static string? TryParseInterval(string? text, out TimeSpan every)
    {
        if (!GoDuration.TryParse(text, out every))
        {
            return $"\"{text}\" is not a duration (like 30m, 6h, 24h)";
        }

        if (every < Minimum)
        {
            return $"\"{text}\" is shorter than the 1m minimum (a reconciliation takes longer than that); use e.g. 1h or 6h";
        }

        return every > Maximum ? $"\"{text}\" is longer than the 8784h (366 days) maximum" : null;
    }

    /// <summary>Parses `reconcile.schedule`: null interval for off; returns what is wrong, or null.</summary>
    public static string? TryParseConfig(string? text, out TimeSpan? every)
    {
        every = null;
        if (string.Equals(text?.Trim(), Off, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var problem = TryParseInterval(text, out var interval);
        if (problem is not null)
        {
            return problem + ", or off";
        }

        every = interval;
        return null;
    }

    /// <summary>The interval `reconcile.schedule` asks workers to create a schedule with; null for off. The config must be valid.</summary>
    public static TimeSpan? DefaultInterval(this ReconcileConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return TryParseConfig(config.Schedule, out var every) is null
            ? every
            : throw new ConfigException($"config: reconcile.schedule: \"{config.Schedule}\" is not valid");
    }

    /// <summary>Writes a duration the way users type it: "6h", "1h30m", "90s" → "1m30s".</summary>
    public static string Short(TimeSpan d)
    {
        var parts = new List<string>(4);
        if (d.Days > 0 || d.Hours > 0)
        {
            parts.Add(FormattableString.Invariant($"{(long)d.TotalHours}h"));
        }

        if (d.Minutes > 0)
        {
            parts.Add(FormattableString.Invariant($"{d.Minutes}m"));
        }

        if (d.Seconds > 0 || parts.Count == 0)
        {
            parts.Add(FormattableString.Invariant($"{d.Seconds}s"));
        }

        return string.Concat(parts);
    }
}
