using System.Reflection;
using System.Text.Json;
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

    // A schedule keeps its input as it was written when it was created, by whichever version created it; a property
    // added since is absent, and must read as its default, as a new input has it, never null or zero in its place (the
    // generated reader sets every init-only property, an absent one to null or zero).
    [Theory]
    [InlineData(typeof(ReconcileInput))]
    [InlineData(typeof(PlaysInput))]
    public void ScheduledInput_WithoutItsProperties_ReadsAsItsDefaults(Type type)
    {
        var constructor = type.GetConstructor(Type.EmptyTypes)!;

        var info = PayloadJson.Options.GetTypeInfo(type);
        var expected = JsonSerializer.SerializeToElement(constructor.Invoke(null), info);
        var read = JsonSerializer.SerializeToElement(JsonSerializer.Deserialize("{}", info), info);
        var differ = expected.EnumerateObject()
            .Where(p => p.Value.GetRawText() != read.GetProperty(p.Name).GetRawText())
            .Select(p => $"{p.Name}: {read.GetProperty(p.Name).GetRawText()} instead of {p.Value.GetRawText()}");
        Assert.Empty(differ);
    }

    private static Type Result(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>) ? type.GetGenericArguments()[0] : type;
}
