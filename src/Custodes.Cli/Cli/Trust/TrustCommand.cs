using System.CommandLine;
using Custodes.Application.Trust;

namespace Custodes.Cli.Trust;

/// <summary><c>custodes trust publish|unpublish|show</c>: an organization's public trust page (contracts §11), as its owner.</summary>
internal static class TrustCommand
{
    public static Command Create()
    {
        var command = new Command("trust", "An organization's public trust page at /trust/<slug>: publish, unpublish, show.");
        command.Subcommands.Add(Publish());
        command.Subcommands.Add(Unpublish());
        command.Subcommands.Add(Show());
        return command;
    }

    private static Command Publish()
    {
        var org = new Argument<string>("org") { Description = "The organization (id or exact name)." };
        var slug = new Option<string>("--slug") { Description = "The page's address under /trust/: 3 to 63 lowercase letters, digits and hyphens.", Required = true };
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("publish", "Publish (or move) the organization's trust page; prints its address path.") { org, slug, json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            var pages = workspace.Get<TrustPages>();
            var settings = await pages.PublishAsync(await workspace.OperatorForAsync(parse.GetValue(org)!, ct), parse.GetValue(slug), ct);
            if (reporter.Json) reporter.WriteJson(new { published = true, slug = settings.Slug, path = $"/trust/{settings.Slug}" });
            else reporter.Line($"/trust/{settings.Slug}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Unpublish()
    {
        var org = new Argument<string>("org") { Description = "The organization (id or exact name)." };
        var store = new InstallationOptions();
        var command = new Command("unpublish", "Take the organization's trust page down: its address, JSON and badge answer 404 (a running server within seconds).") { org };
        store.AddTo(command);
        command.SetHandler(null, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            var pages = workspace.Get<TrustPages>();
            var removed = await pages.UnpublishAsync(await workspace.OperatorForAsync(parse.GetValue(org)!, ct), ct);
            reporter.Line(removed ? "unpublished" : "was not published");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show()
    {
        var org = new Argument<string>("org") { Description = "The organization (id or exact name)." };
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("show", "Whether the organization's trust page is published, and where.") { org, json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            var pages = workspace.Get<TrustPages>();
            var settings = await pages.SettingsAsync(await workspace.OperatorForAsync(parse.GetValue(org)!, ct), ct);
            if (reporter.Json) reporter.WriteJson(new { published = settings.Published, slug = settings.Slug, published_at = settings.PublishedAt });
            else reporter.Line(settings.Published ? $"/trust/{settings.Slug} (published {settings.PublishedAt:yyyy-MM-dd})" : "not published");
            return ExitCodes.Ok;
        });
        return command;
    }
}
