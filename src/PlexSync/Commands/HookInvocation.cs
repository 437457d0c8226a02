namespace PlexSync.Commands;

/// <summary>
/// A plain `plexsync hook` command line, recognised before the command tree is built: Stash waits for the
/// hook on every save, and building the tree, the console and the logger costs it start-up time.
/// </summary>
/// <param name="ConfigPath">The --config value, or null for the default lookup.</param>
/// <param name="Timeout">The --timeout value.</param>
internal sealed record HookInvocation(string? ConfigPath, TimeSpan Timeout)
{
    /// <summary>
    /// The invocation when <paramref name="args"/> is `hook` with only --config/-c, --timeout, --debug and
    /// --log-format (each at most once, values as separate words, timeout valid); otherwise null, and the command
    /// tree handles it, so that help, errors and every other spelling behave exactly as for any command.
    /// </summary>
    public static HookInvocation? TryParse(IReadOnlyList<string> args)
    {
        var values = Scan(args);
        var timeout = HookCommand.DefaultTimeout;
        if (values is null || (values.GetValueOrDefault("--timeout") is { } text && !HookCommand.TryParseTimeout(text, out timeout)))
        {
            return null;
        }

        return new HookInvocation(values.GetValueOrDefault("--config"), timeout);
    }

    /// <summary>
    /// Whether <paramref name="args"/> is `hook` with only the options <see cref="TryParse"/> takes, whatever their
    /// values; reads no culture data, so that it can run before the globalization mode is chosen.
    /// </summary>
    public static bool IsHook(IReadOnlyList<string> args) => Scan(args) is not null;

    // The options by name, or null when the command line is anything but `hook` with the options it takes.
    private static Dictionary<string, string?>? Scan(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var sawHook = false;
        for (var i = 0; i < args.Count; i++)
        {
            var token = args[i];
            var name = token == "-c" ? "--config" : token;
            if (name == "hook" && !sawHook)
            {
                sawHook = true;
            }
            else if (name == "--debug" && values.TryAdd(name, null))
            {
                continue;
            }
            else if (name is "--config" or "--timeout" or "--log-format" && i + 1 < args.Count && IsPlainValue(args[i + 1]) && values.TryAdd(name, args[i + 1]))
            {
                i++;
            }
            else
            {
                return null;
            }
        }

        return sawHook ? values : null;
    }

    // The command tree reads "-x" as an option, "@file" as a response file and "[x]" as a directive.
    private static bool IsPlainValue(string token) => !token.StartsWith('-') && !token.StartsWith('@') && !token.StartsWith('[');
}
