using System.Globalization;
using System.Text.Json;

namespace PlexSync.Clients.StashPlugin;

/// <summary>What a hook asks for.</summary>
public enum HookAction
{
    /// <summary>Nothing: the event cannot change what PlexSync writes.</summary>
    Ignore,

    /// <summary>Sync one scene.</summary>
    SyncScene,

    /// <summary>Reconcile every scene that uses a performer, tag, studio or group that changed.</summary>
    ReconcileUsers,
}

/// <summary>A hook's decision; <see cref="Why"/> goes to Stash's log.</summary>
/// <param name="Action">What to do.</param>
/// <param name="Id">The scene, performer, tag, studio or group ID.</param>
/// <param name="Kind">For <see cref="HookAction.ReconcileUsers"/>: performer, tag, studio or group.</param>
/// <param name="Why">A line for Stash's log.</param>
public sealed record HookDecision(HookAction Action, string Id, string Kind, string Why)
{
    /// <summary>
    /// The SceneUpdateInput keys whose change can alter what PlexSync writes to Plex; "movies" and
    /// "movie_ids" are what older Stash called groups, "group_ids" is BulkSceneUpdateInput's key.
    /// </summary>
    public static readonly IReadOnlySet<string> SyncedInputFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "title", "details", "date", "rating100", "studio_id", "performer_ids", "tag_ids", "groups", "group_ids",
        "movies", "movie_ids", "cover_image", "primary_file_id", "files",
    };

    private static readonly Dictionary<string, string> RenameHooks = new(StringComparer.Ordinal)
    {
        ["Performer.Update.Post"] = "performer",
        ["Tag.Update.Post"] = "tag",
        ["Studio.Update.Post"] = "studio",
        ["Group.Update.Post"] = "group",
    };

    /// <summary>
    /// Applies the hook rules. Scene creations always sync (Stash sends them with a null input, for the
    /// sceneCreate mutation and scans alike). A scene update with a null input comes from a scan: the
    /// file changed, which can change the Plex match, so it syncs too (a scan runs the hook once per
    /// file; the syncs of one scene coalesce in its one workflow). An edit syncs when it changed a synced
    /// field. Renaming or editing a performer, tag, studio or group does not touch its scenes'
    /// updated_at, so it reconciles exactly the scenes that use it.
    /// </summary>
    public static HookDecision Decide(HookContext hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        var id = hook.Id.ToString(CultureInfo.InvariantCulture);

        // JSON can set the type to null despite its "" default ("type": null); it is then no hook we act on.
        var type = hook.Type ?? "";
        if (RenameHooks.TryGetValue(type, out var kind))
        {
            RequireId(hook);
            return new(HookAction.ReconcileUsers, id, kind, $"{kind} {id} changed: reconciling its scenes");
        }

        if (type is not ("Scene.Create.Post" or "Scene.Update.Post"))
        {
            return new(HookAction.Ignore, "", "", $"ignored: \"{type}\" is not a hook PlexSync acts on");
        }

        RequireId(hook);
        if (type == "Scene.Create.Post")
        {
            return new(HookAction.SyncScene, id, "scene", $"scene {id} created");
        }

        if (hook.Input is not { ValueKind: JsonValueKind.Object })
        {
            return new(HookAction.SyncScene, id, "scene", $"scene {id} updated by a scan");
        }

        var fields = hook.InputFields ?? [];
        return fields.Any(SyncedInputFields.Contains)
            ? new(HookAction.SyncScene, id, "scene", $"scene {id} changed ({string.Join(", ", fields.Where(SyncedInputFields.Contains))})")
            : new(HookAction.Ignore, id, "scene", $"ignored: no synced field of scene {id} changed ({string.Join(", ", fields)})");
    }

    private static void RequireId(HookContext hook)
    {
        if (hook.Id <= 0)
        {
            throw new PluginInputException($"the {hook.Type} hook has no id (hookContext.id is {hook.Id})");
        }
    }
}
