namespace PlexSync.Workflows;

/// <summary>A setting that does not fit the servers; a person must fix it.</summary>
public sealed class ConfigMismatchException(string message) : Exception(message);

/// <summary>The matched Plex item vanished (Plex may have re-scanned the file).</summary>
public sealed class PlexItemGoneException(string ratingKey)
    : Exception($"Plex item {ratingKey} no longer exists (Plex may have re-scanned the file); the sync matches again");

/// <summary>A payload that cannot be decrypted: its key is missing or wrong, or it was altered.</summary>
public sealed class PayloadDecryptionException : Exception
{
    public PayloadDecryptionException()
    {
    }

    public PayloadDecryptionException(string message)
        : base(message)
    {
    }

    public PayloadDecryptionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
