using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using PlexSync.Configuration;

namespace PlexSync.Commands;

/// <summary>
/// Parsers and rules for option values that commands share: a bad value is a parse error, reported with the usage
/// like any other and naming the option, before any command runs (exit status <see cref="ExitCodes.Usage"/>).
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

    /// <summary>A positive number (of scenes, of runs).</summary>
    public static int Positive(ArgumentResult result)
    {
        var text = Text(result);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            return n;
        }

        result.AddError($"{OptionName(result)}: \"{text}\" is not a positive number");
        return 0;
    }

    /// <summary>A positive duration in Go's syntax: 30s, 5m, 1h30m, 500ms, 24h.</summary>
    public static TimeSpan PositiveDuration(ArgumentResult result)
    {
        var text = Text(result);
        if (TryPositiveDuration(text, out var duration))
        {
            return duration;
        }

        result.AddError($"{OptionName(result)}: \"{text}\" is not a positive duration ({GoDuration.Examples}, 24h)");
        return TimeSpan.Zero;
    }

    /// <summary>The rule of <see cref="PositiveDuration"/>, for the hook's own start-up path, which parses without the command tree.</summary>
    public static bool TryPositiveDuration(string text, out TimeSpan duration) => GoDuration.TryParse(text, out duration) && duration > TimeSpan.Zero;

    /// <summary>Stash scene IDs, from repeated options and comma-separated lists; each a positive number, as in Stash's URLs.</summary>
    public static string[] SceneIds(ArgumentResult result)
    {
        var ids = result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToArray();
        var bad = ids.Length == 0 ? "" : ids.FirstOrDefault(id => !IsStashId(id));
        if (bad is not null)
        {
            result.AddError($"{OptionName(result)}: \"{bad}\" is not a Stash scene ID (a positive number, as in Stash's scene URL /scenes/45)");
        }

        return ids;
    }

    /// <summary>The ID of a Stash performer, tag, studio or group, named by the option (--tag 12).</summary>
    public static string StashId(ArgumentResult result)
    {
        var text = Text(result);
        if (!IsStashId(text))
        {
            var kind = OptionName(result).TrimStart('-');
            result.AddError($"--{kind}: \"{text}\" is not a Stash {kind} ID (a positive number, as in Stash's URL /{kind}s/12)");
        }

        return text;
    }

    /// <summary>Requires exactly one of <paramref name="options"/> on the command line, saying so with <paramref name="hint"/>.</summary>
    public static void RequireExactlyOne(Command command, string hint, params Option[] options)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Validators.Add(result =>
        {
            if (options.Count(option => Given(result, option)) != 1)
            {
                result.AddError(hint);
            }
        });
    }

    /// <summary>Whether the command line names <paramref name="option"/> (a default is not naming it; a flag set to false is not either).</summary>
    public static bool Given(CommandResult result, Option option) =>
        result?.GetResult(option) is { Implicit: false } given && !(option is Option<bool> && given.GetValueOrDefault<bool>() is false);

    private static bool IsStashId(string text) => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0;

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
