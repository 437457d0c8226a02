using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using PlexSync.Workflows.Encryption;
using Temporalio.Api.Common.V1;
using Temporalio.Converters;
using Temporalio.Exceptions;

namespace PlexSync.Workflows.Tests.Encryption;

public sealed class AesGcmPayloadCodecTests
{
    private const string Secret = "Scene title: Private Holiday 2024";

    private static readonly string OldKey = NewKey();
    private static readonly string NewerKey = NewKey();

    [Fact]
    public async Task EncodeDecode_RoundTrip_RestoresPayloadAndHidesPlaintext()
    {
        var codec = AesGcmPayloadCodec.Parse($"k1={OldKey}");
        var original = await PayloadOfAsync(Secret);

        var encoded = Assert.Single(await codec.EncodeAsync([original]));

        Assert.True(AesGcmPayloadCodec.IsEncrypted(encoded));
        Assert.Equal("k1", encoded.Metadata[AesGcmPayloadCodec.KeyIdMetadata].ToStringUtf8());
        Assert.DoesNotContain(Secret, Encoding.Latin1.GetString(encoded.ToByteArray()), StringComparison.Ordinal);
        Assert.Equal(original, Assert.Single(await codec.DecodeAsync([encoded])));
    }

    [Fact]
    public async Task Encode_SamePayloadTwice_UsesFreshNonces()
    {
        var codec = AesGcmPayloadCodec.Parse($"k1={OldKey}");
        var payload = await PayloadOfAsync(Secret);

        var encoded = await codec.EncodeAsync([payload, payload]);

        Assert.NotEqual(encoded.First().Data, encoded.Last().Data);
    }

    [Fact]
    public async Task Rotation_NewKeyFirst_EncryptsWithNewKeyAndStillDecryptsOldPayloads()
    {
        var before = AesGcmPayloadCodec.Parse($"old={OldKey}");
        var written = Assert.Single(await before.EncodeAsync([await PayloadOfAsync(Secret)]));

        // Newline separated, as in a keys file, with a comment: the new key goes on top.
        var after = AesGcmPayloadCodec.Parse($"# rotated\nnew={NewerKey}\nold={OldKey}\n");

        Assert.Equal("new", after.CurrentKeyId);
        Assert.Equal(Secret, await ValueOfAsync(Assert.Single(await after.DecodeAsync([written]))));
        var rewritten = Assert.Single(await after.EncodeAsync([await PayloadOfAsync(Secret)]));
        Assert.Equal("new", rewritten.Metadata[AesGcmPayloadCodec.KeyIdMetadata].ToStringUtf8());
    }

