using System.Security.Cryptography;
using Custodes.Application;
using Custodes.Application.Assessments;
using Custodes.Assessments;
using Custodes.Common;
using Custodes.Reports;
using Microsoft.AspNetCore.Http.Features;

namespace Custodes.Web.Api;

/// <summary>A file that was read but cannot be used as asked (a cell with an unknown id, an OSCAL document of another model, another
/// organization's workbook): HTTP 422 with where the problem is.</summary>
public sealed class UnprocessableException(BadInputException inner) : Exception(inner.Message, inner)
{
    public BadInputException Located => inner;
}

/// <summary>What an import changed.</summary>
public sealed record ImportResult(Guid Id, int Version, string Kind, string File, int ChangedRequirements, int ChangedObjectives, int PoamItems, int? Score);

/// <summary>Imports an edited workbook, a CSV or an OSCAL document into a stored assessment: all of it as one new version, or nothing
/// (the API and the workspace page both come here).</summary>
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
            Assessments.Scoring.ScoreAssessment.Score(parsed.Resolution, after.Ssp, after.AssessedOn).Score);
    }

    public static string KindName(ImportKind kind) => kind switch
    {
        ImportKind.Workbook => "workbook",
        ImportKind.Csv => "csv",
        _ => "oscal",
    };

    /// <summary>The kind of an upload from its file name, then its content type; null when neither says.</summary>
    public static ImportKind? KindOf(string? fileName, string? contentType)
    {
        var extension = Path.GetExtension(fileName ?? "").ToLowerInvariant();
        if (extension == ".xlsx") return ImportKind.Workbook;
        if (extension == ".csv") return ImportKind.Csv;
        if (extension == ".json") return ImportKind.Oscal;
        var media = (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        return media switch
        {
            ReportsApi.XlsxType => ImportKind.Workbook,
            "text/csv" => ImportKind.Csv,
            "application/json" or "application/oscal+json" => ImportKind.Oscal,
            _ => null,
        };
    }

    private static int Changed(IReadOnlyDictionary<string, Finding> before, IReadOnlyDictionary<string, Finding> after) =>
        before.Keys.Union(after.Keys).Count(k => !Same(before.GetValueOrDefault(k), after.GetValueOrDefault(k)));

    private static bool Same(Finding? a, Finding? b) =>
        a is null || b is null ? a is null && b is null
        : a.Status == b.Status && a.Partial == b.Partial && a.Note == b.Note && a.Evidence.SequenceEqual(b.Evidence) && a.Methods.SequenceEqual(b.Methods);
}

/// <summary>Reads an import upload: the raw body (its Content-Type names the kind) or a <c>multipart/form-data</c> form with a <c>file</c> field.</summary>
public static class ImportUpload
{
    public sealed record Upload(ImportKind Kind, byte[] Content, string FileName);

    public static async Task<Upload> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var largest = Enum.GetValues<ImportKind>().Max(ImportInto.MaxBytes);
        if (request.HasFormContentType)
        {
            if (request.ContentLength > largest + 64 * 1024) throw TooLarge(largest);
            if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = largest + 64 * 1024;
            var form = await MultipartForm.ReadAsync(request, largest + 64 * 1024, () => TooLarge(largest), cancellationToken);
            var file = MultipartForm.File(form) ?? throw MultipartForm.NoFile("send the file in a form field named 'file'");
            var kind = AssessmentImports.KindOf(file.FileName, file.ContentType) ?? throw Unsupported(file.FileName);
            if (file.Length > ImportInto.MaxBytes(kind)) throw TooLarge(ImportInto.MaxBytes(kind));
            if (file.Length == 0) throw new BadInputException($"{file.FileName} is empty", path: "file");
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            return new Upload(kind, buffer.ToArray(), Path.GetFileName(file.FileName));
        }
        var rawKind = AssessmentImports.KindOf(null, request.ContentType) ?? throw Unsupported(null);
        var content = await RequestBody.ReadAsync(request, ImportInto.MaxBytes(rawKind), cancellationToken);
        if (content.Length == 0) throw new BadInputException("the request body is empty; send the file as the body", "request body");
        return new Upload(rawKind, content, rawKind switch { ImportKind.Workbook => "upload.xlsx", ImportKind.Csv => "upload.csv", _ => "upload.json" });
    }

    private static BadHttpRequestException TooLarge(long maxBytes) =>
        new($"the file is larger than {EvidenceUpload.Describe(maxBytes)}, the most an import reads", StatusCodes.Status413PayloadTooLarge);

    private static BadHttpRequestException Unsupported(string? fileName) =>
        new($"{(fileName is null ? "this Content-Type" : $"'{fileName}'")} is not an importable file: send an assessment workbook (.xlsx, {ReportsApi.XlsxType}), " +
            "a requirements or objectives CSV (.csv, text/csv) or an OSCAL system-security-plan or assessment-results (.json, application/json)",
            StatusCodes.Status415UnsupportedMediaType);
}
