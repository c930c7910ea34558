using System.CommandLine;
using System.Text;
using Custodes.Application.SupplyChain;
using Custodes.Cli.SupplyChain;
using Custodes.Common;
using Custodes.SupplyChain;

namespace Custodes.Cli.Portfolio;

/// <summary><c>custodes portfolio import|validate|export</c>: store a portfolio in the installation, check a file, write it back as YAML or JSON.</summary>
internal static class PortfolioCommand
{
    public static Command Create()
    {
        var command = new Command("portfolio", "Organizations, tools and provider relationships (custodes.portfolio/v1).");
        command.Subcommands.Add(Import());
        command.Subcommands.Add(Validate());
        command.Subcommands.Add(Export());
        return command;
    }

    private static Command Import()
    {
        var file = new Argument<string>("file") { Description = "A custodes.portfolio/v1 file (YAML or JSON)." };
        var crm = new Option<string[]>("--crm") { Description = "Providers' responsibility matrices (custodes.crm/v1) to store with the portfolio; repeat for each provider.", AllowMultipleArgumentsPerToken = true };
        var org = PortfolioSource.OrgOption();
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("import", "Validate a portfolio file (and its providers' matrices) whole and store it as the organization's portfolio (a new version; nothing is stored when anything is invalid).") { file, crm, org, json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var path = parse.GetValue(file)!;
            var portfolio = DocumentFiles.ReadPortfolio(path);
            var matrices = (parse.GetValue(crm) ?? []).Select(path => MatrixUpload.Parse(DocumentFiles.ReadBytes(path, ResponsibilityMatrixFile.MaxBytes, "a responsibility matrix"), path)).ToArray();
            var workspace = await store.OpenAsync(parse, ct);
            var owner = await PortfolioSource.OwnerAsync(workspace, parse.GetValue(org), ct);
            var version = await workspace.Get<Application.SupplyChain.PortfolioStore>().ImportAsync(owner, portfolio, matrices, path, ct);
            if (reporter.Json) reporter.WriteJson(new { version, organizations = portfolio.Organizations.Count, tools = portfolio.Tools.Count, relationships = portfolio.Relationships.Count, matrices = matrices.Length });
            else reporter.Line($"imported portfolio version {version}: {portfolio.Organizations.Count} organizations, {portfolio.Tools.Count} tools, {portfolio.Relationships.Count} relationships, {matrices.Length} responsibility matrices");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Validate()
    {
        var file = new Argument<string>("file") { Description = "A custodes.portfolio/v1 file (YAML or JSON)." };
        var json = CommonOptions.Json();
        var command = new Command("validate", "Check a portfolio file: references, enum values, tool operators, provider cycles. Exit 2 names the first problem.") { file, json };
        command.SetHandler(json, (parse, reporter) =>
        {
            var portfolio = DocumentFiles.ReadPortfolio(parse.GetValue(file)!);
            var kinds = portfolio.Organizations.ToDictionary(o => o.Id, o => o.Kind, StringComparer.Ordinal);
            var summary = new
            {
                valid = true,
                organizations = portfolio.Organizations.Count,
                providers = portfolio.Organizations.Count(o => o.Kind.IsProvider()),
                customers = portfolio.Organizations.Count(o => !o.Kind.IsProvider()),
                tools = portfolio.Tools.Count,
                relationships = portfolio.Relationships.Count,
                subcontracts = portfolio.Relationships.Count(r => kinds[r.Customer].IsProvider()),
            };
            if (reporter.Json) reporter.WriteJson(summary);
            else reporter.Line($"valid: {summary.organizations} organizations ({summary.providers} providers), {summary.tools} tools, {summary.relationships} relationships ({summary.subcontracts} subcontracts)");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Export()
    {
        var source = new PortfolioSource();
        var format = new Option<string?>("--format") { Description = "yaml or json (default: from --out's extension, else yaml)." };
        var output = new Option<string?>("--out") { Description = "Write to this file instead of stdout." };
        var command = new Command("export", "Write the portfolio as custodes.portfolio/v1 YAML or JSON (reads back to the same portfolio).") { format, output };
        source.AddTo(command);
        command.SetHandler(null, async (parse, reporter, ct) =>
        {
            var portfolio = await source.LoadAsync(parse, ct);
            var outPath = parse.GetValue(output);
            var chosen = parse.GetValue(format) ?? (outPath is not null && outPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "json" : "yaml");
            var bytes = chosen switch
            {
                "json" => PortfolioFile.ToJson(portfolio),
                "yaml" => PortfolioFile.ToYaml(portfolio),
                _ => throw new BadInputException($"unknown format '{chosen}'; expected yaml or json"),
            };
            if (outPath is null) reporter.Out.Write(Encoding.UTF8.GetString(bytes));
            else File.WriteAllBytes(outPath, bytes);
            return ExitCodes.Ok;
        });
        return command;
    }
}
