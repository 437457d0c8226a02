using Temporalio.Exceptions;

namespace PlexSync.Workflows;

/// <summary>How our workflows fail when an activity does.</summary>
public static class WorkflowFailures
{
    /// <summary>
    /// The failure a workflow fails with when <paramref name="error"/> ends it: the activity's own error type
    /// and message, so that the Web UI and `plexsync failed` show what happened rather than "activity task
    /// failed"; null when the chain holds no application failure (a cancellation, say).
    /// </summary>
    public static ApplicationFailureException? FromActivity(ActivityFailureException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return ApplicationCause(error) is { } cause
            ? new ApplicationFailureException(cause.Message, error, cause.ErrorType, nonRetryable: true)
            : null;
    }

    /// <summary>The first application failure in the chain: a timeout or retry exhaustion wraps the last attempt's.</summary>
    public static ApplicationFailureException? ApplicationCause(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is ApplicationFailureException application)
            {
                return application;
            }
        }

        return null;
    }
}
