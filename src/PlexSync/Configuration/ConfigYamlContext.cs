using System.Diagnostics.CodeAnalysis;
using YamlDotNet.Serialization;

namespace PlexSync.Configuration;

/// <summary>
/// The configuration's types, read without reflection: the generator writes their readers at build time (and
/// declares the class public). <see cref="Secret"/> and durations are read by our converters.
/// </summary>
[YamlStaticContext]
[YamlSerializable(typeof(PlexSyncConfig))]
[YamlSerializable(typeof(StashConfig))]
[YamlSerializable(typeof(PlexConfig))]
[YamlSerializable(typeof(PathMappingConfig))]
[YamlSerializable(typeof(FieldsConfig))]
[YamlSerializable(typeof(TemporalConfig))]
[YamlSerializable(typeof(RetryConfig))]
[YamlSerializable(typeof(ReconcileConfig))]
[YamlSerializable(typeof(PlaysConfig))]
[YamlSerializable(typeof(EncryptionConfig))]
[YamlSerializable(typeof(LogConfig))]
[YamlSerializable(typeof(MetricsConfig))]
[YamlSerializable(typeof(Secret))]
[SuppressMessage("Maintainability", "CA1515", Justification = "YamlDotNet's generator declares its part of the context public")]
public sealed partial class ConfigYamlContext : StaticContext;
