using Custodes.Assessments;
using Custodes.Common;
using Custodes.Reports.Oscal;
using Custodes.Reports.Spreadsheets;

namespace Custodes.Reports;

/// <summary>The kinds of file an assessment accepts back after offline edits or from another tool.</summary>
public enum ImportKind
{
    /// <summary>An assessment workbook (<see cref="AssessmentWorkbook"/>): replaces the whole assessment.</summary>
    Workbook,
    /// <summary>A requirements or objectives CSV (<see cref="AssessmentCsv"/>): changes the rows it lists.</summary>
    Csv,
    /// <summary>An OSCAL system-security-plan or assessment-results: replaces the determinations, keeps the POA&amp;M.</summary>
    Oscal,
}

/// <summary>Reads an edited or exchanged file into an existing assessment: the one place that decides what an import changes.</summary>
/// <remarks>The file must be about the same organization and framework (a workbook or OSCAL document of another assessment is refused,
/// not merged). The result is a whole new assessment; callers store it as one new version or not at all.</remarks>
public static class ImportInto
{
    /// <summary>The largest file any import reads.</summary>
    public static long MaxBytes(ImportKind kind) => kind switch
    {
        ImportKind.Workbook => WorkbookImport.MaxBytes,
        ImportKind.Csv => CsvImport.MaxBytes,
        _ => OscalImport.MaxBytes,
    };

    public static Assessment Apply(Assessment existing, ImportKind kind, byte[] bytes, string file)
    {
        switch (kind)
        {
            case ImportKind.Csv:
                return CsvImport.Apply(existing, bytes, file);
            case ImportKind.Workbook:
            {
                var imported = WorkbookImport.Read(bytes, file);
                SameSubject(existing, imported, file, $"{AssessmentWorkbook.SummarySheet}!B:B");
                return imported;
            }
            default:
            {
                var imported = OscalImport.Read(bytes, file);
                SameSubject(existing, imported, file, "$.metadata");
                var merged = existing with
                {
                    Requirements = imported.Requirements,
                    Objectives = imported.Objectives,
                    Ssp = imported.Ssp ?? existing.Ssp,
                    AssessedOn = imported.AssessedOn ?? existing.AssessedOn,
                    Scope = imported.Scope ?? existing.Scope,
                    System = imported.System ?? existing.System,
                    Assessor = imported.Assessor ?? existing.Assessor,
                };
                Resolution.Resolve(merged, (id, message) => throw new BadInputException($"{id}: {message}", file, "$"));
                return merged;
            }
        }
    }

    private static void SameSubject(Assessment existing, Assessment imported, string file, string path)
    {
        if (imported.Framework != existing.Framework)
            throw new BadInputException($"this file is a {imported.Framework} assessment; the assessment it is imported into is {existing.Framework}", file, path);
        if (!string.Equals(imported.Organization.Trim(), existing.Organization.Trim(), StringComparison.OrdinalIgnoreCase))
            throw new BadInputException($"this file is about '{imported.Organization}'; the assessment it is imported into is about '{existing.Organization}'", file, path);
    }
}
