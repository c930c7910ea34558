using System.Globalization;
using System.Text.Json;
using Custodes.Attestation;
using Custodes.Common;
using Custodes.Transparency;
using QRCoder;

namespace Custodes.Web.Letters;

/// <summary>What a letter page shows: the signed facts, who signed, where the letter is in the log, and where to check it.</summary>
public sealed record LetterView
{
    public required LetterPredicate Letter { get; init; }
    /// <summary>The signing key's id (hex SHA-256 of its public key): its fingerprint.</summary>
    public required string KeyId { get; init; }
    public string? SignerName { get; init; }
    public long? LogIndex { get; init; }
    public string? Origin { get; init; }
    /// <summary>The page anyone can open to check the letter (the QR code's target).</summary>
    public required string VerifyUrl { get; init; }
    /// <summary>The public page that checks an uploaded letter file.</summary>
    public string? VerifyPageUrl { get; init; }
    /// <summary>The status now, when the page is served by the log's server; null in a rendered file.</summary>
    public string? Status { get; init; }
    public DateTime? RevokedAt { get; init; }
    public string? RevocationReason { get; init; }
    /// <summary>The newer letter that replaced this one (not a revocation), when the page is served by the log's server.</summary>
    public Guid? SupersededBy { get; init; }
    public DateTime? SupersededAt { get; init; }
    /// <summary>Why the letter ended before its valid-until date (an unmet POA&amp;M closeout), and when.</summary>
    public string? ExpiryReason { get; init; }
    public DateTime? ExpiredAt { get; init; }
    /// <summary>Today, for the days left to a conditional letter's closeout; null in a rendered file.</summary>
    public DateOnly? Today { get; init; }

    /// <summary>The view of a letter file (not verified here: the page says how to verify it).</summary>
    public static LetterView FromBundle(ReadOnlySpan<byte> bundleJson, string verifyUrlBase, string? file = null)
    {
        var bundle = LetterBundle.Parse(bundleJson, file);
        var statement = InTotoStatement.Parse(bundle.Envelope.Payload.Span);
        if (statement.PredicateType != LetterPredicate.Type) throw new BadInputException($"this is not a letter: predicateType is '{statement.PredicateType}'", file);
        var predicate = LetterPredicate.FromJson(statement.Predicate);
        var baseUrl = verifyUrlBase.TrimEnd('/');
        return new LetterView
        {
            Letter = predicate,
            KeyId = bundle.Envelope.Signatures.FirstOrDefault()?.KeyId ?? "",
            LogIndex = bundle.Transparency?.Index,
            Origin = bundle.Transparency?.Origin,
            VerifyUrl = $"{baseUrl}/letters/{predicate.LetterId}",
            VerifyPageUrl = $"{baseUrl}/verify",
        };
    }

    /// <summary>The same facts for the PDF letter (<see cref="Reports.Pdf.AttestationLetterPdf"/>): the web page's PDF and <c>custodes attest render --format pdf</c>.</summary>
    public Reports.Pdf.LetterView ToPdf() => new()
    {
        Issuer = Letter.Issuer,
        SubjectOrganization = Letter.SubjectOrganization,
        Scope = Letter.Scope,
        Framework = Letter.Framework,
        AssessedOn = Letter.AssessedOn,
        IssuedAt = Letter.IssuedAt,
        ValidUntil = DateOnly.FromDateTime(Letter.ValidUntil.UtcDateTime),
        Score = Letter.Score.ValueKind == JsonValueKind.Number && Letter.Score.TryGetInt32(out var score) ? score : null,
        CmmcLevel1 = CmmcStatus(Letter.Cmmc, "level1"),
        CmmcLevel2 = CmmcStatus(Letter.Cmmc, "level2"),
        Statement = Letter.Statement,
        SignatureKeyFingerprint = KeyId,
        LogOrigin = Origin ?? throw new BadInputException("the letter file has no transparency record (origin and index); only a letter recorded in a log can be printed"),
        LogIndex = LogIndex ?? throw new BadInputException("the letter file has no transparency record (origin and index); only a letter recorded in a log can be printed"),
        VerificationUrl = VerifyUrl,
        LetterId = Letter.LetterId.ToString(),
        Revocation = Status == "revoked"
            ? new Reports.Pdf.LetterRevocation(RevokedAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : Letter.IssuedAt, RevocationReason ?? "")
            : null,
    };

