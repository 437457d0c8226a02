using System.Reflection;
using System.Text.RegularExpressions;
using PlexSync.Clients;
using PlexSync.Clients.Protection;
using PlexSync.Configuration;
using PlexSync.Domain;
using PlexSync.Workflows;

namespace PlexSync.Tests.Configuration;

/// <summary>
/// Each default is written once: a configuration key that a runtime record also carries (the same name in the
/// section that becomes that record) takes its default from the record.
/// </summary>
public sealed partial class ConfigDefaultsTests
{
    [Fact]
    public void EverySettingOfBoth_HasTheSameDefault()
    {
        foreach (var (config, runtime) in Pairs())
        {
            var shared = Shared(config, runtime);
            Assert.True(shared.Count > 0, $"{config.GetType().Name} and {runtime.GetType().Name} share no setting; the pair is stale");
            foreach (var (c, r) in shared)
            {
                Assert.True(SameValue(c.GetValue(config), r.GetValue(runtime)), $"{config.GetType().Name}.{c.Name} and {runtime.GetType().Name}.{r.Name} have different defaults");
            }
        }
    }

    [Fact]
    public void TheDefaults_ConvertToTheRuntimeDefaults()
    {
        var c = new PlexSyncConfig();

        Assert.Equal(new RetryTuning(), c.ToRetryTuning());
        Assert.Equal(new SyncFields(), c.ToSceneOptions().Fields);
        Assert.Equal(new PlexProtectionOptions(), c.ToPlexProtectionOptions());
        Assert.Equal(new SyncSettings().Sections, c.ToSyncSettings().Sections);
    }

    [Fact]
    public void NoSettingOfBoth_WritesItsDefaultAgainInTheConfiguration()
    {
        var source = File.ReadAllText(Path.Combine(Repository.Root(), "src", "PlexSync", "Configuration", "PlexSyncConfig.cs"));
        var written = new List<string>();
        foreach (var (config, runtime) in Pairs())
        {
            var section = ClassBody(source, config.GetType().Name);
            foreach (var (c, _) in Shared(config, runtime))
            {
                var initializer = Regex.Match(section, $@"public [^\n]+ {c.Name} \{{ get; set; \}} = ([^;]+);");
                Assert.True(initializer.Success, $"{config.GetType().Name}.{c.Name}: no initializer found");
                if (Literal().IsMatch(initializer.Groups[1].Value))
                {
                    written.Add($"{config.GetType().Name}.{c.Name} = {initializer.Groups[1].Value} (take it from {runtime.GetType().Name})");
                }
            }
        }

        Assert.Empty(written);
    }

    // Each configuration section beside a runtime record it becomes (ConfigConversions, CommandContext.WorkerSetup).
    private static IEnumerable<(object Config, object Runtime)> Pairs()
    {
        var c = new PlexSyncConfig();
        yield return (c.Retry, new RetryTuning());
        yield return (c.Fields, new SyncFields());
        yield return (c, new SceneOptions());
        yield return (c.Plex, new SyncSettings());
        yield return (c.Plex, new PlexProtectionOptions());
        yield return (c.Plex, new PlexClientOptions { Url = new Uri("http://plex.invalid"), Token = "t" });
        yield return (c.Stash, new StashClientOptions { Url = new Uri("http://stash.invalid") });
        yield return (c.Reconcile, new ReconcileInput());
    }

    // Properties of the same name and kind: one value, or a list of strings.
    private static List<(PropertyInfo Config, PropertyInfo Runtime)> Shared(object config, object runtime) =>
        [.. from c in config.GetType().GetProperties()
            join r in runtime.GetType().GetProperties() on c.Name equals r.Name
            where c.PropertyType == r.PropertyType || (Strings(c.PropertyType) && Strings(r.PropertyType))
            select (c, r)];

    private static bool Strings(Type type) => typeof(IEnumerable<string>).IsAssignableFrom(type) && type != typeof(string);

    private static bool SameValue(object? a, object? b) =>
        a is IEnumerable<string> x && b is IEnumerable<string> y ? x.SequenceEqual(y) : Equals(a, b);

    private static string ClassBody(string source, string name)
    {
        var start = source.IndexOf($"internal sealed class {name}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"class {name} not found");
        var end = source.IndexOf("\n}\n", start, StringComparison.Ordinal);
        return source[start..end];
    }

    // A number, true/false, a string, a TimeSpan.From... or a list written out.
    [GeneratedRegex(@"^(\d|true$|false$|""|TimeSpan\.From|\[\s*""|\[\s*\d)")]
    private static partial Regex Literal();
}