    [Fact]
    public async Task Decode_UnknownKeyId_SaysWhichKeyIsMissing()
    {
        var writer = AesGcmPayloadCodec.Parse($"retired={OldKey}");
        var encoded = await writer.EncodeAsync([await PayloadOfAsync(Secret)]);
        var reader = AesGcmPayloadCodec.Parse($"current={NewerKey}");

        var e = await Assert.ThrowsAsync<PayloadDecryptionException>(() => reader.DecodeAsync(encoded));

        Assert.Contains("\"retired\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("not configured", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decode_SameIdButDifferentKey_FailsInsteadOfReturningGarbage()
    {
        var encoded = await AesGcmPayloadCodec.Parse($"k1={OldKey}").EncodeAsync([await PayloadOfAsync(Secret)]);

        var e = await Assert.ThrowsAsync<PayloadDecryptionException>(() => AesGcmPayloadCodec.Parse($"k1={NewerKey}").DecodeAsync(encoded));

        Assert.Contains("does not decrypt", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)] // the nonce
    [InlineData(20)] // the ciphertext
    [InlineData(-1)] // the tag
    public async Task Decode_TamperedData_IsDetected(int index)
    {
        var codec = AesGcmPayloadCodec.Parse($"k1={OldKey}");
        var encoded = Assert.Single(await codec.EncodeAsync([await PayloadOfAsync(Secret)]));
        var data = encoded.Data.ToByteArray();
        data[index < 0 ? data.Length + index : index] ^= 0x01;
        var tampered = encoded.Clone();
        tampered.Data = ByteString.CopyFrom(data);

        await Assert.ThrowsAsync<PayloadDecryptionException>(() => codec.DecodeAsync([tampered]));
    }

    [Fact]
    public async Task Decode_KeyIdRelabelled_IsDetected()
    {
        // Both keys are configured: only the authenticated key ID stops a payload claiming the other one.
        var codec = AesGcmPayloadCodec.Parse($"a={OldKey},b={OldKey}");
        var encoded = Assert.Single(await codec.EncodeAsync([await PayloadOfAsync(Secret)]));
        var relabelled = encoded.Clone();
        relabelled.Metadata[AesGcmPayloadCodec.KeyIdMetadata] = ByteString.CopyFromUtf8("b");

        await Assert.ThrowsAsync<PayloadDecryptionException>(() => codec.DecodeAsync([relabelled]));
    }

    [Fact]
    public async Task Decode_UnencryptedPayload_PassesThrough()
    {
        // Histories written before encryption was switched on stay readable.
        var plain = await PayloadOfAsync(Secret);

        Assert.Same(plain, Assert.Single(await AesGcmPayloadCodec.Parse($"k1={OldKey}").DecodeAsync([plain])));
    }

    [Fact]
    public async Task Converter_WithCodec_EncryptsFailureMessagesAndStackTraces()
    {
        var converter = PayloadJson.Converter(AesGcmPayloadCodec.Parse($"k1={OldKey}"));
        Exception thrown;
        try
        {
            throw new ApplicationFailureException(Secret, errorType: "InvalidScene");
        }
        catch (ApplicationFailureException e)
        {
            thrown = e;
        }

        var failure = await converter.ToFailureAsync(thrown);

        Assert.DoesNotContain(Secret, Encoding.Latin1.GetString(failure.ToByteArray()), StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(Converter_WithCodec_EncryptsFailureMessagesAndStackTraces), failure.ToString(), StringComparison.Ordinal);
        Assert.True(AesGcmPayloadCodec.IsEncrypted(failure.EncodedAttributes));
        var back = Assert.IsType<ApplicationFailureException>(await converter.ToExceptionAsync(failure));
        Assert.Equal(Secret, back.Message);
        Assert.Equal("InvalidScene", back.ErrorType);
    }

    [Theory]
    [InlineData("", "no encryption key given")]
    [InlineData(" , \n# only a comment\n", "no encryption key given")]
    [InlineData("nokey", "entry 1: want ID=BASE64KEY")]
    [InlineData("\n\n=AAAA", "entry 3: want ID=BASE64KEY")]
    public void Parse_Malformed_NamesTheEntry(string keys, string expected)
    {
        var e = Assert.Throws<FormatException>(() => AesGcmPayloadCodec.Parse(keys));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadKeyMaterial_NamesTheKeyWithoutEchoingIt()
    {
        // 16 bytes (AES-128) and text that is not base64: both wrong, neither may appear in the message.
        var shortKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        foreach (var (bad, id) in new[] { (shortKey, "short"), ("not-base64-material!", "garbled") })
        {
            var e = Assert.Throws<FormatException>(() => AesGcmPayloadCodec.Parse($"good={OldKey},{id}={bad}"));

            Assert.Contains($"\"{id}\" (entry 2)", e.Message, StringComparison.Ordinal);
            Assert.Contains("want 32 bytes in base64", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(bad, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(OldKey, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parse_DuplicateId_IsRefused()
    {
        var e = Assert.Throws<FormatException>(() => AesGcmPayloadCodec.Parse($"k1={OldKey},k1={NewerKey}"));

        Assert.Contains("\"k1\" is listed twice", e.Message, StringComparison.Ordinal);
    }

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(AesGcmPayloadCodec.KeySize));

    private static Task<Payload> PayloadOfAsync(string value) => PayloadJson.Converter().ToPayloadAsync(value);

    private static Task<string> ValueOfAsync(Payload payload) => PayloadJson.Converter().ToValueAsync<string>(payload);
}
