using System.Text.Json;
using PlexSync.Configuration;

namespace PlexSync.Tests.Configuration;

public sealed class SecretTests
{
    private const string SecretText = "sup3r-s3cret";

    [Fact]
    public void RevealsOnlyOnRequest()
    {
        var secret = new Secret(SecretText);

        Assert.Equal(SecretText, secret.Reveal());
        Assert.Equal("[redacted]", secret.ToString());
        Assert.Equal("[redacted]", $"{secret}");
        Assert.Equal(new Secret(""), default);
    }

    [Fact]
    public void NeverPrintsInAConfigDump()
    {
        var c = WithSecrets();

        var dump = string.Join('\n',
            JsonSerializer.Serialize(c),
            JsonSerializer.Serialize(c.Plex.Token),
            new YamlDotNet.Serialization.Serializer().Serialize(c), // a reflection-based YAML dump
            c.Stash.ToString(), c.Plex.Token.ToString(), c.ToStashClientOptions().ToString(), c.ToPlexClientOptions().ToString());

        Assert.DoesNotContain(SecretText, dump, StringComparison.Ordinal);
        Assert.Contains("\"Token\":\"[redacted]\"", dump, StringComparison.Ordinal);
    }

    [Fact]
    public void IsNotReadFromJson() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Secret>("\"[redacted]\""));

    private static PlexSyncConfig WithSecrets()
    {
        var c = new PlexSyncConfig();
        c.Plex.Token = new Secret(SecretText);
        c.Stash.ApiKey = new Secret(SecretText);
        c.Encryption.Keys = new Secret(SecretText);
        return c;
    }
}
