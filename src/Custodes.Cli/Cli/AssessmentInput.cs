using Custodes.Assessment;
using Custodes.Common;

namespace Custodes.Cli;

/// <summary>Reads an assessment file argument (a path, or <c>-</c> for stdin) for any command.</summary>
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
}
