using System.CommandLine.Parsing;
using System.Globalization;
using PlexSync.Configuration;

namespace PlexSync.Commands;

/// <summary>
/// Parsers for option values that several commands share: a bad value is a parse error, reported with the
/// usage like any other, naming the option.
/// </summary>
internal static class OptionValues
{
    /// <summary>A TCP port, 1 to 65535.</summary>
    public static int Port(ArgumentResult result)
    {
        var text = Text(result);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535)
        {
            return port;
        }

        result.AddError($"{OptionName(result)}: \"{text}\" is not a TCP port (a number from 1 to 65535)");
        return 0;
    }

    /// <summary>host:port to listen on; :port for every interface.</summary>
    public static ListenAddress? Listen(ArgumentResult result)
    {
        if (ListenAddress.TryParse(Text(result), out var address) is { } problem)
        {
            result.AddError($"{OptionName(result)}: {problem}");
        }

        return address;
    }

    /// <summary>How far back: days as "30d", or a duration as "12h" or "90m"; more than nothing, at most ten years.</summary>
    public static TimeSpan? Since(ArgumentResult result)
    {
        var text = Text(result);
        var parsed = text.EndsWith('d') && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var days)
            ? TimeSpan.FromDays(days)
            : GoDuration.TryParse(text, out var duration) ? duration : (TimeSpan?)null;
        if (parsed is { } since && since > TimeSpan.Zero && since <= TimeSpan.FromDays(3650))
        {
            return since;
        }

        result.AddError($"{OptionName(result)}: \"{text}\" is not a time back from now (like 30d, 12h or 90m; at most 3650d)");
        return null;
    }

    private static string Text(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";

    private static string OptionName(ArgumentResult result) => (result.Parent as OptionResult)?.Option.Name ?? "value";
}
