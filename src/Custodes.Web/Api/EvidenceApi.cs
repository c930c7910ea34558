using Custodes.Application.Evidence;
using Custodes.Common;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Custodes.Web.Api;

/// <summary>Evidence: upload (<c>multipart/form-data</c>) linked to requirements or objectives of an assessment, list, download.</summary>
internal static class EvidenceApi
{
    public static IEndpointRouteBuilder MapEvidenceApi(this IEndpointRouteBuilder app)
    {
        var assessment = app.MapGroup("/api/v1/assessments/{id:guid}/evidence").RequireAuthorization().WithTags("Evidence");
        assessment.MapGet("/", List).WithName("ListEvidence").WithSummary("Evidence linked to the assessment, with the requirements and objectives it supports").ProducesProblem(404);
        // Bearer-authenticated: a browser never sends the key on its own, so there is no cross-site request to forge.
        assessment.MapPost("/", Upload).WithName("UploadEvidence")
            .WithSummary("Upload a file (form fields: file, name (optional, the document's name; a new version when it exists), targets (requirement or objective ids, comma-separated or repeated))")
            .Accepts<IFormFile>("multipart/form-data").DisableAntiforgery().ProducesProblem(400).ProducesProblem(404).ProducesProblem(413);
        app.MapGet("/api/v1/evidence/{evidenceId:guid}", Download).RequireAuthorization().WithTags("Evidence").WithName("DownloadEvidence")
            .WithSummary("Download an evidence file (its content is checked against the recorded SHA-256)").ProducesProblem(404);
        return app;
    }

    /// <summary>An evidence version with what it is linked to.</summary>
    public sealed record EvidenceView(Guid Id, string Name, int Version, string Sha256, string FileName, string ContentType, long Size, DateTime UploadedAt, string UploadedBy, IReadOnlyList<string> Targets, string Download);

    private static async Task<Ok<IReadOnlyList<EvidenceView>>> List(Guid id, HttpContext context, EvidenceStore evidence, Application.Assessments.AssessmentStore store, CancellationToken cancellationToken)
    {
        var tenant = context.User.Tenant();
        await store.GetAsync(tenant, id, cancellationToken);
        var links = await evidence.LinksAsync(tenant, id, cancellationToken);
        var views = links.SelectMany(g => g.Select(item => (item, target: g.Key))).GroupBy(x => x.item.Id)
            .Select(g => View(g.First().item, g.Select(x => x.target).Order().ToArray())).OrderBy(v => v.Name).ThenBy(v => v.Version).ToArray();
        return TypedResults.Ok<IReadOnlyList<EvidenceView>>(views);
    }

    private static async Task<Created<EvidenceView>> Upload(Guid id, HttpRequest request, EvidenceStore evidence, WebOptions web, CancellationToken cancellationToken)
    {
        var tenant = request.HttpContext.User.Tenant();
        var upload = await EvidenceUpload.ReadAsync(request, web.EvidenceMaxBytes, cancellationToken);
        await using var content = upload.File.OpenReadStream();
        var item = await evidence.AddAsync(tenant, content, upload.File.FileName, upload.File.ContentType, upload.Name, id, upload.Targets, cancellationToken);
        return TypedResults.Created($"/api/v1/evidence/{item.Id}", View(item, upload.Targets));
    }

    private static async Task<IResult> Download(Guid evidenceId, HttpContext context, EvidenceStore evidence, CancellationToken cancellationToken)
    {
        var (item, content) = await evidence.OpenAsync(context.User.Tenant(), evidenceId, cancellationToken);
        return TypedResults.Stream(content, item.ContentType, item.FileName, entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{item.Sha256}\""));
    }

    private static EvidenceView View(EvidenceItem item, IReadOnlyList<string> targets) =>
        new(item.Id, item.Name, item.Version, item.Sha256, item.FileName, item.ContentType, item.Size, item.UploadedAt, item.UploadedBy, targets, $"/api/v1/evidence/{item.Id}");
}

