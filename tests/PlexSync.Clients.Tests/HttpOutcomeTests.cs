using System.Globalization;
using PlexSync.Clients.Http;

namespace PlexSync.Clients.Tests;

public class HttpOutcomeTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Theory]
    [InlineData(200, null, null, 0)]
    [InlineData(204, null, null, 0)]
    [InlineData(500, null, FailureKind.Transient, 0)]
    [InlineData(502, null, FailureKind.Transient, 0)]
    [InlineData(503, null, FailureKind.Transient, 0)]
    [InlineData(408, null, FailureKind.Transient, 0)]
    [InlineData(429, "2", FailureKind.RateLimited, 2)]
    [InlineData(429, "Fri, 02 Jan 2026 03:05:35 GMT", FailureKind.RateLimited, 90)]
    [InlineData(429, "soon", FailureKind.RateLimited, 0)]
    [InlineData(429, null, FailureKind.RateLimited, 0)]
    [InlineData(401, null, FailureKind.Auth, 0)]
    [InlineData(403, null, FailureKind.Auth, 0)]
    [InlineData(400, null, FailureKind.Rejected, 0)]
    [InlineData(422, null, FailureKind.Rejected, 0)]
    [InlineData(404, null, FailureKind.NotFound, 0)]
    [InlineData(302, null, FailureKind.Rejected, 0)]
    [InlineData(409, null, FailureKind.Conflict, 0)]
    public void Check_ClassifiesEveryStatus(int status, string? retryAfter, FailureKind? kind, int waitSeconds)
    {
        var failure = HttpOutcome.Check("plex", "GET /library/sections", status, retryAfter, "check plex.token", Now);

        Assert.Equal(kind, failure?.Kind);
        Assert.Equal(TimeSpan.FromSeconds(waitSeconds), failure?.RetryAfter ?? TimeSpan.Zero);
        if (failure is not null)
        {
            Assert.Equal(status, failure.Status);
            Assert.StartsWith($"plex: GET /library/sections: HTTP {status}: ", failure.Message);
        }
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public void Check_AuthFailure_CarriesTheHint(int status)
    {
        var failure = HttpOutcome.Check("plex", "GET /x", status, null, PlexClient.AuthHint, Now);

        Assert.Contains("set plex.token (or PLEXSYNC_PLEX_TOKEN)", failure!.Message);
        Assert.Equal(TimeSpan.Zero, failure.RetryAfter);
    }

    [Theory]
    [InlineData("120", 120)]
    [InlineData(" 7 ", 7)]
    [InlineData("0", 0)]
    [InlineData("-5", 0)]
    [InlineData("", 0)]
    [InlineData("1.5", 0)]
    [InlineData("garbage", 0)]
    [InlineData("Fri, 02 Jan 2026 03:04:35 GMT", 30)]
    [InlineData("Friday, 02-Jan-26 03:04:35 GMT", 30)]
    [InlineData("Fri Jan  2 03:04:35 2026", 30)]
    [InlineData("Thu, 01 Jan 2026 03:04:05 GMT", 0)]
    [InlineData("99999999999999", 86400)]
    public void ParseRetryAfter_ReadsSecondsAndHttpDates(string value, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), HttpOutcome.ParseRetryAfter(value, Now));
    }

    [Fact]
    public void ParseRetryAfter_DateFromRfc1123Formatter_RoundTrips()
    {
        var header = Now.AddSeconds(90).ToString("r", CultureInfo.InvariantCulture);

        Assert.Equal(TimeSpan.FromSeconds(90), HttpOutcome.ParseRetryAfter(header, Now));
    }

    [Fact]
    public void StatusText_NamesStatusesLikeTheRfc()
    {
        Assert.Equal("Service Unavailable", HttpOutcome.StatusText(503));
        Assert.Equal("status 599", HttpOutcome.StatusText(599));
    }
}
