using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Temporalio.Api.Common.V1;
using Temporalio.Converters;

namespace PlexSync.Workflows.Encryption;

/// <summary>
/// Encrypts every payload with AES-256-GCM before it leaves the process. Each payload records the ID of
/// its key, so that payloads written before a key rotation stay readable as long as the old key is kept:
/// the first key encrypts, all of them decrypt.
/// </summary>
public sealed class AesGcmPayloadCodec : IPayloadCodec
{
    /// <summary>The <c>encoding</c> metadata of an encrypted payload.</summary>
    public const string EncryptedEncoding = "binary/encrypted";

    /// <summary>The metadata entry naming the key that encrypted a payload.</summary>
    public const string KeyIdMetadata = "encryption-key-id";

    /// <summary>The size of each key: AES-256.</summary>
    public const int KeySize = 32;

    private const string EncodingMetadata = "encoding";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private static readonly ByteString EncryptedEncodingBytes = ByteString.CopyFromUtf8(EncryptedEncoding);

    private readonly IReadOnlyDictionary<string, byte[]> keys;

    private AesGcmPayloadCodec(string currentKeyId, IReadOnlyDictionary<string, byte[]> keys)
    {
        CurrentKeyId = currentKeyId;
        this.keys = keys;
    }

    /// <summary>Gets the ID of the key new payloads are encrypted with.</summary>
    public string CurrentKeyId { get; }

    /// <summary>
    /// Reads "ID=BASE64" entries (32-byte keys, e.g. from <c>openssl rand -base64 32</c>), separated by commas
    /// or newlines; blank lines and lines starting with # are skipped. The first key encrypts.
    /// </summary>
    /// <exception cref="FormatException">An entry is malformed; the message names the entry by position or ID, never its key.</exception>
    public static AesGcmPayloadCodec Parse(string keyList)
    {
        ArgumentNullException.ThrowIfNull(keyList);
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        string? current = null;
        var entries = keyList.Split([',', '\n'], StringSplitOptions.TrimEntries);
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            if (entry.Length == 0 || entry.StartsWith('#'))
            {
                continue;
            }

            // Entries are numbered as a person counts them, blank ones included, so that "entry 3" is findable.
            var separator = entry.IndexOf('=', StringComparison.Ordinal);
            var id = separator > 0 ? entry[..separator].Trim() : "";
            if (id.Length == 0)
            {
                throw new FormatException($"encryption key entry {i + 1}: want ID=BASE64KEY");
            }

            var key = DecodeKey(entry[(separator + 1)..].Trim());
            if (key is null)
            {
                throw new FormatException($"encryption key \"{id}\" (entry {i + 1}): want {KeySize} bytes in base64 (openssl rand -base64 {KeySize})");
            }

            if (!keys.TryAdd(id, key))
            {
                throw new FormatException($"encryption key \"{id}\" is listed twice");
            }

            current ??= id;
        }

        return current is null
            ? throw new FormatException("no encryption key given: want ID=BASE64KEY entries, separated by commas or newlines")
            : new AesGcmPayloadCodec(current, keys);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyCollection<Payload>> EncodeAsync(IReadOnlyCollection<Payload> payloads)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        using var aes = new AesGcm(keys[CurrentKeyId], TagSize);
        var associated = Encoding.UTF8.GetBytes(CurrentKeyId);
        var encoded = new List<Payload>(payloads.Count);
        foreach (var payload in payloads)
        {
            var plain = payload.ToByteArray();

            // nonce || ciphertext || tag. The key ID is authenticated too, so that relabelling a payload fails.
            var data = new byte[NonceSize + plain.Length + TagSize];
            var nonce = data.AsSpan(0, NonceSize);
            RandomNumberGenerator.Fill(nonce);
            aes.Encrypt(nonce, plain, data.AsSpan(NonceSize, plain.Length), data.AsSpan(NonceSize + plain.Length), associated);
            encoded.Add(new Payload
            {
                Metadata =
                {
                    [EncodingMetadata] = EncryptedEncodingBytes,
                    [KeyIdMetadata] = ByteString.CopyFromUtf8(CurrentKeyId),
                },
                Data = ByteString.CopyFrom(data),
            });
        }

        return Task.FromResult<IReadOnlyCollection<Payload>>(encoded);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Payloads that are not encrypted pass through, so that histories from before encryption was switched
    /// on stay readable.
    /// </remarks>
    /// <exception cref="PayloadDecryptionException">A payload's key is not configured, or it does not decrypt.</exception>
    public Task<IReadOnlyCollection<Payload>> DecodeAsync(IReadOnlyCollection<Payload> payloads)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        var decoded = new List<Payload>(payloads.Count);
        foreach (var payload in payloads)
        {
            decoded.Add(IsEncrypted(payload) ? Decrypt(payload) : payload);
        }

        return Task.FromResult<IReadOnlyCollection<Payload>>(decoded);
    }

    /// <summary>Whether a payload carries this codec's encrypted encoding.</summary>
    public static bool IsEncrypted(Payload payload) =>
        payload is not null && payload.Metadata.TryGetValue(EncodingMetadata, out var encoding) && encoding == EncryptedEncodingBytes;

    private static byte[]? DecodeKey(string base64)
    {
        var buffer = new byte[KeySize + 3];
        return Convert.TryFromBase64String(base64, buffer, out var written) && written == KeySize ? buffer[..KeySize] : null;
    }

    private Payload Decrypt(Payload payload)
    {
        var id = payload.Metadata.TryGetValue(KeyIdMetadata, out var idBytes) ? idBytes.ToStringUtf8() : "";
        if (!keys.TryGetValue(id, out var key))
        {
            throw new PayloadDecryptionException(
                $"payload encrypted with key \"{id}\", which is not configured; add it to encryption.keys to read payloads written with it");
        }

        var data = payload.Data.Span;
        if (data.Length < NonceSize + TagSize)
        {
            throw new PayloadDecryptionException($"payload encrypted with key \"{id}\" is too short to be one");
        }

        var plain = new byte[data.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        try
        {
            aes.Decrypt(data[..NonceSize], data[NonceSize..^TagSize], data[^TagSize..], plain, Encoding.UTF8.GetBytes(id));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new PayloadDecryptionException(
                $"payload encrypted with key \"{id}\" does not decrypt: it was altered, or the key with that ID is not the one that encrypted it", e);
        }

        return Payload.Parser.ParseFrom(plain);
    }
}
