namespace PlexSync.Clients.Tests;

public class RedactionTests
{
    [Fact]
    public void Redact_HidesQueryParametersAndKeepsTheRest()
    {
        var output = Redaction.Redact("""Get "http://plex:32400/library?X-Plex-Token=abc123&x=1": apikey=k3y token=t0k""");

        Assert.DoesNotContain("abc123", output);
        Assert.DoesNotContain("k3y", output);
        Assert.DoesNotContain("t0k", output);
        Assert.Contains("x=1", output);
    }

    [Theory]
    [InlineData("""{"apikey":"s3cr3tvalue"}""")]
    [InlineData("""{"ApiKey": "s3cr3tvalue", "x": 1}""")]
    [InlineData("ApiKey: s3cr3tvalue")]
    [InlineData("X-Plex-Token: s3cr3tvalue")]
    [InlineData("url=http%3A%2F%2Fh%2Fx%3Fapikey%3Ds3cr3tvalue")]
    [InlineData("Cookie: session=s3cr3tvalue")]
    [InlineData("Authorization: Bearer s3cr3tvalue")]
    [InlineData("password='s3cr3tvalue'")]
    [InlineData("http://user:s3cr3tvalue@stash:9999/graphql")]
    public void Redact_HidesCredentialsInEveryQuotedForm(string text)
    {
        var output = Redaction.Redact(text);

        Assert.DoesNotContain("s3cr3tvalue", output);
        Assert.Contains(Redaction.Mask, output);
    }

    // A message that names a credential's key keeps its words: values that short are no credential.
    [Theory]
    [InlineData("config: plex.token: is required; set it, plex.token_file or PLEXSYNC_PLEX_TOKEN")]
    [InlineData("stash.api_key: not set")]
    public void Redact_KeepsMessagesAboutCredentials(string text) => Assert.Equal(text, Redaction.Redact(text));

    [Fact]
    public void RedactSecrets_HidesKnownValuesWhereverTheyAppear()
    {
        var output = Redaction.RedactSecrets("echo: my key is k/e y+1 or k%2Fe%20y%2B1", ["k/e y+1"]);

        Assert.DoesNotContain("k/e y+1", output);
        Assert.DoesNotContain("k%2Fe%20y%2B1", output);
    }

    [Fact]
    public void RedactSecrets_IgnoresEmptyAndTinyValues()
    {
        Assert.Equal("a plain text", Redaction.RedactSecrets("a plain text", ["", "a"]));
    }

    [Fact]
    public void OptionsToString_ShowsNoCredential()
    {
        var plex = new PlexClientOptions { Url = new Uri("http://plex:32400"), Token = "tok-123456" };
        var stash = new StashClientOptions { Url = new Uri("http://stash:9999"), ApiKey = "key-123456", SessionCookieValue = "cookie-123456" };

        Assert.DoesNotContain("tok-123456", plex.ToString());
        Assert.DoesNotContain("key-123456", stash.ToString());
        Assert.DoesNotContain("cookie-123456", stash.ToString());
    }
}
