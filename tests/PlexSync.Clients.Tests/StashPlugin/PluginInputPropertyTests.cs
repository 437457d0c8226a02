using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PlexSync.Clients.StashPlugin;

namespace PlexSync.Clients.Tests.StashPlugin;

/// <summary>
/// Whatever Stash, or anything else, writes to
/// the hook's stdin is either parsed or refused with <see cref="PluginInputException"/>, and a parsed hook
/// is decided without any other exception. Each property runs with its pinned seed and a fresh one.
/// </summary>
public sealed class PluginInputPropertyTests
{
    // A scene hook, a task, a hook without input and a rename hook: the inputs mutated.
    private static readonly string[] Seeds =
    [
        """{"server_connection":{"Scheme":"http","Port":9999},"args":{"hookContext":{"id":45,"type":"Scene.Update.Post","input":{"title":"x"},"inputFields":["title"]}}}""",
        """{"args":{"mode":"status"}}""",
        """{"args":{"hookContext":{"id":-1,"type":"Scene.Create.Post","input":null}}}""",
        """{"server_connection":{"Scheme":"http","Host":"0.0.0.0","Port":9999,"SessionCookie":{"Name":"session","Value":"abc"},"Dir":"/root/.stash","PluginDir":"/p"},"args":{"hookContext":{"id":3,"type":"Tag.Update.Post","input":{"name":"x"},"inputFields":["name"]}}}""",
    ];

    private static readonly string[] HookTypes =
    [
        "Scene.Create.Post", "Scene.Update.Post", "Scene.Destroy.Post", "Performer.Update.Post", "Tag.Update.Post",
        "Studio.Update.Post", "Group.Update.Post", "Gallery.Update.Post", "", "scene.update.post", "Scene.Update.Post ",
    ];

    private static readonly string[] Fields = ["title", "details", "organized", "tag_ids", "files", "o_counter", "", "TITLE", "id"];

    /// <summary>Raw bytes: invalid UTF-8, truncated JSON, BOMs and all.</summary>
    [Property(MaxTest = 300, Replay = "(1102,11)")]
    public Property Parse_AnyBytes_ParsesOrRefusesWithPluginInputException_PinnedSeed() => Parse_AnyBytes_ParsesOrRefusesWithPluginInputException();

    [Property(MaxTest = 300)]
    public Property Parse_AnyBytes_ParsesOrRefusesWithPluginInputException_FreshSeed() => Parse_AnyBytes_ParsesOrRefusesWithPluginInputException();

    private Property Parse_AnyBytes_ParsesOrRefusesWithPluginInputException() =>
        Prop.ForAll(Arb.From(AnyBytes()), bytes => CheckParseAndDecide(bytes));

    /// <summary>The real inputs with bytes inserted, removed or replaced.</summary>
    [Property(MaxTest = 400, Replay = "(1103,13)")]
    public Property Parse_MutatedStashInput_ParsesOrRefusesWithPluginInputException_PinnedSeed() => Parse_MutatedStashInput_ParsesOrRefusesWithPluginInputException();

    [Property(MaxTest = 400)]
    public Property Parse_MutatedStashInput_ParsesOrRefusesWithPluginInputException_FreshSeed() => Parse_MutatedStashInput_ParsesOrRefusesWithPluginInputException();

    private Property Parse_MutatedStashInput_ParsesOrRefusesWithPluginInputException() =>
        Prop.ForAll(Arb.From(Mutated()), bytes => CheckParseAndDecide(bytes));

    /// <summary>Well-formed JSON of any shape where Stash puts each value (null, numbers too large, lists for strings, ...).</summary>
    [Property(MaxTest = 400, Replay = "(1104,17)")]
    public Property Parse_AnyJsonShape_ParsesOrRefusesWithPluginInputException_PinnedSeed() => Parse_AnyJsonShape_ParsesOrRefusesWithPluginInputException();

