using System.CommandLine;
using PlexSync.Clients;
using PlexSync.Configuration;
using PlexSync.Operations;
using Spectre.Console;

namespace PlexSync.Commands;

/// <summary>`plexsync init`: asks for (or takes as flags) what a plexsync.yaml needs, checks each answer at once, and writes the file.</summary>
internal sealed class InitCommand : PlexSyncCommand
{
    /// <summary>The scenes sampled to propose path mappings.</summary>
    public const int Sample = 200;

    public const string SecretsInFiles = "file";
    public const string SecretsInEnv = "env";

    // Wrong answers a person may retry before init gives up.
    private const int Attempts = 5;

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(15);

    private static readonly Option<string?> StashUrlOption = new("--stash-url") { Description = $"Stash's address, as you open its web UI (default {new StashConfig().Url})" };
    private static readonly Option<string?> StashKeyOption = new("--stash-api-key")
    {
        Description = "Stash's API key (Settings > Security > API Key); better from PLEXSYNC_STASH_API_KEY or the prompt, since a flag shows in `ps` and shell history. Give \"\" when Stash has no login",
    };

    private static readonly Option<string?> PlexUrlOption = new("--plex-url") { Description = $"Plex Media Server's address (default {new PlexConfig().Url})" };
    private static readonly Option<string?> PlexTokenOption = new("--plex-token") { Description = "Your X-Plex-Token; better from PLEXSYNC_PLEX_TOKEN or the prompt, since a flag shows in `ps` and shell history" };
    private static readonly Option<string[]> SectionOption = new("--section")
    {
        Description = "A Plex movie section (by name) that holds your Stash files; repeat for several. Default: the only one, or ask",
        AllowMultipleArgumentsPerToken = true,
    };

    private static readonly Option<string> OutputOption = new("--output", "-o")
    {
        Description = "The file to write",
        DefaultValueFactory = _ => ConfigLoader.DefaultFileName,
    };

    private static readonly Option<string> SecretsOption = new Option<string>("--secrets")
    {
        Description = "Where the API key and token go: \"file\" (files beside the config, readable only by you, named by api_key_file and token_file) or \"env\" (nowhere: you set PLEXSYNC_STASH_API_KEY and PLEXSYNC_PLEX_TOKEN)",
        DefaultValueFactory = _ => SecretsInFiles,
    }.AcceptOnlyFromAmong(SecretsInFiles, SecretsInEnv);

    private static readonly Option<string?> TemporalOption = new("--temporal-address") { Description = "Temporal's host:port (default 127.0.0.1:7233)" };
    private static readonly Option<string?> TaskQueueOption = new("--task-queue") { Description = "The task queue (default plexsync)" };
    private static readonly Option<bool> YesOption = new("--yes", "-y", "--non-interactive")
    {
        Description = "Ask nothing: take the flags and defaults, accept the proposed path mappings, and fail on a wrong answer",
    };

    private static readonly Option<bool> ForceOption = new("--force") { Description = "Replace the output file when it exists" };

    public InitCommand()
        : base("init", "Write a plexsync.yaml: asks for Stash and Plex, checks them, proposes path mappings")
    {
        Description =
            """
            Set PlexSync up: asks for Stash's address and API key and Plex's address and token (or
            takes them as flags, for scripts), checks each at once and says what is wrong
            (unreachable, wrong key or token, Stash with a login but no API key given), lists Plex's
            movie sections to choose from, samples Stash's scenes and matches them to Plex's files to
            propose path mappings (the folder pairs that make most sampled paths match), and writes a
            commented plexsync.yaml with every key of plexsync.example.yaml.

            The API key and token go to files readable only by you (--secrets file, the default), or
            nowhere, for the environment to give (--secrets env). Then: `plexsync check`, a dry run
            (`plexsync reconcile --all --dry-run`) and `plexsync worker`.
            """;
        foreach (var option in new Option[] { StashUrlOption, StashKeyOption, PlexUrlOption, PlexTokenOption, SectionOption, OutputOption, SecretsOption, TemporalOption, TaskQueueOption, YesOption, ForceOption })
        {
            Options.Add(option);
        }

        SetAction(RunAsync);
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var interactive = !parse.GetValue(YesOption) && !Console.IsInputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        var asker = new Asker(interactive, cancellationToken);
        var output = Path.GetFullPath(parse.GetValue(OutputOption)!);
        var secrets = parse.GetValue(SecretsOption);

        if (File.Exists(output) && !parse.GetValue(ForceOption) && !await asker.ConfirmAsync($"{output} exists. Replace it?", false))
        {
            throw new UserFacingException($"{output} exists; give --force to replace it, or --output for another file");
        }

        var config = new PlexSyncConfig();
        await AskStashAsync(config, parse, asker, cancellationToken);
        var sections = await AskPlexAsync(config, parse, asker, cancellationToken);
        config.Plex.Sections = [.. await ChooseSectionsAsync(sections, parse.GetValue(SectionOption) ?? [], asker)];
        var mappings = await ProposeMappingsAsync(config, sections, asker, cancellationToken);

        var answers = new InitAnswers
        {
            StashUrl = config.Stash.Url,
            PlexUrl = config.Plex.Url,
            Sections = config.Plex.Sections,
            Mappings = mappings,
            TemporalAddress = parse.GetValue(TemporalOption),
            TaskQueue = parse.GetValue(TaskQueueOption),
        };
        if (secrets == SecretsInFiles)
        {
            var directory = Path.GetDirectoryName(output)!;
            answers = answers with
            {
                StashApiKeyFile = config.Stash.ApiKey.IsEmpty ? null : SecretFile.Write(Path.Combine(directory, "plexsync-stash-api-key"), config.Stash.ApiKey),
                PlexTokenFile = SecretFile.Write(Path.Combine(directory, "plexsync-plex-token"), config.Plex.Token),
            };
        }

        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, ConfigWriter.Render(ConfigWriter.Example(), answers), cancellationToken);

