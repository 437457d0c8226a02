using System.Text.Json;

namespace PlexSync.Testing;

/// <summary>What Stash writes on a plugin's stdin: a hook's context, or a task's arguments (see stash.md, "Plugins and hooks").</summary>
public static class PluginInputs
{
    /// <summary>A hook fired by <paramref name="type"/> for object <paramref name="id"/>; <paramref name="input"/> is the mutation's input as JSON ("null" for none).</summary>
    public static string Hook(int id, string type, string input, params string[] fields) => JsonSerializer.Serialize(new
    {
        server_connection = Connection(),
        args = new { hookContext = new { id, type, input = JsonDocument.Parse(input).RootElement, inputFields = fields.Length > 0 ? fields : null } },
    });

    /// <summary>Scene.Update.Post for scene <paramref name="id"/>.</summary>
    public static string SceneUpdate(int id, string input, params string[] fields) => Hook(id, "Scene.Update.Post", input, fields);

    /// <summary>A task of the manifest, by its defaultArgs mode.</summary>
    public static string Task(string mode) => JsonSerializer.Serialize(new { server_connection = Connection(), args = new { mode } });

    // Stash's bind address and a session cookie, as Stash sends them.
    private static object Connection() =>
        new { Scheme = "http", Host = "0.0.0.0", Port = 9999, SessionCookie = new { Name = "session", Value = "cookie" } };
}
