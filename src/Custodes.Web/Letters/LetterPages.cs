using System.Text;
using Custodes.Application.Hosting;
using Custodes.Application.Keys;
using Custodes.Application.Letters;
using Custodes.Application.Transparency;
using Custodes.Common;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Http.Features;

namespace Custodes.Web.Letters;

/// <summary>The public pages: a letter (<c>/letters/{id}</c>, the QR code's target) and the verify page (<c>/verify</c>), no sign-in.</summary>
internal static class LetterPages
{
    /// <summary>The largest letter the verify page accepts (a letter is a few KB).</summary>
    public const int MaxLetterBytes = 256 * 1024;

    // Larger uploads are read and discarded up to here (to answer with a page); beyond, the connection is cut.
    private const int DrainBytes = 4 * 1024 * 1024;

    public static IEndpointRouteBuilder MapLetterPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/letters/{id:guid}", Letter).WithName("LetterPage").ExcludeFromDescription().AllowAnonymous();
        app.MapGet("/letters/{id:guid}.pdf", LetterPdf).WithName("LetterPdf").WithTags("Letters").AllowAnonymous()
            .WithSummary("The letter as a printable PDF: letter text, score, CMMC status, signing-key fingerprint, log index and a QR code of its verification URL")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf").ProducesProblem(404);
        app.MapGet("/verify", VerifyForm).WithName("VerifyPage").ExcludeFromDescription().AllowAnonymous();
        // Verifying changes nothing and needs no session, so there is nothing for a forged request to abuse: no antiforgery token.
        app.MapPost("/verify", Verify).WithName("VerifyLetter").ExcludeFromDescription().AllowAnonymous().DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> Letter(Guid id, HttpRequest request, LetterStore letters, SigningKeyRegistry keys, TransparencyLog log, PublicAddress address, TimeProvider clock, CancellationToken cancellationToken)
    {
        var file = await letters.FileAsync(id, cancellationToken);
        if (file is null)
            return await Views.RazorHtml.PageAsync<Views.NoSuchLetter>(new Dictionary<string, object?>(), StatusCodes.Status404NotFound);
        var status = await letters.StatusAsync(id, cancellationToken: cancellationToken);
        var key = await keys.FindAsync(file.Letter.KeyId, cancellationToken);
        var baseUrl = address.Base;
        var view = LetterView.FromBundle(file.Bundle, baseUrl) with
        {
            SignerName = key is null ? null : $"{key.SignerName}, {key.Organization}",
            Status = status.Status,
            RevokedAt = status.RevokedAt,
            RevocationReason = status.Reason,
            SupersededBy = status.SupersededBy,
            SupersededAt = status.SupersededAt,
            ExpiryReason = status.ExpiryReason,
            ExpiredAt = status.ExpiredAt,
            Today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime),
        };
        return Page(await LetterHtml.RenderAsync(view));
    }

    private static async Task<IResult> LetterPdf(Guid id, HttpContext context, LetterStore letters, SigningKeyRegistry keys, PublicAddress address, CancellationToken cancellationToken)
    {
        var file = await letters.FileAsync(id, cancellationToken) ?? throw new NotFoundException($"no letter {id}");
        var status = await letters.StatusAsync(id, cancellationToken: cancellationToken);
        // The PDF is the letter as signed (its links from the configured public address, never the request's Host), plus a REVOKED box on its first page once revoked: a copy printed later must not pass for a valid letter.
        var view = LetterView.FromBundle(file.Bundle, address.Base) with
        {
            Status = status.Status,
            RevokedAt = status.RevokedAt,
            RevocationReason = status.Reason,
        };
        var revoked = status.Status == LetterStatuses.Revoked;
        var tag = $"\"{id:N}-{(revoked ? "r" : "v")}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(view.VerifyUrl)))[..16]}\"";
        // Revalidated on every use (a cheap 304), so a revocation shows at once in a cached copy.
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.ETag = tag;
        if (context.Request.Headers.IfNoneMatch.ToString() == tag) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.File(Reports.Pdf.AttestationLetterPdf.Write(view.ToPdf()), "application/pdf", $"letter-{id}{(revoked ? "-REVOKED" : "")}.pdf");
    }

    private static Task<IResult> VerifyForm() => Form(null, null);

    private static async Task<IResult> Verify(HttpContext context, LetterCheck check, CancellationToken cancellationToken)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = DrainBytes;
        if (context.Request.ContentLength > MaxLetterBytes + 64 * 1024)
        {
            // Read what a browser is still sending before answering, so it sees the page instead of a reset connection.
            await context.Request.Body.CopyToAsync(Stream.Null, cancellationToken);
            return await Form(null, "That file is too large to be a letter (at most 256 KB; a letter is a few KB).", StatusCodes.Status413PayloadTooLarge);
        }
        if (!context.Request.HasFormContentType)
            return await Form(null, "Send the letter with the form on this page (at most 256 KB).", StatusCodes.Status400BadRequest);
        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = MaxLetterBytes, ValueLengthLimit = MaxLetterBytes }, cancellationToken);
        }
        // A body that cannot be read as a form is answered with the form again and a plain sentence, not the error page: the person is on this page.
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return await Form(null, "The letter is too large or the upload was cut short (at most 256 KB).", StatusCodes.Status400BadRequest);
        }
        byte[] letter;
        if (form.Files.GetFile("file") is { Length: > 0 } file)
        {
            if (file.Length > MaxLetterBytes) return await Form(null, "The letter file is larger than 256 KB: a letter is a few KB.", StatusCodes.Status400BadRequest);
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            letter = buffer.ToArray();
        }
        else if (form["letter"].ToString() is { Length: > 0 } pasted) letter = Encoding.UTF8.GetBytes(pasted);
        else return await Form(null, "Choose the letter file, or paste its text, then press Check.", StatusCodes.Status400BadRequest);

        return await Form(await check.CheckAsync(letter, cancellationToken), null);
    }

    private static Task<IResult> Form(LetterCheckResult? result, string? problem, int status = StatusCodes.Status200OK) =>
        Views.RazorHtml.PageAsync<Views.VerifyPage>(new Dictionary<string, object?> { [nameof(Views.VerifyPage.Result)] = result, [nameof(Views.VerifyPage.Problem)] = problem }, status);

    private static IResult Page(string html, int status = StatusCodes.Status200OK) =>
        TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
}
