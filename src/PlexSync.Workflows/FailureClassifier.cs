using PlexSync.Clients;
using PlexSync.Domain;
using Temporalio.Exceptions;

namespace PlexSync.Workflows;

/// <summary>
/// Turns an exception into a Temporal application failure with the type, retryability and next delay
/// its class calls for. It is the only place where errors meet retry behaviour.
/// </summary>
internal static class FailureClassifier
{
    /// <summary>Classifies <paramref name="error"/>; returns null for an exception that is not ours to classify (e.g. cancellation).</summary>
    public static ApplicationFailureException? Classify(Exception error, ActivityPolicy policy, int attempt)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(policy);
        return error switch
        {
            SceneValidationException or UnsafePathException => Final(error, ErrorTypes.InvalidScene),
            AmbiguousMatchException => Final(error, ErrorTypes.AmbiguousMatch),
            NotInPlexException => Retry(error, ErrorTypes.NotInPlexYet, policy.SlowBackoff.HalfJitter(attempt)),
            PlexItemGoneException => Final(error, ErrorTypes.PlexItemGone),
            ConfigMismatchException => Final(error, ErrorTypes.ConfigError),
            ServiceException service => FromService(service, policy, attempt),
            _ => null,
        };
    }

    private static ApplicationFailureException FromService(ServiceException error, ActivityPolicy policy, int attempt) => error.Kind switch
    {
        FailureKind.RateLimited => Retry(
            error, ErrorTypes.RateLimited, error.RetryAfter > TimeSpan.Zero ? error.RetryAfter : policy.Backoff.FloorJitter(attempt)),

        // Up to a second of jitter on top, so that the waiting syncs do not all come back at once.
        FailureKind.CircuitOpen => Retry(
            error, ErrorTypes.PlexCircuitOpen, error.RetryAfter + new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)).FullJitter(1)),
        FailureKind.Auth => Final(error, ErrorTypes.AuthFailed),
        FailureKind.Rejected => Final(error, ErrorTypes.Rejected),
        FailureKind.WrongUrl => Final(error, ErrorTypes.ConfigError),

        // A sustained 500 is Plex failing this very request: it surfaces after a few attempts
        // instead of retrying for a day like an outage.
        FailureKind.Transient when error.Status == 500 && attempt >= policy.ServerErrorAttempts => new ApplicationFailureException(
            $"{error.Message} (on {attempt} attempts in a row; giving up: the server's log says why)", ErrorTypes.Unavailable, nonRetryable: true),

        // Conflict (409) and NotFound on an item's path retry too: the next attempt reads the item
        // again, and finds the change, or finds it gone (PlexItemGone).
        _ => Retry(error, ErrorTypes.Unavailable, policy.Backoff.FloorJitter(attempt)),
    };

    // The message is already free of credentials: every client message passes through redaction.
    private static ApplicationFailureException Final(Exception error, string type) =>
        new(error.Message, type, nonRetryable: true);

    private static ApplicationFailureException Retry(Exception error, string type, TimeSpan next) =>
        new(error.Message, type, nonRetryable: false, nextRetryDelay: next);
}
