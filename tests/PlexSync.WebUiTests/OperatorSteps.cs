using System.Globalization;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace PlexSync.WebUiTests;

/// <summary>
/// One browser page and the named steps an operator takes on it: after each step a screenshot (and, when
/// the step fails, the page's accessibility tree beside it), with the file's path in the test's output.
/// </summary>
public sealed class OperatorSteps : IAsyncDisposable
{
    /// <summary>The bound of every wait on the page: the UI loads, filters and refreshes well within it.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private readonly IBrowserContext context;
    private readonly string directory;
    private readonly ITestOutputHelper output;
    private readonly List<string> passed = [];

    private OperatorSteps(IBrowserContext context, IPage page, string directory, ITestOutputHelper output)
    {
        this.context = context;
        Page = page;
        this.directory = directory;
        this.output = output;
    }

    public IPage Page { get; }

    /// <summary>Gets the steps that passed, each with its screenshot's file name.</summary>
    public IReadOnlyList<string> Passed => passed;

    /// <summary>Opens a fresh page (no saved UI settings) whose screenshots go to <paramref name="directory"/>.</summary>
    public static async Task<OperatorSteps> OpenAsync(IBrowser browser, string directory, ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(browser);
        Directory.CreateDirectory(directory);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1500, Height = 1000 } });
        context.SetDefaultTimeout((float)Limit.TotalMilliseconds);
        return new OperatorSteps(context, await context.NewPageAsync(), directory, output);
    }

    /// <summary>Runs one step, then saves the page as the step's screenshot.</summary>
    public async Task StepAsync(string name, Func<IPage, Task> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var file = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{passed.Count + 1:00}-{name}"));
        try
        {
            await step(Page);
        }
        catch (Exception)
        {
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = file + "-FAILED.png", FullPage = true });
            await File.WriteAllTextAsync(file + "-FAILED.txt", await Page.Locator("body").AriaSnapshotAsync());
            output.WriteLine($"step {name} FAILED on {Page.Url}; screenshot {file}-FAILED.png, page tree {file}-FAILED.txt");
            throw;
        }

        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = file + ".png", FullPage = true });
        passed.Add($"{name} ({Path.GetFileName(file)}.png)");
        output.WriteLine($"step {name} passed; screenshot {file}.png");
    }

    public async ValueTask DisposeAsync() => await context.DisposeAsync();
}