    [Property(MaxTest = 400)]
    public Property Parse_AnyJsonShape_ParsesOrRefusesWithPluginInputException_FreshSeed() => Parse_AnyJsonShape_ParsesOrRefusesWithPluginInputException();

    private Property Parse_AnyJsonShape_ParsesOrRefusesWithPluginInputException() =>
        Prop.ForAll(Arb.From(Shaped()), json => CheckParseAndDecide(Encoding.UTF8.GetBytes(json)));

    /// <summary>Any hook context with an ID is decided without throwing, and a decision to act names that ID.</summary>
    [Property(MaxTest = 300, Replay = "(1105,19)")]
    public Property Decide_AnyValidHookContext_DecidesWithoutThrowing_PinnedSeed() => Decide_AnyValidHookContext_DecidesWithoutThrowing();

    [Property(MaxTest = 300)]
    public Property Decide_AnyValidHookContext_DecidesWithoutThrowing_FreshSeed() => Decide_AnyValidHookContext_DecidesWithoutThrowing();

    private Property Decide_AnyValidHookContext_DecidesWithoutThrowing() =>
        Prop.ForAll(Arb.From(ValidHooks()), hook =>
        {
            var decision = HookDecision.Decide(hook);
            if (decision.Action != HookAction.Ignore)
            {
                Assert.Equal(hook.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), decision.Id);
            }

            Assert.False(string.IsNullOrEmpty(decision.Why));
        });

    // Found by Parse_AnyJsonShape: "type": null reached a dictionary lookup and threw ArgumentNullException.
    [Fact]
    public void Decide_NullHookType_IsIgnored()
    {
        var input = PluginInput.Parse("""{"args":{"hookContext":{"id":1,"type":null}}}"""u8);

        Assert.Equal(HookAction.Ignore, HookDecision.Decide(input.Args!.HookContext!).Action);
    }

    private static void CheckParseAndDecide(byte[] bytes)
    {
        PluginInput input;
        try
        {
            input = PluginInput.Parse(bytes);
        }
        catch (PluginInputException)
        {
            return;
        }

        Assert.True(input.Args is { HookContext: not null } or { Mode.Length: > 0 }, "a parsed input with neither a hook nor a mode");
        if (input.Args?.HookContext is not { } hook)
        {
            return;
        }

        HookDecision decision;
        try
        {
            decision = HookDecision.Decide(hook);
        }
        catch (PluginInputException)
        {
            return;
        }

        // A decision to sync always names a scene
        Assert.True(decision.Action == HookAction.Ignore || int.Parse(decision.Id, System.Globalization.CultureInfo.InvariantCulture) > 0, $"{decision} acts on no ID");
    }

    private static Gen<byte[]> AnyBytes() =>
        Gen.Frequency(
            (3, Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b))),
            (1, Gen.ArrayOf(Gen.Elements("{}[]\":,nul tr0-9e.\\u\n".Select(c => (byte)c).ToArray()))));

    private static Gen<byte[]> Mutated() =>
        from seed in Gen.Elements(Seeds)
        from edits in Gen.NonEmptyListOf(Edit())
        select edits.Aggregate(Encoding.UTF8.GetBytes(seed).ToList(), (bytes, edit) => edit(bytes)).ToArray();

    // One edit at a position taken modulo the length: insert, delete, replace, or cut the rest.
    private static Gen<Func<List<byte>, List<byte>>> Edit() =>
        from kind in Gen.Choose(0, 3)
        from position in Gen.Choose(0, 10_000)
        from value in Gen.Elements<byte>(0, 0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x3a, 0x2c, 0x30, 0x2d, 0xc3, 0xff, 0x80, 0xed, 0xa0, 0x0a)
        select (Func<List<byte>, List<byte>>)(bytes =>
        {
            var copy = new List<byte>(bytes);
            var at = copy.Count == 0 ? 0 : position % copy.Count;
            switch (kind)
            {
                case 0:
                    copy.Insert(at, value);
                    break;
                case 1 when copy.Count > 0:
                    copy.RemoveAt(at);
                    break;
                case 2 when copy.Count > 0:
                    copy[at] = value;
                    break;
                default:
                    copy.RemoveRange(at, copy.Count - at);
                    break;
            }

            return copy;
        });

    // Any JSON value, nested up to a small depth.
    private static Gen<string> AnyJson(int depth)
    {
        var scalars = Gen.OneOf(
            Gen.Elements("null", "true", "false", "0", "-1", "1", "45", "2147483648", "-2147483649", "1e400", "4.5", "1E2", "\"\"", "\"45\"", "\"x\"", "\"\\u0000\"", "\"\\ud800\"", "\"🎬\""),
            Gen.Elements(HookTypes).Select(t => JsonSerializer.Serialize(t)),
            Gen.Choose(int.MinValue, int.MaxValue).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ArbMap.Default.GeneratorFor<string>().Select(s => JsonSerializer.Serialize(s ?? "")));
        if (depth == 0)
        {
            return scalars;
        }

        var inner = AnyJson(depth - 1);
        var list = Gen.ListOf(inner).Select(items => "[" + string.Join(",", items.Take(5)) + "]");
        var keys = Gen.Elements("id", "type", "input", "inputFields", "args", "hookContext", "mode", "x", "");
        var obj = Gen.ListOf(Gen.Zip(keys, inner)).Select(pairs => "{" + string.Join(",", pairs.Take(5).Select(p => $"\"{p.Item1}\":{p.Item2}")) + "}");
        return Gen.Frequency((4, scalars), (1, list), (1, obj));
    }

    // The shape Stash sends, each value replaced, at random, by any JSON value, by null or left out.
    private static Gen<string> Shaped()
    {
        Gen<string?> Value(Gen<string> usual) => Gen.Frequency(
            (4, usual.Select(v => (string?)v)),
            (2, AnyJson(2).Select(v => (string?)v)),
            (1, Gen.Constant<string?>("null")),
            (1, Gen.Constant<string?>(null)));

        static string Object(params (string Key, string? Value)[] members) =>
            "{" + string.Join(",", members.Where(m => m.Value is not null).Select(m => $"\"{m.Key}\":{m.Value}")) + "}";

        var fieldList = Gen.ListOf(Gen.Elements(Fields)).Select(f => JsonSerializer.Serialize(f.Take(4)));
        var hookContext =
            from id in Value(Gen.Choose(-2, 100).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            from type in Value(Gen.Elements(HookTypes).Select(t => JsonSerializer.Serialize(t)))
            from input in Value(Gen.Elements("null", "{\"title\":\"x\"}", "{}"))
            from fields in Value(fieldList)
            select Object(("id", id), ("type", type), ("input", input), ("inputFields", fields));
        var args =
            from hook in Value(hookContext)
            from mode in Value(Gen.Elements("\"status\"", "\"\"", "\"reconcile\""))
            select Object(("hookContext", hook), ("mode", mode));
        return
            from connection in Value(Gen.Constant("""{"Scheme":"http","Port":9999,"SessionCookie":{"Name":"session","Value":"v"}}"""))
            from a in Value(args)
            select Object(("server_connection", connection), ("args", a));
    }

    private static Gen<HookContext> ValidHooks() =>
        from id in Gen.Choose(1, int.MaxValue)
        from type in Gen.OneOf(Gen.Elements(HookTypes), ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""))
        from input in Gen.Elements<string?>(null, "null", "{}", "{\"title\":\"x\"}", "[]", "3", "\"s\"")
        from fields in Gen.OneOf(
            Gen.Constant<IReadOnlyList<string>?>(null),
            Gen.ListOf(Gen.OneOf(Gen.Elements(Fields), ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""))).Select(f => (IReadOnlyList<string>?)[.. f]))
        select new HookContext
        {
            Id = id,
            Type = type,
            Input = input is null ? null : JsonDocument.Parse(input).RootElement.Clone(),
            InputFields = fields,
        };
}
