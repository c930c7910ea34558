using System.CommandLine;

namespace Custodes.Cli;

/// <summary>Every top-level verb, one folder each under Cli/.</summary>
public static class Verbs
{
    public static IEnumerable<Command> All() =>
    [
        Catalog.CatalogCommand.Create(),
        Score.ScoreCommand.Create(),
        Portfolio.PortfolioCommand.Create(),
        SupplyChain.SupplyChainCommand.Create(),
        Questionnaire.QuestionnaireCommand.Create(),
    ];
}
