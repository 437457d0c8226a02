using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PlexSync.Clients.Http;

/// <summary>A JSON value that cannot mean what the field holds; its message says why, in the reader's terms.</summary>
internal sealed class LenientValueException(string message) : JsonException(message);

/// <summary>
/// Reads a boolean sent as true/false, 1/0, "1"/"0" or "true"/"false": Plex's JSON types differ
/// across endpoints and versions (python-plexapi utils.cast accepts the same set). Null is false.
/// </summary>
internal sealed class LenientBoolConverter : JsonConverter<bool>
{
    public override bool HandleNull => true;

    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False or JsonTokenType.Null => false,
            JsonTokenType.Number when reader.TryGetInt64(out var n) && n is 0 or 1 => n == 1,
            JsonTokenType.String => FromText(reader.GetString() ?? ""),
            _ => throw new LenientValueException($"{LenientText.Show(ref reader)} is not a boolean"),
        };

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);

    private static bool FromText(string text) => text.Trim().ToUpperInvariant() switch
    {
        "1" or "TRUE" => true,
        "0" or "FALSE" or "" => false,
        _ => throw new LenientValueException($"\"{LenientText.Clip(text)}\" is not a boolean"),
    };
}

/// <summary>Reads a number sent as a JSON number or a numeric string; null or "" is no value.</summary>
internal sealed class LenientDoubleConverter : JsonConverter<double?>
{
    public override double? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                return reader.GetDouble();
            case JsonTokenType.String:
                var text = reader.GetString()?.Trim() ?? "";
                if (text.Length == 0)
                {
                    return null;
                }

                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
                {
                    return value;
                }

                throw new LenientValueException($"\"{LenientText.Clip(text)}\" is not a number");
            default:
                throw new LenientValueException($"{LenientText.Show(ref reader)} is not a number");
        }
    }

    public override void Write(Utf8JsonWriter writer, double? value, JsonSerializerOptions options)
    {
        if (value is { } v)
        {
            writer.WriteNumberValue(v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

/// <summary>Reads a whole number sent as a JSON number or a numeric string; null or "" is no value.</summary>
internal sealed class LenientIntConverter : JsonConverter<int?>
{
    public override int? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var n))
        {
            return n;
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var text = reader.TokenType == JsonTokenType.String ? reader.GetString()?.Trim() ?? "" : null;
        if (text is { Length: 0 })
        {
            return null;
        }

        if (text is not null && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        throw new LenientValueException($"{(text is null ? LenientText.Show(ref reader) : $"\"{LenientText.Clip(text)}\"")} is not a whole number");
    }

    public override void Write(Utf8JsonWriter writer, int? value, JsonSerializerOptions options)
    {
        if (value is { } v)
        {
            writer.WriteNumberValue(v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

/// <summary>Reads an id sent as a string or a number (Plex sends ratingKey and librarySectionID either way).</summary>
internal sealed class LenientIdConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number => LenientText.Raw(ref reader),
            _ => throw new LenientValueException($"{LenientText.Show(ref reader)} is not an id"),
        };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

internal static class LenientText
{
    private const int MaxShown = 40;

    /// <summary>Shows the offending value briefly: a token kind for containers, the text for scalars.</summary>
    public static string Show(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => $"\"{Clip(reader.GetString() ?? "")}\"",
        _ => Clip(Raw(ref reader)),
    };

    public static string Raw(ref Utf8JsonReader reader) =>
        System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);

    public static string Clip(string text) => text.Length <= MaxShown ? text : text[..MaxShown] + "...";
}
