using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace PlexSync;

// The program's own exceptions. Each carries a message fit for the user; Cli prints it as one line.

/// <summary>An error whose message tells the user what is wrong and what to do; printed without a stack trace.</summary>
internal sealed class UserFacingException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A configuration a person must fix. The message names the key ("config: plex.token: ...") and never
/// carries a secret value.
/// </summary>
internal sealed class ConfigException : Exception
{
    public ConfigException()
    {
    }

    public ConfigException(string message)
        : base(message)
    {
    }

    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A value of the wrong form; carries a reason fit for the user, without YAML's position prefix.</summary>
internal sealed class ConfigValueException : YamlException
{
    public ConfigValueException(string message)
        : base(message) => Reason = message;

    public ConfigValueException(string message, Exception inner)
        : base(message, inner) => Reason = message;

    public ConfigValueException(ParsingEvent at, string reason)
        : base(StartOf(at), EndOf(at), reason) => Reason = reason;

    public string Reason { get; }

    private static Mark StartOf(ParsingEvent at) => at?.Start ?? Mark.Empty;

    private static Mark EndOf(ParsingEvent at) => at?.End ?? Mark.Empty;
}
