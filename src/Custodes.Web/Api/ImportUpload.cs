using Custodes.Common;
using Custodes.Reports;
using Microsoft.AspNetCore.Http.Features;

namespace Custodes.Web.Api;

/// <summary>Reads an import upload: the raw body (its Content-Type names the kind) or a <c>multipart/form-data</c> form with a <c>file</c> field.</summary>
internal static class ImportUpload
{
    public sealed record Upload(ImportKind Kind, byte[] Content, string FileName);

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

    public static async Task<Upload> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var largest = Enum.GetValues<ImportKind>().Max(ImportInto.MaxBytes);
        if (request.HasFormContentType)
        {
            if (request.ContentLength > largest + 64 * 1024) throw TooLarge(largest);
            if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = largest + 64 * 1024;
            var form = await MultipartForm.ReadAsync(request, largest + 64 * 1024, () => TooLarge(largest), cancellationToken);
            var file = MultipartForm.File(form) ?? throw MultipartForm.NoFile("send the file in a form field named 'file'");
            var kind = KindOf(file.FileName, file.ContentType) ?? throw Unsupported(file.FileName);
            if (file.Length > ImportInto.MaxBytes(kind)) throw TooLarge(ImportInto.MaxBytes(kind));
            if (file.Length == 0) throw new BadInputException($"{file.FileName} is empty", path: "file");
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            return new Upload(kind, buffer.ToArray(), Path.GetFileName(file.FileName));
        }
        var rawKind = KindOf(null, request.ContentType) ?? throw Unsupported(null);
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
