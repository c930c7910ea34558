using System.Security.Cryptography;
using Custodes.Assessments;
using Custodes.Common;
using Custodes.Reports;

namespace Custodes.Application.Assessments;

/// <summary>What an import changed.</summary>
public sealed record ImportResult(Guid Id, int Version, string Kind, string File, int ChangedRequirements, int ChangedObjectives, int PoamItems, int? Score);

/// <summary>Imports an edited workbook, a CSV or an OSCAL document into a stored assessment: all of it as one new version, or nothing
/// (the API, the workspace page and any other host come here). Only a role that edits imports.</summary>
public sealed class AssessmentImports(AssessmentStore store)
{
    public async Task<ImportResult> ApplyAsync(Tenant tenant, Guid id, ImportKind kind, byte[] content, string fileName, int? expectedVersion, CancellationToken cancellationToken)
    {
        tenant.RequireEdit();
        var stored = await store.GetAsync(tenant, id, cancellationToken);
        if (expectedVersion is { } expected && expected != stored.Version)
            throw new PreconditionFailedException($"assessment {id} is at version {stored.Version}, not {expected}: it changed since you read it; nothing was imported");
        // A workbook over the size limits is bad input (400) like an oversized body, not a file read and found unusable (422).
        if (kind == ImportKind.Workbook) Reports.Spreadsheets.XlsxLimits.Check(content, fileName);
        ParsedAssessment parsed;
        try
        {
            var updated = ImportInto.Apply(stored.Assessment, kind, content, fileName);
            // What is stored must read back as a valid assessment file, exactly as an uploaded one would.
            parsed = AssessmentFile.Validate(updated, fileName);
        }
        catch (BadInputException e)
        {
            throw new UnprocessableException(e);
        }
        var name = KindName(kind);
        var source = new { file = fileName, kind = name, bytes = content.Length, sha256 = Convert.ToHexStringLower(SHA256.HashData(content)) };
        // Without If-Match the version read above is the one replaced: a change made meanwhile is refused, never overwritten.
        var version = await store.ReplaceAsync(tenant, id, parsed, expectedVersion ?? stored.Version, cancellationToken, $"assessment.imported_{name}", source);
        var before = stored.Assessment;
        var after = parsed.Assessment;
        return new ImportResult(id, version, name, fileName,
            Changed(before.Requirements, after.Requirements), Changed(before.Objectives, after.Objectives), after.Poam.Count,
            Custodes.Assessments.Scoring.ScoreAssessment.Score(parsed.Resolution, after.Ssp, after.AssessedOn).Score);
    }

    public static string KindName(ImportKind kind) => kind switch
    {
        ImportKind.Workbook => "workbook",
        ImportKind.Csv => "csv",
        _ => "oscal",
    };

    private static int Changed(IReadOnlyDictionary<string, Finding> before, IReadOnlyDictionary<string, Finding> after) =>
        before.Keys.Union(after.Keys).Count(k => !Same(before.GetValueOrDefault(k), after.GetValueOrDefault(k)));

    private static bool Same(Finding? a, Finding? b) =>
        a is null || b is null ? a is null && b is null
        : a.Status == b.Status && a.Partial == b.Partial && a.Note == b.Note && a.Evidence.SequenceEqual(b.Evidence) && a.Methods.SequenceEqual(b.Methods);
}
