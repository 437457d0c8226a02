using Temporalio.Exceptions;

namespace PlexSync.Operations;

/// <summary>The error type and message of a failed sync that an operator can act on.</summary>
internal sealed record FailureCause(string ErrorType, string Message)
{
    /// <summary>The type of a failure that carries no application failure and is no Temporal failure either.</summary>
    public const string UnknownType = "Error";

    /// <summary>
    /// The root cause of a failure: the deepest application failure in its cause chain. A sync fails with
    /// its activity's type, wrapping the activity failure, which wraps the last attempt's application
    /// failure (a timeout or retry exhaustion wraps it once more); the deepest one is what happened.
    /// A run stopped from outside (terminated, timed out, cancelled) has no application failure: that
    /// stop is the cause.
    /// </summary>
    public static FailureCause Of(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ApplicationFailureException? root = null;
        for (Exception? e = failure; e is not null; e = e.InnerException)
        {
            if (e is ApplicationFailureException app)
            {
                root = app;
            }
        }

        if (root is not null)
        {
            return new(string.IsNullOrEmpty(root.ErrorType) ? UnknownType : root.ErrorType, root.Message);
        }

        var first = failure is WorkflowFailedException { InnerException: { } inner } ? inner : failure;
        return first switch
        {
            TerminatedFailureException => new("Terminated", Describe("the run was terminated", first.Message)),
            TimeoutFailureException => new("TimedOut", Describe("the run timed out", first.Message)),
            CanceledFailureException => new("Canceled", Describe("the run was cancelled", first.Message)),
            _ => new(UnknownType, first.Message),
        };
    }

    private static string Describe(string what, string message) =>
        string.IsNullOrWhiteSpace(message) ? what : $"{what}: {message}";
}