    private static string? CmmcStatus(JsonElement cmmc, string level) =>
        cmmc.ValueKind == JsonValueKind.Object && cmmc.TryGetProperty(level, out var l) && l.ValueKind == JsonValueKind.Object
        && l.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
}

/// <summary>A letter's verdict as the banner shows it: whether to rely on it, a one-word headline and a plain sentence of what it means.</summary>
public sealed record Verdict(bool Good, string Headline, string Sentence);

/// <summary>A letter of attestation as one self-contained HTML page (the web page and <c>custodes attest render</c>): the Razor view <see cref="Views.LetterPage"/>, and the wording it shares with the verify page.</summary>
internal static class LetterHtml
{
    /// <param name="embedStylesheet">True for a file written to disk (<c>custodes attest render</c>); the server's pages link the stylesheet.</param>
    public static string Render(LetterView view, bool embedStylesheet = false) =>
        Views.RazorHtml.Render<Views.LetterPage>(Parameters(view, embedStylesheet));

    public static async Task<string> RenderAsync(LetterView view, bool embedStylesheet = false) =>
        await Views.RazorHtml.RenderAsync<Views.LetterPage>(Parameters(view, embedStylesheet));

    private static Dictionary<string, object?> Parameters(LetterView view, bool embedStylesheet) =>
        new() { [nameof(Views.LetterPage.View)] = view, [nameof(Views.LetterPage.EmbedStylesheet)] = embedStylesheet };

    /// <summary>What a letter's status means, in the words of the banner at the top of its page (null: the status is not known here).</summary>
    public static Verdict? Verdict(LetterView view)
    {
        var letter = view.Letter;
        return view.Status switch
        {
            // Superseded is not revoked: the letter is genuine, but a newer one about the same organization replaces it.
            "valid" when view.SupersededBy is { } newer => new Verdict(true, "Superseded",
                $"This letter from {letter.Issuer} about {letter.SubjectOrganization} is genuine and has not been revoked, but it has been replaced by a newer letter ({newer}). Read the newer letter."),
            "expired" when view.ExpiryReason is { } reason => new Verdict(false, "Expired",
                $"This letter ended on {(view.ExpiredAt is { } ended ? Date(ended) : "?")}: {reason}. Do not rely on it: ask {letter.SubjectOrganization} for a current letter."),
            "valid" => new Verdict(true, "Valid",
                $"This letter from {letter.Issuer} about {letter.SubjectOrganization} has not been revoked and is in force until {Date(letter.ValidUntil)}."),
            "revoked" => new Verdict(false, "Revoked", RevokedSentence(letter.Issuer, view.RevokedAt, view.RevocationReason)),
            "expired" => new Verdict(false, "Expired",
                $"This letter expired on {Date(letter.ValidUntil)}. Do not rely on it: ask {letter.SubjectOrganization} for a current letter."),
            _ => null,
        };
    }

    /// <summary>"2027-03-30 (112 days left)": a conditional letter's closeout date, with the days left while it is still open.</summary>
    public static string CloseoutText(DateOnly due, DateOnly? today, bool closed)
    {
        var text = due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (closed || today is not { } now) return text;
        var left = due.DayNumber - now.DayNumber;
        return left >= 0 ? $"{text} ({left} day{(left == 1 ? "" : "s")} left; unless a closeout letter replaces it by then, this letter expires)" : $"{text} (passed)";
    }

    /// <summary>"This letter was revoked on 3 December 2026 by Northgate Security Assessors: Scope was misstated. Do not rely on it."</summary>
    public static string RevokedSentence(string issuer, DateTime? revokedAt, string? reason)
    {
        var reasonText = string.IsNullOrWhiteSpace(reason) ? "" : $": {reason.Trim().TrimEnd('.')}";
        return $"This letter was revoked on {(revokedAt is { } at ? Date(at) : "an unknown date")} by {issuer}{reasonText}. Do not rely on it.";
    }

    public static string ScoreText(JsonElement score) => score.ValueKind == JsonValueKind.Number ? score.GetRawText() : "none";

    /// <summary>A key id in groups of four hex digits, as people compare fingerprints.</summary>
    public static string Fingerprint(string keyId) => string.Join(' ', keyId.Chunk(4).Select(c => new string(c)));

    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    public static string Date(DateTime at) => at.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>The QR code of a URL as inline SVG (QRCoder, medium error correction).</summary>
    public static string QrSvg(string url)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(4);
    }
}
