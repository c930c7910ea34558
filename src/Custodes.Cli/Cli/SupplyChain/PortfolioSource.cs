using System.CommandLine;
using Custodes.Common;
using Custodes.Storage.SupplyChain;

namespace Custodes.Cli.SupplyChain;

/// <summary>A portfolio a command works on: from a file, or stored (then with its matrices, links and the installation's letters).</summary>
public sealed record PortfolioInput(Custodes.SupplyChain.Portfolio Portfolio, StoredPortfolio? Stored, Workspace? Workspace);

/// <summary>Where supply-chain commands get the portfolio: a file given with <c>--portfolio</c>, else the one stored in the installation for <c>--org</c>.</summary>
public sealed class PortfolioSource
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
    public async Task<Custodes.SupplyChain.Portfolio> LoadAsync(ParseResult parse, CancellationToken cancellationToken) => (await InputAsync(parse, cancellationToken)).Portfolio;

    public async Task<PortfolioInput> InputAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        if (parse.GetValue(File) is { } file)
        {
            if (parse.GetValue(Org) is not null) throw new BadInputException("give either --portfolio <file> or --org (a stored portfolio), not both");
            return new PortfolioInput(Custodes.SupplyChain.PortfolioFile.Load(file), null, null);
        }
        var workspace = await Store.OpenAsync(parse, cancellationToken);
        var owner = await OwnerAsync(workspace, parse.GetValue(Org), cancellationToken);
        var stored = await workspace.Attestation.Portfolios.LoadAsync(owner, cancellationToken)
            ?? throw new BadInputException($"no portfolio {(owner is null ? "" : $"of {parse.GetValue(Org)} ")}in {workspace.Installation.DataDirectory}: import one with 'custodes portfolio import <file>', or pass --portfolio <file>");
        return new PortfolioInput(stored.Portfolio, stored, workspace);
    }

    /// <summary>The owning organization named by <c>--org</c>, or null (the installation's own portfolio).</summary>
    public static async Task<Guid?> OwnerAsync(Workspace workspace, string? org, CancellationToken cancellationToken) =>
        org is null ? null : (await workspace.Organizations.ResolveAsync(org, cancellationToken)).Id;
}
