using System.Text.Json;
using System.Text.Json.Serialization;

namespace PlexSync.Configuration;

/// <summary>
/// A credential. It prints and serialises as <c>[redacted]</c> so that a config dump, a log line or an
/// exception cannot leak it; <see cref="Reveal"/> is the one way to read it.
/// </summary>
[JsonConverter(typeof(SecretJsonConverter))]
internal readonly record struct Secret
{
    public const string Redacted = "[redacted]";

    // A field, not a property: serialisers that walk public members must not find the value.
    private readonly string? value;

    public Secret(string? value) => this.value = value;

    public bool IsEmpty => string.IsNullOrEmpty(value);

    /// <summary>Returns the secret for use in a request header; never log the result.</summary>
    public string Reveal() => value ?? "";

    public override string ToString() => Redacted;

    // default(Secret) and new Secret("") are the same "no secret".
    public bool Equals(Secret other) => string.Equals(Reveal(), other.Reveal(), StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Reveal());
}

/// <summary>Writes a <see cref="Secret"/> as <c>[redacted]</c> and refuses to read one from JSON.</summary>
internal sealed class SecretJsonConverter : JsonConverter<Secret>
{
    // Reading would turn a dumped "[redacted]" into a credential; secrets come from YAML, env or files.
    public override Secret Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new JsonException("secrets are not read from JSON");

    public override void Write(Utf8JsonWriter writer, Secret value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(Secret.Redacted);
    }
}
