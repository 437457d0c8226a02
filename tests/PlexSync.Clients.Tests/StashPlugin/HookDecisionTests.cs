using System.Text;
using PlexSync.Clients.StashPlugin;

namespace PlexSync.Clients.Tests.StashPlugin;

public sealed class HookDecisionTests
{
    [Fact]
    public void Decide_SceneCreateWithNullInput_Syncs()
    {
        // Stash sends Scene.Create.Post with a null input, for sceneCreate and scans alike.
        var decision = HookDecision.Decide(Hook(45, "Scene.Create.Post", "null"));
        Assert.Equal(HookAction.SyncScene, decision.Action);
        Assert.Equal("45", decision.Id);
    }

    [Theory]
    [InlineData("title")]
    [InlineData("tag_ids")]
    [InlineData("performer_ids")]
    [InlineData("studio_id")]
    [InlineData("groups")]
    [InlineData("rating100")]
    [InlineData("cover_image")]
    [InlineData("date")]
    [InlineData("details")]
    public void Decide_UpdateOfSyncedField_Syncs(string field)
    {
        var decision = HookDecision.Decide(Hook(7, "Scene.Update.Post", $$"""{"id":"7","{{field}}":"x"}""", "id", field));
        Assert.Equal(HookAction.SyncScene, decision.Action);
        Assert.Contains(field, decision.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_UpdateOfUnsyncedField_IsIgnored()
    {
        var decision = HookDecision.Decide(Hook(7, "Scene.Update.Post", """{"id":"7","organized":true}""", "id", "organized"));
        Assert.Equal(HookAction.Ignore, decision.Action);
        Assert.Contains("organized", decision.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ScanDrivenUpdate_Syncs()
    {
        // A scan changed the scene's file, which can change its Plex match.
        var decision = HookDecision.Decide(Hook(9, "Scene.Update.Post", "null"));
        Assert.Equal(HookAction.SyncScene, decision.Action);
        Assert.Contains("scan", decision.Why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Scene.Destroy.Post")]
    [InlineData("Image.Update.Post")]
    [InlineData("Gallery.Create.Post")]
    public void Decide_OtherHooks_AreIgnored(string type)
    {
        Assert.Equal(HookAction.Ignore, HookDecision.Decide(Hook(3, type, """{"id":"3"}""", "id")).Action);
    }

    [Theory]
    [InlineData("Performer.Update.Post", "performer")]
    [InlineData("Tag.Update.Post", "tag")]
    [InlineData("Studio.Update.Post", "studio")]
    [InlineData("Group.Update.Post", "group")]
    public void Decide_RenameOfWhatScenesUse_AsksForItsScenes(string type, string kind)
    {
        var decision = HookDecision.Decide(Hook(12, type, """{"id":"12","name":"New"}""", "id", "name"));
        Assert.Equal(HookAction.ReconcileUsers, decision.Action);
        Assert.Equal(kind, decision.Kind);
        Assert.Equal("12", decision.Id);
    }

    [Fact]
    public void Decide_NoSceneId_IsAnError()
    {
        var error = Assert.Throws<PluginInputException>(() => HookDecision.Decide(Hook(0, "Scene.Update.Post", """{"title":"x"}""", "title")));
        Assert.Contains("no id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RealHookInput_ReadsContextAndConnection()
    {
        var input = PluginInput.Parse("""
            {"server_connection": {"Scheme": "http", "Host": "0.0.0.0", "Port": 9999,
               "SessionCookie": {"Name": "session", "Value": "abc"}, "Dir": "/root/.stash", "PluginDir": "/root/.stash/plugins/plexsync"},
             "args": {"hookContext": {"id": 45, "type": "Scene.Update.Post",
               "input": {"id": "45", "title": "New title", "tag_ids": ["21"]}, "inputFields": ["id", "title", "tag_ids"]}}}
            """u8);
        Assert.Equal(45, input.Args!.HookContext!.Id);
        Assert.Equal(["id", "title", "tag_ids"], input.Args.HookContext.InputFields);
        Assert.Equal(9999, input.ServerConnection!.Port);
        Assert.DoesNotContain("abc", input.ServerConnection.SessionCookie!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"args": {}}""")]
    [InlineData("""{"args": {"hookContext": {"id": "not a number", "type": "Scene.Update.Post"}}}""")]
    public void Parse_BadInput_IsAClearError(string json)
    {
        var error = Assert.Throws<PluginInputException>(() => PluginInput.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains("plugin input", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_Oversized_IsRefused()
    {
        using var stdin = new MemoryStream(new byte[PluginInput.MaxBytes + 10]);
        var error = await Assert.ThrowsAsync<PluginInputException>(() => PluginInput.ReadAsync(stdin, CancellationToken.None));
        Assert.Contains("larger than", error.Message, StringComparison.Ordinal);
    }

    private static HookContext Hook(int id, string type, string input, params string[] fields)
    {
        var inputFields = fields.Length > 0 ? ", \"inputFields\": [" + string.Join(",", fields.Select(f => $"\"{f}\"")) + "]" : "";
        var json = "{\"args\": {\"hookContext\": {\"id\": " + id + ", \"type\": \"" + type + "\", \"input\": " + input + inputFields + "}}}";
        return PluginInput.Parse(Encoding.UTF8.GetBytes(json)).Args!.HookContext!;
    }
}
