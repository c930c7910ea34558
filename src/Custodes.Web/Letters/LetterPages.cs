using System.Text;
using Custodes.Application.Keys;
using Custodes.Application.Letters;
using Custodes.Application.Transparency;
using Custodes.Common;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Http.Features;

namespace Custodes.Web.Letters;

/// <summary>The public pages: a letter (<c>/letters/{id}</c>, the QR code's target) and the verify page (<c>/verify</c>), no sign-in.</summary>
public static class LetterPages
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

    private static async Task<IResult> Letter(Guid id, HttpRequest request, LetterStore letters, SigningKeyRegistry keys, TransparencyLog log, PublicAddress address, CancellationToken cancellationToken)
    {
        var file = await letters.FileAsync(id, cancellationToken);
        if (file is null)
            return Page(Html.Page("No such letter", h => h.Element("h1", "No such letter").Element("p", "This service has issued no letter with that id. Check the address, or upload the letter file on the verify page.")
                .Open("p").Element("a", "Verify a letter file", ("href", "/verify")).Close("p")), StatusCodes.Status404NotFound);
        var status = await letters.StatusAsync(id, cancellationToken: cancellationToken);
        var key = await keys.FindAsync(file.Letter.KeyId, cancellationToken);
        var baseUrl = address.Base;
        var view = LetterView.FromBundle(file.Bundle, baseUrl) with
        {
            SignerName = key is null ? null : $"{key.SignerName}, {key.Organization}",
            Status = status.Status,
            RevokedAt = status.RevokedAt,
            RevocationReason = status.Reason,
        };
        return Page(LetterHtml.Render(view));
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

    private static IResult VerifyForm() => Page(Form(null, null));

    private static async Task<IResult> Verify(HttpContext context, LetterCheck check, CancellationToken cancellationToken)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = DrainBytes;
        if (context.Request.ContentLength > MaxLetterBytes + 64 * 1024)
        {
            // Read what a browser is still sending before answering, so it sees the page instead of a reset connection.
            await context.Request.Body.CopyToAsync(Stream.Null, cancellationToken);
            return Page(Form(null, "That file is too large to be a letter (at most 256 KB; a letter is a few KB)."), StatusCodes.Status413PayloadTooLarge);
        }
        if (!context.Request.HasFormContentType)
            return Page(Form(null, "Send the letter with the form on this page (at most 256 KB)."), StatusCodes.Status400BadRequest);
        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = MaxLetterBytes, ValueLengthLimit = MaxLetterBytes }, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return Page(Form(null, "The letter is too large or the upload was cut short (at most 256 KB)."), StatusCodes.Status400BadRequest);
        }
        byte[] letter;
        if (form.Files.GetFile("file") is { Length: > 0 } file)
        {
            if (file.Length > MaxLetterBytes) return Page(Form(null, "The letter file is larger than 256 KB: a letter is a few KB."), StatusCodes.Status400BadRequest);
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            letter = buffer.ToArray();
        }
        else if (form["letter"].ToString() is { Length: > 0 } pasted) letter = Encoding.UTF8.GetBytes(pasted);
        else return Page(Form(null, "Choose the letter file, or paste its text, then press Check."), StatusCodes.Status400BadRequest);

        return Page(Form(await check.CheckAsync(letter, cancellationToken), null));
    }

    private static string Form(LetterCheckResult? result, string? problem) => Html.Page("Check a letter of attestation", html =>
    {
        html.Element("h1", "Check a letter of attestation");
        html.Element("p", "Your IT provider gave you a letter from an independent assessor? Check here that it is genuine, still in force and not withdrawn. Nothing you upload is stored.", ("class", "sub"));
        if (problem is not null) html.Open("div", ("class", "verdict warn"), ("role", "alert"), ("id", "problem")).Text(problem).Close("div");
        if (result is not null) Answer(html, result);
        html.Open("form", ("method", "post"), ("action", "/verify"), ("enctype", "multipart/form-data"), ("class", "noprint"));
        html.Open("p").Open("label", ("for", "file")).Text("The letter file (letter.json): ").Close("label")
            .Open("input", ("type", "file"), ("id", "file"), ("name", "file"), ("accept", ".json,application/json")).Close("p");
        html.Open("p").Open("label", ("for", "letter")).Text("…or paste its text:").Close("label").Raw("<br>")
            .Open("textarea", ("id", "letter"), ("name", "letter"), ("spellcheck", "false")).Close("textarea").Close("p");
        html.Open("p").Element("button", "Check the letter", ("type", "submit")).Close("p");
        html.Close("form");
    });

    private static void Answer(Html html, LetterCheckResult result)
    {
        var letter = result.Letter;
        LetterHtml.Banner(html, result switch
        {
            { Valid: true } => new Verdict(true, "Genuine and valid",
                $"This letter was issued by {letter!.Issuer} about {letter.SubjectOrganization}, has not been changed, is recorded in the public log, has not been revoked and is in force until {LetterHtml.Date(letter.ValidUntil)}. You can rely on it."),
            { Genuine: true, Revoked: true } => new Verdict(false, "Revoked", LetterHtml.RevokedSentence(letter!.Issuer, result.RevokedAt, result.RevocationReason)),
            { Genuine: true, Expired: true } => new Verdict(false, "Expired",
                $"{letter!.Issuer} did issue this letter, but it expired on {LetterHtml.Date(letter.ValidUntil)}. Do not rely on it: ask {letter.SubjectOrganization} for a current letter."),
            _ => new Verdict(false, "Not valid", $"{result.Reasons.FirstOrDefault() ?? "This letter could not be confirmed."} Do not rely on it."),
        });

        // A single reason of an invalid letter is already the banner's sentence.
        if (result.Reasons.Count > 0 && (result.Valid || result.Genuine || result.Reasons.Count > 1))
        {
            html.Element("h2", result.Valid ? "Notes" : "Why");
            html.Open("ul", ("class", "reasons"));
            foreach (var reason in result.Reasons) html.Element("li", reason);
            html.Close("ul");
        }
        if (letter is not null)
        {
            html.Element("h2", "What the letter says");
            html.Open("dl", ("class", "facts"));
            Fact(html, "Issued by", letter.Issuer);
            Fact(html, "About", letter.SubjectOrganization);
            Fact(html, "Scope", letter.Scope);
            Fact(html, "Score", $"{LetterHtml.ScoreText(letter.Score)} of 110");
            Fact(html, "CMMC status", Attestation.LetterText.CmmcSummary(letter.Cmmc));
            Fact(html, "Issued on", LetterHtml.Date(letter.IssuedAt));
            Fact(html, "Valid until", LetterHtml.Date(letter.ValidUntil));
            Fact(html, "Revoked", result.Revoked ? $"yes, on {(result.RevokedAt is { } at ? LetterHtml.Date(at) : "?")}: {result.RevocationReason}" : "no");
            if (result.LogIndex is { } index) Fact(html, "Public log entry", index.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (result.Key is { } key) html.Element("dt", "Signed with").Open("dd").Element("span", LetterHtml.Fingerprint(key.KeyId), ("class", "mono")).Text($" ({key.SignerName}, {key.Organization})").Close("dd");
            html.Close("dl");
        }
        if (result.Errors.Count > 0)
        {
            html.Open("details").Element("summary", "Technical details");
            html.Open("ul");
            foreach (var error in result.Errors) html.Open("li").Element("code", error).Close("li");
            html.Close("ul").Close("details");
        }
    }

    private static void Fact(Html html, string name, string? value) => html.Element("dt", name).Element("dd", value);


    private static IResult Page(string html, int status = StatusCodes.Status200OK) =>
        TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
}
