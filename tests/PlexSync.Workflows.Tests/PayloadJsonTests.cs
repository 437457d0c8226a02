using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Temporalio.Activities;
using Temporalio.Workflows;

namespace PlexSync.Workflows.Tests;

/// <summary>Every payload has source-generated JSON metadata: the converter has no reflection to fall back on.</summary>
public sealed class PayloadJsonTests
{
    public static TheoryData<Type> PayloadTypes() => [.. HandlerTypes()];

    /// <summary>The records of every payload, and the records within them, to the last level.</summary>
    public static TheoryData<Type> PayloadRecords()
    {
        var records = new HashSet<Type>();
        var pending = new Stack<Type>(HandlerTypes());
        while (pending.TryPop(out var type))
        {
            var inner = type.IsGenericType ? type.GetGenericArguments() : [];
            if (type.GetMethod("<Clone>$") is not null && records.Add(type))
            {
                inner = [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.PropertyType)];
            }

            foreach (var t in inner)
            {
                pending.Push(t);
            }
        }

        return [.. records];
    }

    [Theory]
    [MemberData(nameof(PayloadTypes))]
    public void Payload_HasGeneratedMetadata(Type type) => Assert.NotNull(PayloadJson.Options.GetTypeInfo(type));

    // A property absent from a payload (one written by an earlier version: see PayloadJson.Options) reads as a new
    // record has it; for a record without a parameterless constructor, a non-nullable reference at least not as null.
    // A required property (the required modifier, [JsonRequired], a constructor parameter without a default) is given:
    // its absence is a JsonException.
    [Theory]
    [MemberData(nameof(PayloadRecords))]
    public void Payload_WithoutItsProperties_ReadsAsItsDefaults(Type type)
    {
        var info = PayloadJson.Options.GetTypeInfo(type);
        var given = new JsonObject(info.Properties.Where(p => p.IsRequired)
            .Select(p => KeyValuePair.Create(p.Name, JsonSerializer.SerializeToNode(Zero(p.PropertyType), p.PropertyType, PayloadJson.Options))));

        var read = JsonSerializer.Deserialize(given, info)!;
        var blank = type.GetConstructor(Type.EmptyTypes)?.Invoke(null);
        var wrong = from property in info.Properties
                    where !property.IsRequired
                    let value = Show(property, read)
                    let wanted = blank is null ? (value == "null" && !MayBeNull(property) ? "not null" : value) : Show(property, blank)
                    where value != wanted
                    select $"{type.Name}.{property.Name} read as {value} instead of {wanted}";
        var report = string.Join(Environment.NewLine, wrong);
        Assert.True(report.Length == 0, report);
    }

    private static IEnumerable<Type> HandlerTypes()
    {
        var handlers = typeof(SceneSyncWorkflow).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.IsDefined(typeof(ActivityAttribute)) || m.IsDefined(typeof(WorkflowRunAttribute))
                || m.IsDefined(typeof(WorkflowSignalAttribute)) || m.IsDefined(typeof(WorkflowQueryAttribute)))
            .ToList();
        Assert.NotEmpty(handlers);
        return handlers.SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(Result(m.ReturnType)))
            .Where(t => t != typeof(void) && t != typeof(Task))
            .Distinct();
    }

    private static object? Zero(Type type) => type.IsValueType ? Activator.CreateInstance(type) : null;

    private static string Show(JsonPropertyInfo property, object record) => JsonSerializer.Serialize(property.Get!(record), property.PropertyType, PayloadJson.Options);

    private static bool MayBeNull(JsonPropertyInfo property) =>
        property.PropertyType.IsValueType || new NullabilityInfoContext().Create((PropertyInfo)property.AttributeProvider!).ReadState != NullabilityState.NotNull;

    private static Type Result(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>) ? type.GetGenericArguments()[0] : type;
}
