using System.Text.Json;
using Microsoft.Playwright;

namespace Custodes.Browser.Tests;

/// <summary>
/// Checks a page as a phone and a screen reader would meet it: no sideways scrolling at 390 px, and no serious or critical axe-core
/// violation. axe-core comes from npm at test set-up (tests/Custodes.Browser.Tests/package.json, pinned by package-lock.json;
/// <c>scripts/test.sh</c> runs <c>npm ci</c> when it is missing) and is injected with Playwright's AddScriptTagAsync: a test-only tool, never shipped.
/// </summary>
public static class PageChecks
{
    public const int PhoneWidth = 390;

    public static string AxePath => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "node_modules", "axe-core", "axe.min.js"));

    /// <summary>The page's width beyond the viewport (0 when nothing scrolls sideways).</summary>
    public static async Task<int> OverflowAsync(IPage page) =>
        await page.EvaluateAsync<int>("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth");

    /// <summary>The serious and critical axe-core violations on the page, as "rule: target (summary)" lines.</summary>
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page)
    {
        if (!File.Exists(AxePath))
            throw new InvalidOperationException($"{AxePath} is missing: run 'npm ci' in tests/Custodes.Browser.Tests (scripts/test.sh does it)");
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = AxePath });
        var json = await page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ') + ' (' + (n.failureSummary || '').replace(/\\s+/g, ' ') + ')') }))");
        var found = new List<string>();
        foreach (var v in json.EnumerateArray())
        {
            var impact = v.GetProperty("impact").GetString();
            if (impact is not ("serious" or "critical")) continue;
            foreach (var node in v.GetProperty("nodes").EnumerateArray()) found.Add($"{v.GetProperty("id").GetString()} [{impact}]: {node.GetString()}");
        }
        return found;
    }

    /// <summary>Both checks on the page now showing; names the page in the failure.</summary>
    public static async Task AssertPhoneReadyAsync(IPage page, string what)
    {
        var overflow = await OverflowAsync(page);
        Assert.True(overflow <= 0, $"{what} scrolls sideways by {overflow} px at {PhoneWidth} px wide");
        var violations = await SeriousViolationsAsync(page);
        Assert.True(violations.Count == 0, $"{what} has serious accessibility violations:\n{string.Join("\n", violations)}");
    }
}
