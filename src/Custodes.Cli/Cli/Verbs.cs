using System.CommandLine;

namespace Custodes.Cli;

/// <summary>Every top-level verb, one folder each under Cli/.</summary>
internal static class Verbs
{
    public static IEnumerable<Command> All() =>
    [
        Catalog.CatalogCommand.Create(),
        Score.ScoreCommand.Create(),
        Assessments.AssessmentCommand.Create(),
        Evidence.EvidenceCommand.Create(),
        Audit.AuditCommand.Create(),
        Admin.AdminCommand.Create(),
        Demo.DemoCommand.Create(),
        Serve.ServeCommand.Create(),
        Export.ExportCommand.Create(),
        Report.ReportCommand.Create(),
        Import.ImportCommand.Create(),
        Portfolio.PortfolioCommand.Create(),
        Agreement.AgreementCommand.Create(),
        SupplyChain.SupplyChainCommand.Create(),
        Questionnaire.QuestionnaireCommand.Create(),
        Watch.WatchCommand.Create(),
        Keys.KeysCommand.Create(),
        Log.LogCommand.Create(),
        Witness.WitnessCommand.Create(),
        Attest.AttestCommand.Create(),
        Trust.TrustCommand.Create(),
    ];
}
