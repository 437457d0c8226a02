using System.Reflection;
using Temporalio.Activities;
using Temporalio.Workflows;

namespace PlexSync.Workflows.Tests;

/// <summary>Every payload has source-generated JSON metadata: the converter has no reflection to fall back on.</summary>
public sealed class PayloadJsonTests
{
    public static TheoryData<Type> PayloadTypes()
    {
        var handlers = typeof(SceneSyncWorkflow).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.IsDefined(typeof(ActivityAttribute)) || m.IsDefined(typeof(WorkflowRunAttribute))
                || m.IsDefined(typeof(WorkflowSignalAttribute)) || m.IsDefined(typeof(WorkflowQueryAttribute)))
            .ToList();
        Assert.NotEmpty(handlers);
        var types = handlers.SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(Result(m.ReturnType)))
            .Where(t => t != typeof(void) && t != typeof(Task))
            .Distinct();
        return [.. types];
    }

    [Theory]
    [MemberData(nameof(PayloadTypes))]
    public void Payload_HasGeneratedMetadata(Type type) => Assert.NotNull(PayloadJson.Options.GetTypeInfo(type));

    private static Type Result(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>) ? type.GetGenericArguments()[0] : type;
}
