using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace PlexSync.Simulators;

/// <summary>
/// Renders a MediaContainer as Plex does: XML by default, JSON with Accept: application/json, and optionally
/// with the loose JSON types third-party clients report (booleans as 1 or "1", numbers as strings).
/// </summary>
internal static class PlexAnswerWriter
{
    public static (string Body, string ContentType) Render(JsonObject container, bool json, bool lenient)
    {
        if (!json)
        {
            // Plex's JSON is a rendering of its XML: scalars are attributes, arrays are repeated child elements.
            var xml = new XDocument(new XDeclaration("1.0", "UTF-8", null), ToXml("MediaContainer", container));
            return (xml.Declaration + "\n" + xml.Root, "text/xml;charset=utf-8");
        }

        JsonNode root = new JsonObject { ["MediaContainer"] = lenient ? Loosen(container, null) : container.DeepClone() };
        return (root.ToJsonString(), "application/json");
    }

    private static XElement ToXml(string name, JsonObject node)
    {
        var element = new XElement(name);
        foreach (var (key, value) in node)
        {
            switch (value)
            {
                case JsonArray array:
                    element.Add(array.OfType<JsonObject>().Select(o => ToXml(key, o)));
                    break;
                case JsonObject child:
                    element.Add(ToXml(key, child));
                    break;
                case JsonValue scalar:
                    element.SetAttributeValue(key, XmlScalar(scalar));
                    break;
                default:
                    break;
            }
        }

        return element;
    }

    private static string XmlScalar(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.True => "1",
        JsonValueKind.False => "0",
        JsonValueKind.String => value.GetValue<string>(),
        _ => value.ToJsonString(),
    };

    private static JsonNode? Loosen(JsonNode? node, string? key) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Loosen(p.Value, p.Key)))),
        JsonArray array => new JsonArray(array.Select(n => Loosen(n, key)).ToArray()),
        JsonValue value => LoosenValue(value, key),
        _ => null,
    };

    private static JsonNode LoosenValue(JsonValue value, string? key) => value.GetValueKind() switch
    {
        // "locked" as the string "1", other booleans as the numbers 1 and 0.
        JsonValueKind.True => key == "locked" ? JsonValue.Create("1") : JsonValue.Create(1),
        JsonValueKind.False => key == "locked" ? JsonValue.Create("0") : JsonValue.Create(0),
        JsonValueKind.Number => JsonValue.Create(value.ToJsonString()),
        _ => value.DeepClone(),
    };
}