        // What was written must load: a mistake here would otherwise surface at the worker's start.
        ConfigLoader.Load(output, _ => null, needPlex: secrets == SecretsInFiles);
        AnsiConsole.MarkupLineInterpolated($"Wrote [bold]{output}[/].");
        if (secrets == SecretsInFiles)
        {
            AnsiConsole.WriteLine("The API key and token are in files beside it, readable only by you (api_key_file, token_file).");
        }
        else
        {
            AnsiConsole.WriteLine("Set PLEXSYNC_PLEX_TOKEN (and PLEXSYNC_STASH_API_KEY when Stash has a login) in the environment of every plexsync process.");
        }

        var flag = Path.GetFileName(output) == ConfigLoader.DefaultFileName && Path.GetDirectoryName(output) == Environment.CurrentDirectory ? "" : $" --config {output}";
        AnsiConsole.WriteLine($"Next: `plexsync check{flag}`, then `plexsync reconcile --all --dry-run{flag}`, then `plexsync worker{flag}`.");
        return ExitCodes.Success;
    }

    private static async Task AskStashAsync(PlexSyncConfig config, ParseResult parse, Asker asker, CancellationToken ct)
    {
        var url = parse.GetValue(StashUrlOption);
        var key = parse.GetValue(StashKeyOption) ?? Environment.GetEnvironmentVariable("PLEXSYNC_STASH_API_KEY");
        for (var attempt = 1; ; attempt++)
        {
            url ??= await asker.TextAsync("Stash URL", new StashConfig().Url);
            var uri = Url(url, "Stash");
            key ??= await asker.SecretAsync("Stash API key (Settings > Security > API Key; empty when Stash has no login)");
            var stash = StashClient.Create(new StashClientOptions { Url = uri, ApiKey = key, Timeout = ProbeTimeout });
            var line = (await ServiceProbe.StashAsync(stash, uri, key.Length > 0, ct))
                .Advise(CheckProblem.KeyMissing, "give it (--stash-api-key, or PLEXSYNC_STASH_API_KEY)");
            if (Report(line, asker, attempt))
            {
                config.Stash.Url = uri.ToString().TrimEnd('/');
                config.Stash.ApiKey = new Secret(key);
                return;
            }

            // A refused key is asked again; anything else is the address.
            if (line.CredentialsRefused)
            {
                key = null;
            }
            else
            {
                url = null;
            }
        }
    }

    private static async Task<IReadOnlyList<PlexSection>> AskPlexAsync(PlexSyncConfig config, ParseResult parse, Asker asker, CancellationToken ct)
    {
        var url = parse.GetValue(PlexUrlOption);
        var token = parse.GetValue(PlexTokenOption) ?? Environment.GetEnvironmentVariable("PLEXSYNC_PLEX_TOKEN");
        for (var attempt = 1; ; attempt++)
        {
            url ??= await asker.TextAsync("Plex URL", new PlexConfig().Url);
            var uri = Url(url, "Plex");
            token ??= await asker.SecretAsync("Plex token (X-Plex-Token)");
            var plex = PlexClient.Create(new PlexClientOptions { Url = uri, Token = token, Timeout = ProbeTimeout });
            var (line, sections) = await ServiceProbe.PlexAsync(plex, uri, ct);
            if (Report(line, asker, attempt))
            {
                config.Plex.Url = uri.ToString().TrimEnd('/');
                config.Plex.Token = new Secret(token);
                return sections;
            }

            if (line.CredentialsRefused)
            {
                token = null;
            }
            else
            {
                url = null;
            }
        }
    }

    private static async Task<IReadOnlyList<string>> ChooseSectionsAsync(IReadOnlyList<PlexSection> sections, string[] given, Asker asker)
    {
        var movies = sections.Where(ServiceProbe.IsMovies).Select(s => s.Title).ToList();
        if (given.Length > 0)
        {
            var line = ServiceProbe.Sections(given, sections).Advise(CheckProblem.Sections, "name those that hold your Stash files with --section");
            return line.Ok ? given : throw new UserFacingException(line.Detail);
        }

        switch (movies.Count)
        {
            case 0:
                throw new UserFacingException("Plex has no movie library: add one holding your Stash files (Plex: Add Library > Movies), then run init again");
            case 1:
                AnsiConsole.MarkupLineInterpolated($"Plex section: [bold]{movies[0]}[/] (its only movie section)");
                return movies;
            default:
                return asker.Interactive
                    ? await asker.ChooseAsync("Which Plex movie sections hold your Stash files?", movies)
                    : throw new UserFacingException($"Plex has several movie sections ({string.Join(", ", movies)}): name those holding your Stash files with --section");
        }
    }

    // Matches a sample of scenes with no mapping, as a sync would, and proposes the mappings that make them match by path.
    private static async Task<IReadOnlyList<Domain.PathMapping>> ProposeMappingsAsync(
        PlexSyncConfig config, IReadOnlyList<PlexSection> sections, Asker asker, CancellationToken ct)
    {
        using var clients = new DirectClients(config);
        var plexFiles = await SetupCheck.PlexFilesAsync(clients.Plex, sections, config.Plex.Sections, ct);

        var survey = await AnsiConsole.Status().StartAsync("Matching a sample of Stash's scenes to Plex's files...", _ =>
            MatchSurvey.TakeAsync(clients.Planner, clients.Stash, Sample, plexFiles, ct));
        if (survey.Sampled == 0)
        {
            AnsiConsole.WriteLine("Stash has no scenes yet: no path mappings proposed (run `plexsync check` once it has).");
            return [];
        }

        if (survey.Suggestion is not { } proposal)
        {
            AnsiConsole.WriteLine(survey.ByPath == survey.Sampled
                ? $"All {survey.Sampled} sampled scenes match Plex by path: no path mappings needed."
                : $"{survey.ByPath} of {survey.Sampled} sampled scenes match Plex by path and no mapping would match more; `plexsync check` lists the others.");
            return [];
        }

        AnsiConsole.WriteLine($"Stash and Plex see the files under different folders. With these path mappings {proposal.Matched} of the {survey.Sampled} sampled scenes match by path (without: {survey.ByPath}):");
        AnsiConsole.WriteLine(ConfigWriter.MappingsYaml(proposal.Mappings));
        return await asker.ConfirmAsync("Use these path mappings?", true) ? proposal.Mappings : [];
    }

    private static Uri Url(string text, string service)
    {
        var value = text.Contains("://", StringComparison.Ordinal) ? text.Trim() : "http://" + text.Trim();
        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new UserFacingException($"{service} URL \"{text}\" is not an http(s) address such as http://localhost:9999");
    }

    // Prints a check's outcome; a failure ends a non-interactive run, and an interactive one after a few tries.
    private static bool Report(CheckLine line, Asker asker, int attempt)
    {
        if (line.Ok)
        {
            AnsiConsole.MarkupLineInterpolated($"[green]ok[/] {line.Name}: {line.Detail}");
            return true;
        }

        if (!asker.Interactive || attempt >= Attempts)
        {
            throw new UserFacingException(line.Detail);
        }

        AnsiConsole.MarkupLineInterpolated($"[red]{line.Name}:[/] {line.Detail}");
        return false;
    }

    /// <summary>Spectre.Console's prompts when a person answers; without one, each question has no answer but its default.</summary>
    private sealed class Asker(bool interactive, CancellationToken cancellationToken)
    {
        public bool Interactive => interactive;

        public Task<string> TextAsync(string question, string fallback) =>
            interactive ? new TextPrompt<string>(question).DefaultValue(fallback).ShowAsync(AnsiConsole.Console, cancellationToken) : Task.FromResult(fallback);

        public Task<string> SecretAsync(string question) =>
            interactive ? new TextPrompt<string>(question).Secret().AllowEmpty().ShowAsync(AnsiConsole.Console, cancellationToken) : Task.FromResult("");

        public Task<bool> ConfirmAsync(string question, bool fallback) =>
            interactive ? new ConfirmationPrompt(question) { DefaultValue = fallback }.ShowAsync(AnsiConsole.Console, cancellationToken) : Task.FromResult(fallback);

        public async Task<IReadOnlyList<string>> ChooseAsync(string question, IReadOnlyList<string> choices) =>
            await new MultiSelectionPrompt<string>().Title(question).InstructionsText("(space to choose, enter to accept)").AddChoices(choices)
                .ShowAsync(AnsiConsole.Console, cancellationToken);
    }
}

/// <summary>A credential written to a file only its owner can read.</summary>
internal static class SecretFile
{
    /// <summary>Writes the secret (mode 0600 on Unix) and returns the file's path.</summary>
    public static string Write(string path, Secret secret)
    {
        if (!OperatingSystem.IsWindows())
        {
            if (File.Exists(path))
            {
                // An existing file keeps its mode on open: narrow it before the secret goes in.
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            using var stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            using var writer = new StreamWriter(stream);
            writer.Write(secret.Reveal());
        }
        else
        {
            File.WriteAllText(path, secret.Reveal());
        }

        return path;
    }
}
