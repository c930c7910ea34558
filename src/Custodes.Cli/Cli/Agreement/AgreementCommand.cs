using System.CommandLine;
using System.Text;
using Custodes.Agreements;
using Custodes.Application.Agreements;
using Custodes.Cli.SupplyChain;
using Custodes.Common;

namespace Custodes.Cli.Agreement;

/// <summary><c>custodes agreement import|check|export|set-status</c>: what providers promised their customers (contracts §14), checked against the facts.</summary>
internal static class AgreementCommand
{
    public static Command Create()
    {
        var command = new Command("agreement", "Agreements between a customer and its providers, and the status of each obligation (custodes.agreement/v1).");
        command.Subcommands.Add(Import());
        command.Subcommands.Add(Check());
        command.Subcommands.Add(Export());
        command.Subcommands.Add(SetStatus());
        return command;
    }

    private static Option<string> RequiredOrg() => new("--org") { Description = "The customer organization (id or exact name) that keeps the agreement.", Required = true };

    private static Command Import()
    {
        var file = new Argument<string>("file") { Description = "A custodes.agreement/v1 file (YAML or JSON)." };
        var org = RequiredOrg();
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("import", "Store an agreement for a customer organization (its provider must be in the organization's portfolio) and check it at once; an agreement with the same provider is replaced.") { file, org, json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var path = parse.GetValue(file)!;
            var agreement = DocumentFiles.ReadAgreement(path);
            var workspace = await store.OpenAsync(parse, ct);
            var tenant = await workspace.OperatorForAsync(parse.GetValue(org)!, ct);
            var id = await workspace.Get<ImportAgreement>().HandleAsync(tenant, agreement, path, cancellationToken: ct);
            var stored = await workspace.Get<ListAgreements>().GetAsync(tenant, id, ct);
            if (reporter.Json) reporter.WriteJson(new { id, version = stored.Version, agreements = AgreementCheckReport.From([stored]).Agreements });
            else
            {
                reporter.Line($"imported the agreement with {stored.ProviderName} (version {stored.Version}): {agreement.Obligations.Count} obligations");
                Print(reporter, [stored]);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Check()
    {
        var org = PortfolioSource.OrgOption();
        org.Description = "The customer organization (id or exact name) whose agreements to check; default: every agreement of the installation.";
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("check", "Check agreements against the facts now and print each obligation's status: met, breached (why, since when) or unknown (what is missing).") { org, json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            IReadOnlyList<StoredAgreement> agreements;
            if (parse.GetValue(org) is { } name)
                agreements = await workspace.Get<CheckAgreements>().CheckAsync(await workspace.OperatorForAsync(name, ct), ct);
            else
            {
                await workspace.Get<CheckAgreements>().RecheckAllAsync(ct);
                agreements = await workspace.Get<ListAgreements>().AllAsync(Application.Tenant.InstallationOperator(), ct);
            }
            if (reporter.Json) reporter.WriteJson(AgreementCheckReport.From(agreements));
            else if (agreements.Count == 0) reporter.Line("no agreements: import one with 'custodes agreement import <file> --org <customer>'");
            else Print(reporter, agreements);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Export()
    {
        var org = RequiredOrg();
        var provider = new Option<string>("--provider") { Description = "The provider's id in the portfolio.", Required = true };
        var format = new Option<string?>("--format") { Description = "yaml or json (default: from --out's extension, else yaml)." };
        var output = new Option<string?>("--out") { Description = "Write to this file instead of stdout." };
        var store = new InstallationOptions();
        var command = new Command("export", "Write a stored agreement as custodes.agreement/v1 YAML or JSON (reads back to the same agreement).") { org, provider, format, output };
        store.AddTo(command);
        command.SetHandler(null, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            var tenant = await workspace.OperatorForAsync(parse.GetValue(org)!, ct);
            var stored = await AgreementWithAsync(workspace, tenant, parse.GetValue(provider)!, parse.GetValue(org)!, ct);
            var outPath = parse.GetValue(output);
            var chosen = parse.GetValue(format) ?? (outPath is not null && outPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "json" : "yaml");
            var bytes = chosen switch
            {
                "json" => AgreementFile.ToJson(stored.Agreement),
                "yaml" => AgreementFile.ToYaml(stored.Agreement),
                _ => throw new BadInputException($"unknown format '{chosen}'; expected yaml or json"),
            };
            if (outPath is null) reporter.Out.Write(Encoding.UTF8.GetString(bytes));
            else File.WriteAllBytes(outPath, bytes);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The organization's stored agreement with a provider (by its portfolio id), or not found naming both.</summary>
    private static async Task<StoredAgreement> AgreementWithAsync(Workspace workspace, Custodes.Application.Tenant tenant, string provider, string org, CancellationToken ct) =>
        (await workspace.Get<ListAgreements>().OwnAsync(tenant, ct)).FirstOrDefault(a => a.Agreement.Provider == provider)
            ?? throw new NotFoundException($"no agreement with provider '{provider}' for {org}");

    private static Command SetStatus()
    {
        var org = RequiredOrg();
        var provider = new Option<string>("--provider") { Description = "The provider's id in the portfolio.", Required = true };
        var obligation = new Argument<string>("obligation") { Description = "The id of a free-text obligation." };
        var status = new Argument<string>("status") { Description = "met, breached or unknown." };
        var evidence = new Option<string>("--evidence") { Description = "What shows the status (a document, a date, who confirmed it).", Required = true };
        var store = new InstallationOptions();
        var command = new Command("set-status", "Set the status of a free-text obligation by hand, with its evidence.") { obligation, status, org, provider, evidence };
        store.AddTo(command);
        command.SetHandler(null, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            var tenant = await workspace.OperatorForAsync(parse.GetValue(org)!, ct);
            var stored = await AgreementWithAsync(workspace, tenant, parse.GetValue(provider)!, parse.GetValue(org)!, ct);
            await workspace.Get<SetObligationStatus>().HandleAsync(tenant, stored.Id, parse.GetValue(obligation)!, parse.GetValue(status)!, parse.GetValue(evidence), ct);
            reporter.Line($"{parse.GetValue(obligation)}: {parse.GetValue(status)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Print(Reporter reporter, IReadOnlyList<StoredAgreement> agreements)
    {
        foreach (var a in agreements)
        {
            reporter.Line($"{a.Agreement.Customer} ← {a.ProviderName} ({a.Agreement.Provider}){(a.Agreement.RenewsOn is { } r ? $", renews {r:yyyy-MM-dd}" : "")}");
            foreach (var o in a.Agreement.Obligations)
            {
                var s = a.StatusOf(o);
                var since = s.Since is { } at ? $" since {at.UtcDateTime:yyyy-MM-dd}" : "";
                reporter.Line($"  {AgreementNames.States.Name(s.State),-8} {o.Id}: {s.Reason}{since}");
            }
        }
    }
}
