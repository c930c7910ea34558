using System.CommandLine;
using Custodes.Application.Demo;

namespace Custodes.Cli.Demo;

/// <summary><c>custodes demo</c>: fill an installation with a realistic sample workspace (idempotent).</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("demo", "Create a demo workspace: an assessor firm, an MSP serving dental practices and a defense subcontractor, a full assessment with gaps, POA&M and evidence, a letter attesting it, and a dental practice's supply-chain portfolio.") { json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var w = await store.OpenAsync(parse, ct);
            var summary = await w.Get<DemoWorkspace>().EnsureAsync(ct);
            if (reporter.Json)
            {
                reporter.WriteJson(summary);
                return ExitCodes.Ok;
            }
            reporter.Line(summary.Created ? $"Demo workspace created in {w.Installation.DataDirectory}." : $"The demo workspace already exists in {w.Installation.DataDirectory}; nothing changed.");
            reporter.Line($"Assessment of {DemoWorkspace.MspName}: {summary.Assessment}");
            reporter.Line($"Sign in (password: {DemoWorkspace.Password}):");
            foreach (var s in summary.SignIns) reporter.Line($"  {s.Email,-28} {s.Role,-9} {s.Organization}");
            if (summary.Letter is { } letter)
            {
                reporter.Line($"Letter attesting {DemoWorkspace.MspName}: {letter} (signed with {summary.SigningKeyFile}); {DemoWorkspace.CustomerNames[0]} inherits what it covers.");
                reporter.Line($"  Revoke it to watch the practice's score drop: custodes attest revoke {letter} --reason \"…\" (or Supply chain → Letters as lead@northgate.example)");
            }
            if (summary.ApiKey is not null) reporter.Line($"API key for lead@northgate.example (shown once): {summary.ApiKey}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
