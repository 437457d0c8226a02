using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace PlexSync.Configuration;

/// <summary>Reads and writes <see cref="TimeSpan"/> in Go's duration syntax ("30s", "5m", "1h30m").</summary>
internal sealed class GoDurationYamlConverter : IYamlTypeConverter
{
    public bool Accepts(Type type) => type == typeof(TimeSpan);

    public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer)
    {
        ArgumentNullException.ThrowIfNull(parser);
        var scalar = ConfigYaml.ExpectScalar(parser, "a duration");
        return GoDuration.TryParse(scalar.Value, out var duration)
            ? duration
            : throw new ConfigValueException(scalar, $"\"{scalar.Value}\" is not a duration ({GoDuration.Examples})");
    }

    public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(emitter);
        emitter.Emit(new Scalar(GoDuration.Format(value is TimeSpan d ? d : TimeSpan.Zero)));
    }
}

/// <summary>Reads a <see cref="Secret"/> from a scalar and writes it as <c>[redacted]</c>.</summary>
internal sealed class SecretYamlConverter : IYamlTypeConverter
{
    public bool Accepts(Type type) => type == typeof(Secret);

    public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer)
    {
        ArgumentNullException.ThrowIfNull(parser);
        return new Secret(ConfigYaml.ExpectScalar(parser, "a string").Value);
    }

    public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(emitter);
        emitter.Emit(new Scalar(Secret.Redacted));
    }
}
