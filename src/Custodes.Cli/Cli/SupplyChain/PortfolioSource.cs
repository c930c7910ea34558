using System.CommandLine;
using Custodes.Common;
using Custodes.SupplyChain;

namespace Custodes.Cli.SupplyChain;

/// <summary>Where supply-chain commands get the portfolio: the one place to change when the installation's database holds it.</summary>
public sealed class PortfolioSource
{
    public Option<string?> File { get; } = new("--portfolio") { Description = "A custodes.portfolio/v1 file (YAML or JSON). Until portfolios are stored, required." };
    public Option<string?> DataDir { get; } = CommonOptions.DataDir();
    public Option<string?> Db { get; } = CommonOptions.Db();

    public void AddTo(Command command)
    {
        command.Options.Add(File);
        command.Options.Add(DataDir);
        command.Options.Add(Db);
    }

    /// <summary>Loads and validates the portfolio the command was given.</summary>
    public Custodes.SupplyChain.Portfolio Load(ParseResult parse)
    {
        if (parse.GetValue(File) is { } file) return PortfolioFile.Load(file);
        // Storage of portfolios (custodes portfolio import) is not wired yet: this is where it will be read from --data-dir / --db.
        throw new BadInputException("no portfolio given: pass --portfolio <file> (reading the installation's stored portfolio is not available yet)");
    }
}
