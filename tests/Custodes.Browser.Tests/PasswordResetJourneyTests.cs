using System.Text;
using System.Text.RegularExpressions;
using Custodes.Application;
using Custodes.Testing;
using MimeKit;
using static Microsoft.Playwright.Assertions;

namespace Custodes.Browser.Tests;

public sealed class PasswordResetJourneyTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task A_forgotten_password_is_reset_through_the_emailed_link_and_the_old_session_ends(DatabaseProvider provider)
    {
        await using var sink = new SmtpSink();
        await using var server = await AppServer.StartAsync(provider, new Dictionary<string, string?>
        {
            ["Custodes:Alerting:PublicUrl"] = "https://custodes.example",
            ["Custodes:Smtp:Host"] = "127.0.0.1",
            ["Custodes:Smtp:Port"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Custodes:Smtp:Security"] = "none",
            ["Custodes:Smtp:From"] = "Custodes <accounts@custodes.example>",
        });
        var (_, email, _) = await server.NewAccountAsync("Smile Dental Group", "customer");

        // A session left open somewhere (the office PC).
        await using var office = await Browser.LaunchAsync($"reset-office-{provider}".ToLowerInvariant());
        var officePage = await office.PageAsync();
        await server.SignInAsync(officePage, email);
        await Expect(officePage.Locator("h1")).ToContainTextAsync("Smile Dental Group");

        await using var browser = await Browser.LaunchAsync($"reset-{provider}".ToLowerInvariant());
        var page = await browser.PageAsync();
        await page.GotoAsync(server.Url("/account/sign-in"));
        await page.ClickAsync("text=Forgot your password?");
        await page.FillAsync("#email", email);
        await page.ClickAsync("main button[type=submit]");
        await Expect(page.Locator("#reset-sent")).ToContainTextAsync("If an account uses that email");
        await browser.ShotAsync(page, "reset-requested");

        var message = await sink.NextAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([email], message.Recipients);
        var text = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(message.Data))).TextBody ?? "";
        var link = Regex.Match(text, @"https://custodes\.example(/account/reset-password\?token=\S+)").Groups[1].Value;
        Assert.NotEmpty(link);

        await page.GotoAsync(server.Url(link));
        await Expect(page.Locator("main")).ToContainTextAsync(email);
        await page.FillAsync("#password", "password1234");
        await Expect(page.Locator("#password-strength span")).ToContainTextAsync("Too weak");
        await page.FillAsync("#confirm", "password1234");
        await page.ClickAsync("main button[type=submit]");
        await Expect(page.Locator("[role=alert]")).ToContainTextAsync("most often found in breaches");

        const string next = "violet kayak under the lighthouse";
        await page.FillAsync("#password", next);
        await Expect(page.Locator("#password-strength meter")).ToHaveAttributeAsync("value", new Regex("[34]"));
        await browser.ShotAsync(page, "reset-new-password");
        await page.FillAsync("#confirm", next);
        await page.ClickAsync("main button[type=submit]");
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Your password is changed");

        await server.SignInAsync(page, email, next);
        await Expect(page.Locator("h1")).ToContainTextAsync("Smile Dental Group");

        await officePage.ReloadAsync();
        await Expect(officePage).ToHaveURLAsync(new Regex("/account/sign-in"));
        await page.GotoAsync(server.Url(link));
        await Expect(page.Locator("#link-invalid")).ToBeVisibleAsync();
    }
}
