using Temporalio.Activities;
using Temporalio.Worker;
using Temporalio.Worker.Interceptors;

namespace PlexSync.Workflows;

/// <summary>
/// Classifies the failure of every activity of a worker, with <see cref="FailureClassifier"/> and the activity's
/// policy in <see cref="ActivityPolicies"/>: activities throw what happened, and only this meets retry behaviour.
/// </summary>
public sealed class ActivityFailureInterceptor(RetryTuning tuning) : IWorkerInterceptor
{
    private readonly IReadOnlyDictionary<string, ActivityPolicy> policies = ActivityPolicies.For(tuning);

    /// <summary>
    /// Adds the classifier to <paramref name="options"/> after the interceptors it has: innermost, next to the
    /// activity, so that the others see classified failures.
    /// </summary>
    public static TemporalWorkerOptions AddTo(TemporalWorkerOptions options, RetryTuning tuning)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Interceptors = [.. options.Interceptors ?? [], new ActivityFailureInterceptor(tuning)];
        return options;
    }

    public ActivityInboundInterceptor InterceptActivity(ActivityInboundInterceptor nextInterceptor) => new Inbound(nextInterceptor, policies);

    private sealed class Inbound(ActivityInboundInterceptor next, IReadOnlyDictionary<string, ActivityPolicy> policies) : ActivityInboundInterceptor(next)
    {
        public override async Task<object?> ExecuteActivityAsync(ExecuteActivityInput input)
        {
            try
            {
                return await base.ExecuteActivityAsync(input);
            }
            catch (Exception e) when (Classify(e) is { } failure)
            {
                throw failure;
            }
        }

        // Null for what is not ours to classify (a cancellation), which passes unchanged.
        private Temporalio.Exceptions.ApplicationFailureException? Classify(Exception error)
        {
            var info = ActivityExecutionContext.Current.Info;
            return policies.TryGetValue(info.ActivityType, out var policy) ? FailureClassifier.Classify(error, policy, info.Attempt) : null;
        }
    }
}
