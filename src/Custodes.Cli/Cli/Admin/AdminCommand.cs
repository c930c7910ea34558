using System.CommandLine;
using Custodes.Application;
using Custodes.Common;

namespace Custodes.Cli.Admin;

/// <summary><c>custodes admin create-org|create-user|create-api-key|list-orgs|reset-password</c>: bootstrap an installation (contracts §6).</summary>
internal static class AdminCommand
{
    public static Command Create()
    {
        var command = new Command("admin", "Bootstrap an installation: organizations, users, API keys.");
        command.Subcommands.Add(CreateOrg());
        command.Subcommands.Add(CreateUser());
        command.Subcommands.Add(CreateApiKey());
        command.Subcommands.Add(ListOrgs());
        command.Subcommands.Add(ResetPasswordCommand.Create());
        return command;
    }

    private static Command CreateOrg()
    {
        var name = new Argument<string>("name") { Description = "The organization's name." };
        var kind = new Option<string>("--kind") { Description = "assessor, msp or customer.", Required = true };
        kind.AcceptOnlyFromAmong([.. OrganizationKinds.All]);
        var store = new InstallationOptions();
        var command = new Command("create-org", "Create an organization (a tenant); prints its id.") { name, kind };
        store.AddTo(command);
        command.SetHandler(null, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            var id = await workspace.Organizations.CreateAsync(parse.GetValue(name)!, parse.GetValue(kind)!, $"cli:{Environment.UserName}", ct);
            reporter.Out.WriteLine(id);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateUser()
    {
        var email = new Argument<string>("email");
        var org = new Option<string>("--org") { Description = "Organization id (or exact name).", Required = true };
        var role = new Option<string>("--role") { Description = "owner, assessor, contributor or viewer.", Required = true };
        role.AcceptOnlyFromAmong([.. Roles.All]);
        var passwordEnv = new Option<string?>("--password-env") { Description = "Name of an environment variable holding the password (never pass it on the command line)." };
        var store = new InstallationOptions();
        var command = new Command("create-user", "Create a user (or add an existing one) in an organization; prints the user id.") { email, org, role, passwordEnv };
        store.AddTo(command);
        command.SetHandler(null, async (parse, reporter, ct) =>
        {
            string? password = null;
            if (parse.GetValue(passwordEnv) is { } variable)
                password = Environment.GetEnvironmentVariable(variable) ?? throw new BadInputException($"environment variable {variable} is not set");
            var workspace = await store.OpenAsync(parse, ct);
            var organization = await workspace.Organizations.ResolveAsync(parse.GetValue(org)!, ct);
            var id = await workspace.Accounts.CreateUserAsync(parse.GetValue(email)!, organization.Id, parse.GetValue(role)!, password, $"cli:{Environment.UserName}", ct);
            reporter.Out.WriteLine(id);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateApiKey()
    {
        var email = new Argument<string>("email");
        var org = new Option<string?>("--org") { Description = "Organization the key acts for, when the user is in several." };
        var name = new Option<string?>("--name") { Description = "A label for the key." };
        var scopes = new Option<string[]>("--scope") { Description = "Limit the key to scopes (e.g. watch:ingest); default: everything the user's role allows.", AllowMultipleArgumentsPerToken = true };
        var store = new InstallationOptions();
        var command = new Command("create-api-key", "Create an API key for a user; prints the key, which is shown this once.") { email, org, name, scopes };
        store.AddTo(command);
        command.SetHandler(null, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            Guid? orgId = parse.GetValue(org) is { } o ? (await workspace.Organizations.ResolveAsync(o, ct)).Id : null;
            var (_, key) = await workspace.Accounts.CreateApiKeyAsync(parse.GetValue(email)!, orgId, parse.GetValue(name) ?? "cli", parse.GetValue(scopes) ?? [], $"cli:{Environment.UserName}", ct);
            reporter.Out.WriteLine(key);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ListOrgs()
    {
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("list-orgs", "List organizations.") { json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            var orgs = await workspace.Organizations.ListAsync(ct);
            if (reporter.Json) reporter.WriteJson(new { organizations = orgs.Select(o => new { o.Id, o.Name, o.Kind }) });
            else foreach (var o in orgs) reporter.Line($"{o.Id}  {o.Kind,-9} {o.Name}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
