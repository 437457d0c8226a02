using System.Globalization;

namespace PlexSync.Configuration;

/// <summary>
/// The configuration's duration format: Go's syntax ("30s", "5m", "1h30m", "500ms", "24h"), read
/// exactly as Go's time.ParseDuration reads it.
/// </summary>
internal static class GoDuration
{
    public const string Examples = "like 30s, 5m, 1h30m, 500ms";

    private static readonly decimal MaxNanoseconds = TimeSpan.MaxValue.Ticks * 100m;

    private static readonly (string Unit, decimal Nanoseconds)[] Units =
    [
        ("ns", 1m), ("us", 1e3m), ("\u00b5s", 1e3m), ("\u03bcs", 1e3m), ("ms", 1e6m),
        ("s", 1e9m), ("m", 60e9m), ("h", 3600e9m),
    ];

    /// <summary>Parses a Go duration; precision below a tick (100ns) is truncated.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var negative = text[0] == '-';
        var rest = text[0] is '-' or '+' ? text[1..] : text;
        if (rest == "0")
        {
            return true; // Go's one unitless duration
        }

        if (rest.Length == 0)
        {
            return false;
        }

        var nanoseconds = 0m;
        while (rest.Length > 0)
        {
            if (!TryTakeNumber(ref rest, out var number) || !TryTakeUnit(ref rest, out var scale) || number > MaxNanoseconds / scale)
            {
                return false;
            }

            nanoseconds += number * scale;
        }

        if (nanoseconds > MaxNanoseconds)
        {
            return false;
        }

        var ticks = (long)(nanoseconds / 100m);
        duration = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

    /// <summary>Formats as Go's Duration.String does for whole units: "1h30m0s", "500ms", "0s".</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        var sign = duration < TimeSpan.Zero ? "-" : "";
        var d = duration.Duration();
        if (d < TimeSpan.FromSeconds(1))
        {
            return sign + (d.Ticks % TimeSpan.TicksPerMillisecond == 0
                ? $"{d.Ticks / TimeSpan.TicksPerMillisecond}ms"
                : $"{(d.Ticks / 10m).ToString(CultureInfo.InvariantCulture)}µs");
        }

        var seconds = (d.Ticks % TimeSpan.TicksPerMinute / (decimal)TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture);
        var hours = (long)d.TotalHours;
        var text = hours > 0 ? $"{hours}h{d.Minutes}m{seconds}s" : d.Minutes > 0 ? $"{d.Minutes}m{seconds}s" : $"{seconds}s";
        return sign + text;
    }

    // Go accepts "1.5h", ".5s" and "1.s", but not "." alone.
    private static bool TryTakeNumber(ref string rest, out decimal number)
    {
        var end = 0;
        while (end < rest.Length && (char.IsAsciiDigit(rest[end]) || rest[end] == '.'))
        {
            end++;
        }

        var digits = rest[..end];
        rest = rest[end..];
        number = 0m;
        return digits.Any(char.IsAsciiDigit)
            && decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number);
    }

    private static bool TryTakeUnit(ref string rest, out decimal scale)
    {
        var end = 0;
        while (end < rest.Length && !char.IsAsciiDigit(rest[end]) && rest[end] != '.')
        {
            end++;
        }

        var unit = rest[..end];
        rest = rest[end..];
        var match = Array.Find(Units, u => u.Unit == unit);
        scale = match.Nanoseconds;
        return match.Unit is not null;
    }
}
