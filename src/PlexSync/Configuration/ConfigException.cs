namespace PlexSync.Configuration;

/// <summary>
/// A configuration a person must fix. The message names the key ("config: plex.token: ...") and never
/// carries a secret value.
/// </summary>
public sealed class ConfigException : Exception
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
