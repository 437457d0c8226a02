using System.Net;
using System.Text;

namespace PlexSync.Clients.Tests;

/// <summary>An HttpMessageHandler that answers from a function and remembers each request's URI and headers.</summary>
internal sealed class StubHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
{
    public List<HttpRequestMessage> Requests { get; } = [];

    public List<string> Bodies { get; } = [];

    public static StubHandler Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new((_, _) => Task.FromResult(Answer(status, json, "application/json")));

    public static StubHandler Status(HttpStatusCode status, string? retryAfter = null) =>
        new((_, _) =>
        {
            var response = Answer(status, "<html>error</html>", "text/html");
            if (retryAfter is not null)
            {
                response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
            }

            return Task.FromResult(response);
        });

    public static HttpResponseMessage Answer(HttpStatusCode status, string body, string contentType) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, contentType) };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        Bodies.Add(request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken));
        return await answer(request, cancellationToken);
    }
}

internal static class Clients
{
    public const string Token = "plex-test-token-0123";
    public const string ApiKey = "stash-test-key-4567";

    public static PlexClient Plex(HttpMessageHandler handler, TimeSpan? timeout = null) =>
        PlexClient.Create(new PlexClientOptions { Url = new Uri("http://plex.test:32400"), Token = Token, Timeout = timeout ?? TimeSpan.FromSeconds(5) }, handler);

    public static StashClient Stash(HttpMessageHandler handler) =>
        StashClient.Create(new StashClientOptions { Url = new Uri("http://stash.test:9999"), ApiKey = ApiKey }, handler);
}
