using System.Security.Cryptography;
using Microsoft.Playwright;
using PlexSync.Workflows;
using PlexSync.Workflows.Encryption;
using Temporalio.Client;
using Temporalio.Testing;

namespace PlexSync.WebUiTests;

/// <summary>
/// What an operator with encryption on runs: a dev server with its Web UI, whose codec endpoint is
/// `plexsync codec-server` (the UI decrypts payloads through it), and headless Chromium from the
/// system's package. Nothing is downloaded: without Chromium the tests skip and say why.
/// </summary>
public sealed class WebUiFixture : IAsyncLifetime
{
    /// <summary>Debian's Chromium (`apt-get install chromium`), which .ci/run installs.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private WorkflowEnvironment? server;
    private PlexSyncProcess? codecServer;
    private IPlaywright? playwright;
    private IBrowser? browser;

    /// <summary>Gets the key list the client, the workers and the codec server share (encryption.keys).</summary>
    public string Keys { get; } = $"webui={Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}";

    public ITemporalClient Client => server?.Client ?? throw new InvalidOperationException("the dev server has not started");

    /// <summary>Gets the Web UI's address, as an operator opens it.</summary>
    public Uri Ui { get; private set; } = new("http://127.0.0.1/");

    public static bool HasChromium => File.Exists(ChromiumPath);

    public IBrowser Browser => browser ?? throw new InvalidOperationException($"no browser: {ChromiumPath} is missing");

    /// <summary>Gets where each test's screenshots go: beside the test assembly, kept after the run.</summary>
    public string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "webui-screenshots");

    public async Task InitializeAsync()
    {
        if (!HasChromium)
        {
            return; // every test skips
        }

        var codec = AesGcmPayloadCodec.Parse(Keys);
        var uiPort = LocalPorts.Free();
        string[] origins = [$"http://127.0.0.1:{uiPort}", $"http://localhost:{uiPort}"];
        var codecAddress = new Uri($"http://127.0.0.1:{LocalPorts.Free()}");
        codecServer = PlexSyncProcess.Start(
            ["codec-server", "--listen", codecAddress.Authority, .. origins.SelectMany(o => new[] { "--origin", o })],
            new Dictionary<string, string> { ["PLEXSYNC_CONFIG"] = "", ["PLEXSYNC_ENCRYPTION_KEYS"] = Keys });
        await codecServer.WaitForLogAsync("Codec server listening", TimeSpan.FromMinutes(1));
        server = await WorkflowEnvironment.StartLocalAsync(
            TestServers.Options(uiPort: uiPort, dataConverter: PayloadJson.Converter(codec), uiCodecEndpoint: codecAddress));
        Ui = new Uri($"http://127.0.0.1:{uiPort}/");
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (server is not null)
        {
            await server.ShutdownAsync();
        }

        if (codecServer is not null)
        {
            await codecServer.DisposeAsync();
        }
    }
}
