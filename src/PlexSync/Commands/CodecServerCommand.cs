using System.CommandLine;
using PlexSync.Configuration;
using PlexSync.Hosting;
using Serilog;

namespace PlexSync.Commands;

/// <summary>`plexsync codec-server`: the payload codec over HTTP, for the Temporal Web UI.</summary>
internal sealed class CodecServerCommand : PlexSyncCommand
{
    private static readonly Option<ListenAddress> ListenOption = new("--listen")
    {
        Description = "Address to listen on (host:port; :8081 for every interface)",
        DefaultValueFactory = _ => new ListenAddress("127.0.0.1", 8081),
        CustomParser = OptionValues.Listen,
    };

    private static readonly Option<string[]> OriginOption = new("--origin")
    {
        Description = "A Web UI origin allowed to call it (repeatable)",
        DefaultValueFactory = _ => ["http://localhost:8233", "http://127.0.0.1:8233", "http://localhost:8080"],
    };

    private static readonly Option<string?> TokenFileOption = new("--token-file")
    {
        Description = "A file holding a bearer token that callers must send (Authorization: Bearer TOKEN)",
    };

    public CodecServerCommand()
        : base("codec-server", "Serve the payload codec so that the Temporal Web UI can show encrypted payloads")
    {
        Description =
            """
            With encryption on (encryption.keys or encryption.keys_file), Temporal stores every payload
            and failure message encrypted and the Web UI shows ciphertext. This serves the codec
            (POST /encode, /decode) for the UI: set this server's URL as the codec endpoint in the UI's
            settings, or start `plexsync dev --ui-codec-endpoint URL`. Only the given UI origins may
            call it from a browser; with --token-file, requests must also carry
            "Authorization: Bearer <token>". Keep it on a trusted network: it decrypts for whoever
            may call it. Payload contents are never logged.

              plexsync codec-server --listen 127.0.0.1:8081 --origin http://localhost:8233
            """;
        Options.Add(ListenOption);
        Options.Add(OriginOption);
        Options.Add(TokenFileOption);
        SetAction(RunAsync);
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var context = CommandContext.Load(parse, needPlex: false);
        var codec = PayloadEncryption.CreateCodec(context.Config.Encryption)
            ?? throw new UserFacingException("encryption is off: set encryption.keys, encryption.keys_file, PLEXSYNC_ENCRYPTION_KEYS or PLEXSYNC_ENCRYPTION_KEYS_FILE");
        var token = await ReadTokenAsync(parse.GetValue(TokenFileOption), cancellationToken);
        var origins = parse.GetValue(OriginOption) ?? [];
        using var server = CodecServer.Start(codec, parse.GetValue(ListenOption)!, origins, token);
        Log.Information(
            "Codec server listening on {Address} for origins {Origins}; bearer token {TokenRequired}; encrypting with key {KeyId}",
            server.Address, origins, token is null ? "not required" : "required", codec.CurrentKeyId);
        await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        return ExitCodes.Success;
    }

    private static async Task<string?> ReadTokenAsync(string? file, CancellationToken cancellationToken)
    {
        if (file is null)
        {
            return null;
        }

        string token;
        try
        {
            token = (await File.ReadAllTextAsync(file, cancellationToken)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserFacingException($"--token-file: cannot read {file}: {e.Message}", e);
        }

        return token.Length > 0 ? token : throw new UserFacingException($"--token-file: {file} is empty");
    }
}
