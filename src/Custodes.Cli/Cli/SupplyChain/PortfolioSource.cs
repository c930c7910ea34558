using System.CommandLine;
using Custodes.Common;
using Custodes.Storage.SupplyChain;
using Custodes.SupplyChain;

namespace Custodes.Cli.SupplyChain;

/// <summary>Where supply-chain commands get the portfolio: a file given with <c>--portfolio</c>, else the installation's latest imported one.</summary>
public sealed class PortfolioSource
{
    public Option<string?> File { get; } = new("--portfolio") { Description = "A custodes.portfolio/v1 file (YAML or JSON); default: the portfolio last imported into the installation with 'custodes portfolio import'." };
    public InstallationOptions Store { get; } = new();

    public void AddTo(Command command)
    {
        command.Options.Add(File);
        Store.AddTo(command);
    }

    /// <summary>Loads and validates the portfolio the command was given.</summary>
    public async Task<Custodes.SupplyChain.Portfolio> LoadAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        if (parse.GetValue(File) is { } file) return PortfolioFile.Load(file);
        var workspace = await Store.OpenAsync(parse, cancellationToken);
        var stored = await new PortfolioStore(workspace.Installation, workspace.Audit, TimeProvider.System).LatestAsync(cancellationToken);
        return stored?.Portfolio ?? throw new BadInputException($"no portfolio in {workspace.Installation.DataDirectory}: import one with 'custodes portfolio import <file>', or pass --portfolio <file>");
    }
}
