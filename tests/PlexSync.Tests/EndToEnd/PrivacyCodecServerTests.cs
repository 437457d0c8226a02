using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using PlexSync.Configuration;
using PlexSync.Hosting;
using PlexSync.Workflows;
using PlexSync.Workflows.Encryption;
using Temporalio.Api.Common.V1;
using Temporalio.Converters;

namespace PlexSync.Tests.EndToEnd;

/// <summary>
/// The codec server over real HTTP, in the JSON shape the Temporal Web UI sends (Temporalio 1.21.1 has no
/// remote-codec client, so HttpClient plays the UI), with payloads the real codec wrote.
/// </summary>
public sealed class PrivacyCodecServerTests : IAsyncLifetime
{
    private const string Origin = "http://localhost:8233";
    private const string Token = "codec-token-3b9e";
    private const string Title = "Private title 7c1d";

    private readonly AesGcmPayloadCodec codec = AesGcmPayloadCodec.Parse($"k1={Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}");
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private CodecServer? server;

    private Uri Address => server?.Address ?? throw new InvalidOperationException("not started");

    public Task InitializeAsync()
    {
        server = CodecServer.Start(codec, new ListenAddress("127.0.0.1", LocalPorts.Free()), [Origin], Token);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        server?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task DecodeAndEncode_WithToken_RoundTripThroughTheRealCodec()
    {
        var plain = await PayloadJson.Converter().ToPayloadAsync(Title);
        var encrypted = await codec.EncodeAsync([plain]);

        var (status, decoded) = await PostAsync("decode", encrypted, Token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(plain, Assert.Single(decoded!.Payloads_));

        (status, var encoded) = await PostAsync("encode", [plain], Token);
        Assert.Equal(HttpStatusCode.OK, status);
        var payload = Assert.Single(encoded!.Payloads_);
        Assert.True(AesGcmPayloadCodec.IsEncrypted(payload));
        Assert.Equal(plain, Assert.Single(await codec.DecodeAsync([payload])));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    public async Task Decode_WithoutTheToken_IsUnauthorized(string? token)
    {
        var (status, _) = await PostAsync("decode", await codec.EncodeAsync([await PayloadJson.Converter().ToPayloadAsync(Title)]), token);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task Preflight_ListedOriginAllowed_OtherOriginNot()
    {
        using var listed = await PreflightAsync(Origin);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal(Origin, Assert.Single(listed.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("Authorization", Assert.Single(listed.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.Ordinal);
        Assert.Contains("POST", Assert.Single(listed.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);

        using var other = await PreflightAsync("http://evil.example");
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Decode_UnknownKeyOrNotJson_AnswersBadRequestWithoutPayloadData()
    {
        var foreign = AesGcmPayloadCodec.Parse($"retired={Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}");
        var (status, _) = await PostAsync("decode", await foreign.EncodeAsync([await PayloadJson.Converter().ToPayloadAsync(Title)]), Token);
        Assert.Equal(HttpStatusCode.BadRequest, status);

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Address, "decode"))
        {
            Content = new StringContent($"not json {Title}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(Title, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, Payloads? Body)> PostAsync(string path, IEnumerable<Payload> payloads, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Address, path))
        {
            Content = new StringContent(JsonFormatter.Default.Format(new Payloads { Payloads_ = { payloads } }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Namespace", "default");
        request.Headers.Add("Origin", Origin);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? (response.StatusCode, JsonParser.Default.Parse<Payloads>(body)) : (response.StatusCode, null);
    }

    private async Task<HttpResponseMessage> PreflightAsync(string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, new Uri(Address, "decode"));
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,x-namespace,authorization");
        return await Http.SendAsync(request);
    }
}
