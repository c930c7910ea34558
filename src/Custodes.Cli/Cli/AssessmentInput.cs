using Custodes.Assessment;
using Custodes.Common;

namespace Custodes.Cli;

/// <summary>Reads the assessment argument of any command: a file path, or <c>-</c> for stdin.</summary>
/// <remarks>
/// The one place that turns "&lt;assessment file or id&gt;" (contracts §9) into an assessment: looking up stored assessments by id
/// belongs here, so every command gains it at once.
/// </remarks>
public static class AssessmentInput
{
    public static ParsedAssessment Load(string path)
    {
        if (path != "-") return AssessmentFile.Load(path);
        using var stdin = Console.OpenStandardInput();
        using var buffer = new MemoryStream();
        stdin.CopyTo(buffer);
        return AssessmentFile.Parse(buffer.ToArray(), "<stdin>");
    }

    /// <summary>The assessment with everything reports compute from it (score, CMMC status, POA&amp;M flags).</summary>
    public static Reports.ReportData LoadReport(string path) => Reports.ReportData.From(Load(path));
}
