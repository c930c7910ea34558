using System.CommandLine;
using Custodes.Assessments;

namespace Custodes.Cli;

/// <summary>The one way a command reads its assessment argument (contracts §9: "assessment file or id"):
/// a file path, <c>-</c> for stdin, or the id of an assessment stored in the installation.</summary>
internal static class AssessmentInput
{
    /// <summary>Reads a file (or stdin); no installation is opened.</summary>
    public static ParsedAssessment LoadFile(string path)
    {
        if (path != "-") return DocumentFiles.ReadAssessment(path);
        using var stdin = Console.OpenStandardInput();
        using var buffer = new MemoryStream();
        stdin.CopyTo(buffer);
        return AssessmentFile.Parse(buffer.ToArray(), "<stdin>");
    }

    /// <summary>Reads a file, or, when the argument is no file but an assessment id, the stored assessment.</summary>
    public static async Task<ParsedAssessment> LoadAsync(string fileOrId, ParseResult parse, InstallationOptions store, CancellationToken cancellationToken)
    {
        if (fileOrId == "-" || File.Exists(fileOrId) || !Guid.TryParse(fileOrId, out var id)) return LoadFile(fileOrId);
        var workspace = await store.OpenAsync(parse, cancellationToken);
        var tenant = await workspace.OperatorForAssessmentAsync(id, cancellationToken);
        var stored = await workspace.Assessments.GetAsync(tenant, id, cancellationToken);
        return AssessmentFile.Validate(stored.Assessment, $"assessment {id}");
    }

    /// <summary>The assessment with everything reports compute from it (score, CMMC status, POA&amp;M flags).</summary>
    public static async Task<Reports.ReportData> LoadReportAsync(string fileOrId, ParseResult parse, InstallationOptions store, CancellationToken cancellationToken) =>
        Reports.ReportData.From(await LoadAsync(fileOrId, parse, store, cancellationToken));
}
