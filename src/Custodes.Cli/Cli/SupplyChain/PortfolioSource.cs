using System.CommandLine;
using Custodes.Application.SupplyChain;
using Custodes.Common;
using Custodes.SupplyChain;

namespace Custodes.Cli.SupplyChain;

/// <summary>A portfolio a command works on and its graph: from a file, or stored (then with its matrices, links and the installation's letters).</summary>
internal sealed record PortfolioInput(Custodes.SupplyChain.Portfolio Portfolio, PortfolioGraph Graph, StoredPortfolio? Stored, Workspace? Workspace);

/// <summary>Where supply-chain commands get the portfolio: a file given with <c>--portfolio</c>, else the one stored in the installation for <c>--org</c>.</summary>
internal sealed class PortfolioSource
{
    public Option<string?> File { get; } = new("--portfolio") { Description = "A custodes.portfolio/v1 file (YAML or JSON); default: the portfolio stored in the installation with 'custodes portfolio import'." };
    public Option<string?> Org { get; } = OrgOption();
    public InstallationOptions Store { get; } = new();

    public static Option<string?> OrgOption() => new("--org")
    {
        Description = "The organization (id or exact name) whose stored portfolio this is; default: the installation's own portfolio.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(File);
        command.Options.Add(Org);
        Store.AddTo(command);
    }

    /// <summary>Loads and validates the portfolio the command was given.</summary>
    public async Task<Custodes.SupplyChain.Portfolio> LoadAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        if (FileOf(parse) is { } file) return DocumentFiles.ReadPortfolio(file);
        var (workspace, owner) = await OpenAsync(parse, cancellationToken);
        return (await workspace.Get<Application.SupplyChain.PortfolioStore>().LoadAsync(owner, cancellationToken) ?? throw NoPortfolio(parse, workspace, owner)).Portfolio;
    }

    /// <summary>The query graph of the portfolio the command was given: built from the file, or the stored one's, read as the web app reads it (<see cref="PortfolioGraphs"/>).</summary>
    public async Task<PortfolioGraph> GraphAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        if (FileOf(parse) is { } file) return PortfolioGraph.Build(DocumentFiles.ReadPortfolio(file));
        var (workspace, owner) = await OpenAsync(parse, cancellationToken);
        return await workspace.Get<PortfolioGraphs>().GraphAsync(owner, cancellationToken) ?? throw NoPortfolio(parse, workspace, owner);
    }

    /// <summary>The portfolio the command was given and its graph; when it is stored, also its matrices, links and installation.</summary>
    public async Task<PortfolioInput> InputAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        if (FileOf(parse) is { } file)
        {
            var portfolio = DocumentFiles.ReadPortfolio(file);
            return new PortfolioInput(portfolio, PortfolioGraph.Build(portfolio), null, null);
        }
        var (workspace, owner) = await OpenAsync(parse, cancellationToken);
        var loaded = await workspace.Get<PortfolioGraphs>().GetAsync(owner, cancellationToken) ?? throw NoPortfolio(parse, workspace, owner);
        return new PortfolioInput(loaded.Stored.Portfolio, loaded.Graph, loaded.Stored, workspace);
    }

    private string? FileOf(ParseResult parse)
    {
        var file = parse.GetValue(File);
        if (file is not null && parse.GetValue(Org) is not null) throw new BadInputException("give either --portfolio <file> or --org (a stored portfolio), not both");
        return file;
    }

    private async Task<(Workspace Workspace, Application.Tenant Owner)> OpenAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var workspace = await Store.OpenAsync(parse, cancellationToken);
        return (workspace, await OwnerAsync(workspace, parse.GetValue(Org), cancellationToken));
    }

    private BadInputException NoPortfolio(ParseResult parse, Workspace workspace, Application.Tenant owner) =>
        new($"no portfolio {(owner.ForInstallation ? "" : $"of {parse.GetValue(Org)} ")}in {workspace.Installation.DataDirectory}: import one with 'custodes portfolio import <file>', or pass --portfolio <file>");

    /// <summary>The operator acting for the organization named by <c>--org</c>, or for the installation (its own portfolio).</summary>
    public static async Task<Application.Tenant> OwnerAsync(Workspace workspace, string? org, CancellationToken cancellationToken) =>
        org is null ? Application.Tenant.InstallationOperator() : await workspace.OperatorForAsync(org, cancellationToken);
}
