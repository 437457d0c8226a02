using System.Text.RegularExpressions;
using PlexSync.Clients;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace PlexSync.Configuration;

/// <summary>Reads and writes the configuration file's YAML.</summary>
internal static partial class ConfigYaml
{
    private static readonly IDeserializer Deserializer = new StaticDeserializerBuilder(new ConfigYamlContext())
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .WithTypeConverter(new GoDurationYamlConverter())
        .WithTypeConverter(new SecretYamlConverter())
        .WithDuplicateKeyChecking()
        .Build(); // strict: no IgnoreUnmatchedProperties, so a misspelt key is an error, not a silent default

    /// <summary>
    /// Applies YAML text on top of the defaults. An empty document gives the defaults. Errors name the
    /// key and line; <paramref name="source"/> (the file name) starts their message.
    /// </summary>
    public static PlexSyncConfig Parse(string yaml, string source)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        using var reader = new StringReader(yaml);
        var parser = new KeyTrackingParser(new Parser(reader));
        try
        {
            return Normalise(Deserializer.Deserialize<PlexSyncConfig?>(parser) ?? new PlexSyncConfig());
        }
        catch (YamlException e)
        {
            throw new ConfigException(Describe(e, parser.KeyPath, source));
        }
        catch (InvalidCastException)
        {
            // The generated reader returns a document that is a single value as it is.
            throw new ConfigException($"config {source}: expected a mapping of keys (key: value lines), not a single value");
        }
    }

    internal static Scalar ExpectScalar(IParser parser, string what)
    {
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            return scalar;
        }

        throw new ConfigValueException(parser.Current!, $"expected {what}, not a list or mapping");
    }

    // A null list item (a bare "-") reads as an empty one: validation and the sync never meet a null.
    private static PlexSyncConfig Normalise(PlexSyncConfig c)
    {
        c.Plex.Sections = [.. c.Plex.Sections.Select(s => s ?? "")];
        c.CollectionSources = [.. c.CollectionSources.Select(s => s ?? "")];
        c.PathMappings = [.. c.PathMappings.Select(m => m ?? new PathMappingConfig())];
        return c;
    }

    private static string Describe(YamlException e, string keyPath, string source)
    {
        var innermost = Innermost(e);
        var reason = innermost switch
        {
            ConfigValueException v => v.Reason,
            _ when innermost.Message.Contains("not found on type", StringComparison.Ordinal) =>
                "unknown key; check its spelling (plexsync.example.yaml lists every key)",
            _ when ShapeMismatch().Match(innermost.Message) is { Success: true } m =>
                $"expected {Shape(m.Groups[1].Value)}, not {Shape(m.Groups[2].Value)}",
            _ when innermost.Message.StartsWith("No node deserializer", StringComparison.Ordinal) =>
                "expected a mapping of keys, not a list or a single value",
            FormatException => "the value is not of the right kind (a number, or true/false)",
            _ => MarkPrefix().Replace(innermost.Message, ""),
        };
        var where = keyPath.Length == 0 ? $"line {e.Start.Line}" : $"{keyPath} (line {e.Start.Line})";
        // YAML's own messages quote the text they stumbled on, which can be a URL with a password in it.
        return Redaction.Redact($"config {source}: {where}: {reason}");
    }

    private static string Shape(string yamlEvent) => yamlEvent switch
    {
        "SequenceStart" => "a list",
        "MappingStart" => "a mapping of keys",
        _ => "a single value",
    };

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    [GeneratedRegex(@"Expected '(\w+)', got '(\w+)'")]
    private static partial Regex ShapeMismatch();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarkPrefix();
}
