using Custodes.Assessments;
using Custodes.Catalogs;
using Custodes.Common;
using Custodes.Reports.Oscal;
using Custodes.Reports.Spreadsheets;
using Custodes.Reports.Ssp;
using Custodes.SupplyChain;
using Custodes.SupplyChain.Questionnaires;
using Custodes.Watch.Detection;
using Custodes.Watch.Sigma;

namespace Custodes;

/// <summary>Every document the product reads from disk, read in one place: the file is checked (exists, not over the format's
/// size limit), read, and handed to the format's parser in Core with its path as the name errors give.</summary>
/// <remarks>Core's parsers take bytes, so Core does no file I/O (a verifier library can ship it alone). The class lives in
/// namespace <c>Custodes</c>, which every namespace of the product encloses, so callers need no <c>using</c> to find it.</remarks>
public static class DocumentFiles
{
    /// <summary>Reads and validates an assessment file; the name in errors is the path as given.</summary>
    public static ParsedAssessment ReadAssessment(string path) =>
        AssessmentFile.Parse(Read(path, AssessmentFile.MaxBytes, "an assessment file"), path);

    public static Assessment ReadOscal(string path) => OscalImport.Read(Read(path, OscalImport.MaxBytes, "an OSCAL import"), path);

    public static Assessment ReadWorkbook(string path) => WorkbookImport.Read(Read(path, WorkbookImport.MaxBytes, "a workbook"), path);

    public static ImplementationStatements ReadImplementationStatements(string path, Catalog catalog)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new BadInputException("no such file", path);
        if (info.Length > ImplementationStatements.MaxBytes) throw new BadInputException("the file is larger than 8 MiB", path);
        return ImplementationStatements.Parse(ReadAll(path), path, catalog);
    }

    public static Portfolio ReadPortfolio(string path) => PortfolioFile.Parse(Read(path, PortfolioFile.MaxBytes, "a portfolio file"), path);

    public static IReadOnlyList<LetterState> ReadLetterStatuses(string path) =>
        LetterStatusFile.Parse(Read(path, LetterStatusFile.MaxBytes, "a letter-status file"), path);

    public static ResponsibilityMatrix ReadResponsibilityMatrix(string path) =>
        ResponsibilityMatrixFile.Parse(Read(path, ResponsibilityMatrixFile.MaxBytes, "a responsibility matrix"), path);

    /// <summary>A built-in template id or a template file path.</summary>
    public static QuestionnaireTemplate ResolveQuestionnaireTemplate(string idOrFile) =>
        QuestionnaireTemplates.Find(idOrFile) ?? (File.Exists(idOrFile)
            ? QuestionnaireTemplates.Parse(ReadAll(idOrFile), idOrFile)
            : throw new BadInputException($"'{idOrFile}' is neither a built-in template ({string.Join(", ", QuestionnaireTemplates.BuiltIn)}) nor a file"));

    public static WatchSettings ReadWatchSettings(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot read settings: {e.Message}", path, inner: e);
        }
        return WatchSettings.Parse(text, path);
    }

    /// <summary>Rules from files and directories (every <c>.yml</c>/<c>.yaml</c> below a directory, in ordinal order).</summary>
    public static IReadOnlyList<SigmaRule> ReadSigmaRules(IEnumerable<string> paths)
    {
        var documents = new List<(string Yaml, string File)>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*.*", SearchOption.AllDirectories)
                             .Where(f => f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase))
                             .Order(StringComparer.Ordinal))
                    documents.Add((File.ReadAllText(file), file));
            }
            else if (File.Exists(path)) documents.Add((File.ReadAllText(path), path));
            else throw new BadInputException("no such Sigma rule file or directory", path);
        }
        return SigmaLoader.Parse(documents);
    }

    /// <summary>The bytes of a file no larger than <paramref name="maxBytes"/>, for a caller that keeps the text as well as the
    /// parsed document; <paramref name="kind"/> names the format in the error ("a responsibility matrix").</summary>
    public static byte[] ReadBytes(string path, long maxBytes, string kind) => Read(path, maxBytes, kind);

    public static Custodes.Agreements.Agreement ReadAgreement(string path) =>
        Custodes.Agreements.AgreementFile.Parse(Read(path, Custodes.Agreements.AgreementFile.MaxBytes, "an agreement file"), path);

    /// <summary>The bytes of a file no larger than <paramref name="maxBytes"/>; <paramref name="kind"/> names the format in the error.</summary>
    private static byte[] Read(string path, long maxBytes, string kind)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new BadInputException("no such file", path);
        if (info.Length > maxBytes) throw new BadInputException($"the file is {info.Length:N0} bytes; {kind} may be at most {maxBytes:N0} bytes", path);
        return ReadAll(path);
    }

    private static byte[] ReadAll(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot read the file: {e.Message}", path, inner: e);
        }
    }
}