/// <summary>Reads an evidence upload form within the size limit, with a clear message when it is over.</summary>
internal static class EvidenceUpload
{
    public sealed record Form(IFormFile File, string? Name, IReadOnlyList<string> Targets);

    public static async Task<Form> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var limit = maxBytes + 64 * 1024; // room for the multipart envelope
        if (request.ContentLength > limit) throw TooLarge(maxBytes);
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = limit;
        if (!request.HasFormContentType) throw new BadInputException("send the file as multipart/form-data with a 'file' field");
        var form = await MultipartForm.ReadAsync(request, limit, () => TooLarge(maxBytes), cancellationToken);
        var file = MultipartForm.File(form) ?? form.Files.FirstOrDefault() ?? throw MultipartForm.NoFile("choose a file");
        if (file.Length > maxBytes) throw TooLarge(maxBytes);
        var targets = form["targets"].SelectMany(t => (t ?? "").Split([',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToArray();
        var name = form["name"].ToString();
        return new Form(file, string.IsNullOrWhiteSpace(name) ? null : name, targets);
    }

    public static BadHttpRequestException TooLarge(long maxBytes) =>
        new($"the file is larger than the evidence limit of {Describe(maxBytes)}; split it or ask the installation's operator to raise Custodes:Web:EvidenceMaxBytes", StatusCodes.Status413PayloadTooLarge);

    public static string Describe(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024.0 * 1024):0.#} MB" : bytes >= 1024 ? $"{bytes / 1024.0:0.#} KB" : $"{bytes} bytes";
}

/// <summary>Reads a <c>multipart/form-data</c> body within a limit, telling a body that is too large (413) from one that is malformed (400).</summary>
/// <remarks>Every <see cref="InvalidDataException"/> of the form reader used to be answered 413 "larger than the evidence limit", whatever
/// was wrong. And a part whose Content-Disposition cannot be parsed — a file name with an unescaped double quote,
/// <c>filename="a"b.pdf"</c> — is skipped by the form reader without a word, so the upload seemed to hold no file. Both now say what
/// is wrong with the file name.</remarks>
internal static class MultipartForm
{
    /// <summary>The file in <paramref name="field"/>, or null when there is none; a field of that name holding text instead is bad input.</summary>
    public static IFormFile? File(IFormCollection form, string field = "file") =>
        form.Files.GetFile(field) ?? (form.ContainsKey(field) ? throw UnreadableFileName(null) : null);

    /// <summary>The answer when an upload holds no file: the file may be there with a name that cannot be read.</summary>
    public static BadInputException NoFile(string what) =>
        new($"no file in the upload; {what}. If you sent one, its name could not be read: a double quote (\") in a file name must be sent " +
            "as %22 (as browsers do) or \\\", or the file renamed without it", path: "file");

    private static BadInputException UnreadableFileName(Exception? inner) =>
        new("the file name in the upload cannot be read, so the file was not recognized: it has a double quote (\") that is not escaped; " +
            "rename the file without the quote, or send the quote as \\\" or %22 (as browsers do)", path: "file", inner: inner);

    public static async Task<IFormCollection> ReadAsync(HttpRequest request, long limit, Func<Exception> tooLarge, CancellationToken cancellationToken)
    {
        try
        {
            return await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = limit }, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw tooLarge();
        }
        catch (InvalidDataException e) when (e.Message.Contains("body length limit", StringComparison.OrdinalIgnoreCase))
        {
            throw tooLarge();
        }
        catch (InvalidDataException e) when (e.Message.Contains("Content-Disposition", StringComparison.OrdinalIgnoreCase)
                                             || e.Message.Contains("value length limit", StringComparison.OrdinalIgnoreCase))
        {
            // Our forms have no field near 4 MB but the file: a value that long is a file read as a field.
            throw UnreadableFileName(e);
        }
        catch (InvalidDataException e)
        {
            throw new BadInputException($"the upload is not a well-formed multipart/form-data body: {e.Message}", path: "file", inner: e);
        }
    }
}
