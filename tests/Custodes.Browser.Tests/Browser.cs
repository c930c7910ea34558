using Microsoft.Playwright;

namespace Custodes.Browser.Tests;

/// <summary>Debian's Chromium driven by Playwright: a fresh profile per use, screenshots saved under TestResults/screenshots.</summary>
/// <remarks>Playwright's own browser download cannot work here, so the system Chromium is required; without it the tests fail and say how to get it.</remarks>
public sealed class Browser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private static readonly string[] Args =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private readonly IPlaywright _playwright;
    private readonly string _profile;
    private int _shots;

    private Browser(IPlaywright playwright, IBrowserContext context, string profile, string name)
    {
        _playwright = playwright;
        Context = context;
        _profile = profile;
        Name = name;
    }

    public IBrowserContext Context { get; }
    public string Name { get; }

    public static string ScreenshotDirectory => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "TestResults", "screenshots"));

    /// <param name="bypassCsp">Lets a test inject a script tag (axe-core, <see cref="PageChecks"/>) into pages whose policy allows only the app's own scripts.</param>
    public static async Task<Browser> LaunchAsync(string name, bool javaScript = true, int width = 1280, int height = 900, bool bypassCsp = false)
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: the browser tests need Debian's Chromium. Run scripts/test.sh, which installs it, or: apt-get install -y chromium");
        var playwright = await Playwright.CreateAsync();
        var profile = Path.Combine(Path.GetTempPath(), $"custodes-chromium-{Guid.NewGuid():N}");
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = Args,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
            JavaScriptEnabled = javaScript,
            BypassCSP = bypassCsp,
            Timeout = 60_000,
        });
        context.SetDefaultTimeout(15_000);
        return new Browser(playwright, context, profile, name);
    }

    public async Task<IPage> PageAsync() => Context.Pages.FirstOrDefault() ?? await Context.NewPageAsync();

    /// <summary>Saves a full-page screenshot as a test artifact.</summary>
    public async Task ShotAsync(IPage page, string what)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, $"{Name}-{++_shots:00}-{what}.png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
