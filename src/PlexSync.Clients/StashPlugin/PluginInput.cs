using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace PlexSync.Clients.StashPlugin;

/// <summary>
/// What Stash writes to a raw-interface plugin's stdin (pkg/plugin/common/msg.go). The server
/// connection's keys are Go field names because Stash's struct has no JSON tags.
/// </summary>
public sealed record PluginInput
{
    /// <summary>Bounds what a hook reads from stdin; Stash's real inputs are a few KiB.</summary>
    public const int MaxBytes = 1 << 20;

    private static readonly JsonSerializerOptions Json = new() { UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip, TypeInfoResolver = PluginInputJsonContext.Default };

    [JsonPropertyName("server_connection")]
    public ServerConnection? ServerConnection { get; init; }

    [JsonPropertyName("args")]
    public PluginArgs? Args { get; init; }

    /// <summary>Reads and decodes a plugin input, refusing anything larger than <see cref="MaxBytes"/>, malformed or of the wrong shape.</summary>
    public static async Task<PluginInput> ReadAsync(Stream stdin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stdin);
        var buffer = new byte[MaxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stdin.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        if (length > MaxBytes)
        {
            throw new PluginInputException($"the plugin input is larger than {MaxBytes} bytes; Stash sends a few KiB");
        }

        return Parse(buffer.AsSpan(0, length));
    }

    public static PluginInput Parse(ReadOnlySpan<byte> json)
    {
        if (json.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new PluginInputException("no plugin input on stdin; Stash runs `plexsync hook` with JSON on stdin (see the README's Stash plugin section)");
        }

        PluginInput? input;
        try
        {
            input = JsonSerializer.Deserialize(json, (JsonTypeInfo<PluginInput>)Json.GetTypeInfo(typeof(PluginInput)));
        }
        catch (JsonException e)
        {
            throw new PluginInputException($"the plugin input is not the JSON Stash sends: {e.Message}");
        }

        return input?.Args is { HookContext: not null } or { Mode.Length: > 0 }
            ? input
            : throw new PluginInputException("the plugin input has neither args.hookContext (a hook) nor args.mode (a task)");
    }
}

/// <summary>How the plugin reaches Stash; <see cref="Host"/> may be a bind address such as 0.0.0.0.</summary>
public sealed record ServerConnection(string? Scheme, string? Host, int Port, SessionCookie? SessionCookie, string? Dir, string? PluginDir);

/// <summary>The session cookie Stash hands a plugin instead of an API key.</summary>
public sealed record SessionCookie(string? Name, string? Value)
{
    public override string ToString() => $"SessionCookie {{ Name = {Name}, Value = [redacted] }}";
}

/// <summary>A hook's context, or a task's mode (from its defaultArgs).</summary>
public sealed record PluginArgs
{
    [JsonPropertyName("hookContext")]
    public HookContext? HookContext { get; init; }

    [JsonPropertyName("mode")]
    public string? Mode { get; init; }
}

/// <summary>The event that fired a hook.</summary>
public sealed record HookContext
{
    [JsonPropertyName("id")]
    public int Id { get; init; }

    [JsonPropertyName("type")]
    public string Type { get; init; } = "";

    /// <summary>Gets the GraphQL input that was sent; null for creations and scan-driven updates.</summary>
    [JsonPropertyName("input")]
    public JsonElement? Input { get; init; }

    /// <summary>Gets the keys of that input.</summary>
    [JsonPropertyName("inputFields")]
    public IReadOnlyList<string>? InputFields { get; init; }
}

/// <summary>The plugin input cannot be used; the message says why.</summary>
public sealed class PluginInputException(string message) : Exception(message);

/// <summary>Source-generated metadata for the plugin input (Native AOT has no reflection-based JSON).</summary>
[JsonSerializable(typeof(PluginInput))]
internal sealed partial class PluginInputJsonContext : JsonSerializerContext;
