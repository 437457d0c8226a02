using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PlexSync.Configuration;
using PlexSync.Tests.Configuration;

namespace PlexSync.Tests.Properties;

/// <summary>
/// Configuration loading on arbitrary, hostile YAML: a file that is not a valid
/// configuration is refused with <see cref="ConfigException"/> only, and its message never carries a
/// secret. The YAML is the configuration's shape with values of every YAML kind (lists, mappings, tags,
/// anchors, block scalars, documents), unknown and duplicate keys, then broken character by character.
/// FsCheck, with its pinned seed and a fresh one.
/// </summary>
public sealed class ConfigPropertyTests : IDisposable
{
    private const string PlexToken = "tok-Zq8Wv3Kx9";
    private const string ApiKey = "key-Pm4Ty7Rb2";
    private const string UrlPassword = "pw-Hs5Jk8Lq";

    private static readonly string[] Secrets = [PlexToken, ApiKey, UrlPassword];

    private static readonly string[] AnyValues =
    [
        "", "~", "null", "true", "no", "0", "-1", "99999999999999999999", "1.5", "0x1F", "30s", "-5s", "1h30m", "5", "off", "6h", "\"\"",
        "[]", "{}", "[a, b]", "{a: 1}", "'single'", "\"esc\\tape\\u0000\"", "\"\\q\"", "!!int x", "!!binary AAAA", "!!map {}", "!custom x",
        "&a 5", "*a", "*undefined", "|\n    block\n    text", ">-\n    folded", "- x\n  - y", "\"unterminated", "[unclosed", "{a: [}",
        "http://localhost:32400", "ftp://x", "http://", "://", "debug+2", "json", "studio", "%", "@reserved", "`tick", "\t", "\u0000", "🎬",
    ];

    private static readonly (string Section, string[] Keys)[] Sections =
    [
        ("stash", ["url", "api_key", "api_key_file", "timeout"]),
        ("plex", ["url", "token", "token_file", "sections", "timeout", "activities_per_second", "requests_per_second", "client_identifier"]),
        ("fields", ["title", "summary", "studio", "date", "performers", "tags", "collections", "rating", "poster"]),
        ("temporal", ["address", "namespace", "task_queue"]),
        ("retry", ["transient_initial", "transient_max", "transient_for", "activity_timeout"]),
        ("reconcile", ["page_size", "concurrency", "schedule"]),
        ("log", ["format", "level"]),
        ("unknown_section", ["x"]),
    ];

    private readonly TempFiles files = new();
    private int next;

    public void Dispose() => files.Dispose();

    [Property(MaxTest = 300, Replay = "(3101,23)")]
    public Property ParseAndLoad_AnyYaml_RefuseOnlyWithConfigExceptionAndNeverEchoASecret_PinnedSeed() => ParseAndLoad_AnyYaml_RefuseOnlyWithConfigExceptionAndNeverEchoASecret();

    [Property(MaxTest = 300)]
    public Property ParseAndLoad_AnyYaml_RefuseOnlyWithConfigExceptionAndNeverEchoASecret_FreshSeed() => ParseAndLoad_AnyYaml_RefuseOnlyWithConfigExceptionAndNeverEchoASecret();

    private Property ParseAndLoad_AnyYaml_RefuseOnlyWithConfigExceptionAndNeverEchoASecret() =>
        Prop.ForAll(Arb.From(Yaml()), yaml =>
        {
            Check(yaml, () => ConfigYaml.Parse(yaml, "plexsync.yaml"));
            var path = files.Write($"c{next++}.yaml", yaml);
            Check(yaml, () => ConfigLoader.Load(path, Env.None, needPlex: true));
        });

