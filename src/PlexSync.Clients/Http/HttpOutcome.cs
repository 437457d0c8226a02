using System.Globalization;
using System.Net;
using System.Text;

namespace PlexSync.Clients.Http;

/// <summary>
/// Turns an HTTP status into a <see cref="ServiceException"/>: the one place that decides what each
/// outcome means for a retry.
/// </summary>
internal static class HttpOutcome
{
    // Obsolete forms an HTTP/1.1 server may still send (RFC 9110 section 5.6.7): RFC 850 and asctime.
    private static readonly string[] HttpDateFormats =
        ["r", "dddd, dd'-'MMM'-'yy HH':'mm':'ss 'GMT'", "ddd MMM d HH':'mm':'ss yyyy", "ddd MMM dd HH':'mm':'ss yyyy"];

    // A Retry-After beyond a day is a server error, not advice; the retry policy caps waits anyway.
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromDays(1);

    /// <summary>Returns null for a 2xx status, else the classified failure.</summary>
    public static ServiceException? Check(string service, string operation, int status, string? retryAfter, string authHint, DateTimeOffset now)
    {
        if (status is >= 200 and < 300)
        {
            return null;
        }

        var text = StatusText(status);
        return status switch
        {
            429 => RateLimited(service, operation, ParseRetryAfter(retryAfter, now)),
            401 or 403 => new ServiceException(service, operation, FailureKind.Auth, status, $"{text}: {authHint}"),
            404 => new ServiceException(service, operation, FailureKind.NotFound, status, text),
            409 => new ServiceException(service, operation, FailureKind.Conflict, status, $"{text}: the item changed meanwhile; read again and retry"),
            400 or 422 => new ServiceException(service, operation, FailureKind.Rejected, status, text),
            >= 500 or 408 => new ServiceException(service, operation, FailureKind.Transient, status, text),
            _ => new ServiceException(service, operation, FailureKind.Rejected, status, text),
        };
    }

    /// <summary>
    /// Reads Retry-After as delay-seconds or an HTTP-date. Missing, unreadable, negative or past
    /// values give zero, which leaves the wait to the retry policy.
    /// </summary>
    public static TimeSpan ParseRetryAfter(string? value, DateTimeOffset now)
    {
        var text = value?.Trim() ?? "";
        if (text.Length == 0)
        {
            return TimeSpan.Zero;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds <= 0 ? TimeSpan.Zero : Cap(TimeSpan.FromSeconds(Math.Min(seconds, (long)MaxRetryAfter.TotalSeconds)));
        }

        if (DateTimeOffset.TryParseExact(text, HttpDateFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out var date))
        {
            return Cap(date - now);
        }

        return TimeSpan.Zero;
    }

    /// <summary>Names a status the way RFC 9110 does ("Service Unavailable"), without trusting the server's reason phrase.</summary>
    public static string StatusText(int status)
    {
        var code = (HttpStatusCode)status;
        if (!Enum.IsDefined(code))
        {
            return $"status {status}";
        }

        var name = code.ToString();
        var sb = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && sb.Length > 0)
            {
                sb.Append(' ');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static ServiceException RateLimited(string service, string operation, TimeSpan wait) =>
        new(service, operation, FailureKind.RateLimited, 429,
            $"rate limited; retry after {wait.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s", wait);

    private static TimeSpan Cap(TimeSpan wait) =>
        wait <= TimeSpan.Zero ? TimeSpan.Zero : wait > MaxRetryAfter ? MaxRetryAfter : wait;
}
