using System.Text.RegularExpressions;

namespace PlexSync.Clients;

/// <summary>Hides credential values in URLs, query strings, JSON and headers quoted in text.</summary>
public static partial class Redaction
{
    public const string Mask = "REDACTED";

    // Shorter values would mask ordinary words; real tokens and keys are far longer.
    private const int MinSecretLength = 4;

    /// <summary>Replaces the value of every token, api key or password parameter, and any user info in a URL.</summary>
    public static string Redact(string? text) =>
        string.IsNullOrEmpty(text)
            ? ""
            : UserInfo().Replace(Authorization().Replace(SecretParameter().Replace(text, "${1}" + Mask), "${1}" + Mask), "${1}" + Mask + "@");

    /// <summary>
    /// Like <see cref="Redact(string?)"/>, and also replaces each known credential value wherever it
    /// appears (a server may echo a key back in a body we quote).
    /// </summary>
    public static string RedactSecrets(string? text, IReadOnlyCollection<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var result = text ?? "";
        foreach (var secret in secrets.Where(s => s.Length >= MinSecretLength))
        {
            result = result.Replace(secret, Mask, StringComparison.Ordinal);
            var escaped = Uri.EscapeDataString(secret);
            if (escaped != secret)
            {
                result = result.Replace(escaped, Mask, StringComparison.OrdinalIgnoreCase);
            }
        }

        return Redact(result);
    }

    // name=value, name%3Dvalue (a URL inside a query), name: value and "name": "value"; after a colon only a value as
    // long as a credential can be, since "plex.token: is required" is a message, not a token.
    [GeneratedRegex(@"(?i)((?:x-plex-token|apikey|api_key|api-key|token|password|passwd|secret|session)[""']?\s*(?:(?:=|%3D)\s*[""']?|:\s*[""']?(?=[^&\s""',;}]{4})))[^&\s""',;}]+")]
    private static partial Regex SecretParameter();

    [GeneratedRegex(@"(?i)(\bauthorization[""']?\s*[:=]\s*[""']?(?:(?:bearer|basic|token)\s+)?)[^\s""',;&}]+")]
    private static partial Regex Authorization();

    [GeneratedRegex(@"(?i)(\b[a-z][a-z0-9+.-]*://)[^/@\s]+@")]
    private static partial Regex UserInfo();
}
