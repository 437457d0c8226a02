using PlexSync.Workflows;
using PlexSync.Workflows.Encryption;
using Temporalio.Converters;

namespace PlexSync.Configuration;

/// <summary>
/// Builds the payload codec and data converter from <c>encryption.keys</c> / <c>encryption.keys_file</c>: the
/// one place every process (worker, hook, CLI, dev, codec server) gets them from, so that all use the same keys.
/// </summary>
internal static class PayloadEncryption
{
    /// <summary>The codec for the configured keys, or null when encryption is off (no keys configured).</summary>
    /// <exception cref="ConfigException">The keys file cannot be read, or a key entry is malformed (the key itself is never shown).</exception>
    public static AesGcmPayloadCodec? CreateCodec(EncryptionConfig encryption)
    {
        ArgumentNullException.ThrowIfNull(encryption);
        var key = "encryption.keys";
        var keys = encryption.Keys.Reveal();
        if (!string.IsNullOrWhiteSpace(encryption.KeysFile))
        {
            // The file wins: it is where a rotation is made, and an inline list may be a stale leftover.
            key = "encryption.keys_file";
            try
            {
                keys = File.ReadAllText(encryption.KeysFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ConfigException($"config: {key}: cannot read {encryption.KeysFile}: {e.Message}", e);
            }
        }

        if (string.IsNullOrWhiteSpace(keys))
        {
            return null;
        }

        try
        {
            return AesGcmPayloadCodec.Parse(keys);
        }
        catch (FormatException e)
        {
            throw new ConfigException($"config: {key}: {e.Message}", e);
        }
    }

    /// <summary>PlexSync's data converter, encrypting when keys are configured.</summary>
    public static DataConverter DataConverter(EncryptionConfig encryption) => PayloadJson.Converter(CreateCodec(encryption));
}