    private static void Check(string yaml, Func<PlexSyncConfig> load)
    {
        var error = Record.Exception(() => load());
        if (error is null)
        {
            return;
        }

        Assert.True(error is ConfigException or ConfigValueException, $"---\n{yaml}\n--- threw {error}");
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
        }
    }

    // A secret as each kind of YAML value: plain, quoted, in a list or mapping, tagged, a block.
    private static Gen<string> SecretValue(string secret) => Gen.Elements(
        secret, $"\"{secret}\"", $"'{secret}'", $"[{secret}]", $"{{v: {secret}}}", $"!!int {secret}", $"!!str {secret}", $"!!binary {secret}",
        $"|\n    {secret}", $"\"{secret}\\q\"", $"&s {secret}", $"{secret} #c", $"\"{secret}", $"[{secret}, {secret}]", $"{{{secret}: 1}}");

    private static Gen<string> UrlValue() => Gen.Elements(
        $"http://user:{UrlPassword}@localhost:32400", $"\"ftp://user:{UrlPassword}@host\"", $"http://user:{UrlPassword}@", $"http://x/?X-Plex-Token={PlexToken}");

    private static Gen<string> Line(string section, string key)
    {
        var value = (section, key) switch
        {
            ("plex", "token") => SecretValue(PlexToken),
            ("stash", "api_key") => SecretValue(ApiKey),
            (_, "url") => Gen.Frequency((1, UrlValue()), (1, Gen.Elements(AnyValues))),
            (_, "token_file" or "api_key_file") => Gen.Elements("/nonexistent/plexsync-secret", "", "/", "[a]"),
            _ => Gen.Elements(AnyValues),
        };
        return
            from v in value
            from indent in Gen.Frequency((8, Gen.Constant("  ")), (1, Gen.Elements("", " ", "   ", "\t", "    ")))
            from k in Gen.Frequency((8, Gen.Constant(key)), (1, Gen.Elements(key.ToUpperInvariant(), key + "x", "? " + key, "\"" + key + "\"", "<<")))
            select $"{indent}{k}: {v}";
    }

    private static Gen<string> Section() =>
        from s in Gen.Elements(Sections)
        from keys in Gen.SubListOf(s.Keys)
        from duplicate in Gen.Elements(true, false, false, false)
        from lines in Gen.CollectToList(keys.Concat(duplicate && keys.Count > 0 ? [keys[0]] : []).Select(k => Line(s.Section, k)))
        from style in Gen.Elements(0, 0, 0, 1, 2)
        select style switch
        {
            // Flow style on one line, or the section as a list.
            1 => $"{s.Section}: {{{string.Join(", ", lines.Select(l => l.Trim().Replace("\n", " ", StringComparison.Ordinal)))}}}",
            2 => $"{s.Section}:\n" + string.Join("\n", lines.Select(l => "  - " + l.Trim())),
            _ => $"{s.Section}:\n" + string.Join("\n", lines),
        };

    private static Gen<string> Document() =>
        from sections in Gen.ListOf(Section())
        from extra in Gen.Elements(
            "", "path_mappings:\n  - from: /data\n    to: /media", "path_mappings: [~, {from: /a/../b, to: x}]", "collection_sources: [studio, nope]",
            "---\nplex: {}", "%YAML 1.1\n---", "[1, 2]", "just text", "...", "? complex\n: key", "*alias", "<<: {a: 1}")
        select string.Join("\n", sections.Take(6)) + "\n" + extra + "\n";

    // The document, broken at up to three places by a character YAML gives meaning to.
    private static Gen<string> Yaml() =>
        from document in Document()
        from edits in Gen.ListOf(Gen.Zip(Gen.Choose(0, 100_000), Gen.Elements(":", "-", " ", "\t", "\n", "[", "]", "{", "}", "\"", "'", "&", "*", "!", "#", "|", ">", "%", "@", "", "\u0000", "\uFEFF")))
        select edits.Take(3).Aggregate(document, (text, edit) =>
        {
            var at = text.Length == 0 ? 0 : edit.Item1 % text.Length;

            // A whole character at a time: a lone surrogate is not text a file can hold.
            at -= at > 0 && char.IsLowSurrogate(text[at]) ? 1 : 0;
            var width = at + 1 < text.Length && char.IsSurrogatePair(text[at], text[at + 1]) ? 2 : 1;
            return edit.Item1 % 2 == 0 ? text.Insert(at, edit.Item2) : text.Remove(at, width).Insert(at, edit.Item2);
        });
}
