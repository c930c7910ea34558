using System.Globalization;
using Custodes.Catalogs;
using PdfSharp.Drawing;
using QRCoder;
using static Custodes.Reports.Pdf.PdfComposer;

namespace Custodes.Reports.Pdf;

/// <summary>What an attestation letter PDF shows: the facts of a signed letter (contracts §4), as the attestation component hands them over.</summary>
public sealed record LetterView
{
    public required string Issuer { get; init; }
    public required string SubjectOrganization { get; init; }
    public string? Scope { get; init; }
    /// <summary>Framework id (nist-sp800-171r2, cmmc-l2, …).</summary>
    public required string Framework { get; init; }
    public required DateOnly AssessedOn { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }
    public required DateOnly ValidUntil { get; init; }
    /// <summary>SPRS score, or null when none could be given.</summary>
    public int? Score { get; init; }
    /// <summary>CMMC statuses as in <c>custodes score</c>: final, conditional, no-status.</summary>
    public string? CmmcLevel1 { get; init; }
    public string? CmmcLevel2 { get; init; }
    /// <summary>The letter's human text, exactly as signed.</summary>
    public required string Statement { get; init; }
    /// <summary>Hex SHA-256 of the signing public key (the DSSE keyid).</summary>
    public required string SignatureKeyFingerprint { get; init; }
    public required string LogOrigin { get; init; }
    public required long LogIndex { get; init; }
    public required string VerificationUrl { get; init; }
    public string? LetterId { get; init; }
    /// <summary>Set when the letter was revoked (known only where it is printed from the issuing installation): the first page then says so.</summary>
    public LetterRevocation? Revocation { get; init; }
}

/// <summary>When and why a letter was revoked, and by whom, as its PDF prints it.</summary>
public sealed record LetterRevocation(DateTimeOffset RevokedAt, string Reason);

/// <summary>Renders an attestation letter as a one- or two-page PDF with a QR code of its verification URL.</summary>
public static class AttestationLetterPdf
{
    public static byte[] Write(LetterView letter)
    {
        var pdf = new PdfComposer($"Letter of attestation: {letter.SubjectOrganization}", "Letter of attestation", letter.Issuer);
        pdf.NewPage();
        var g = pdf.G;
        g.DrawRectangle(new XSolidBrush(Accent), 0, 0, PageWidth, 8);
        g.DrawString(letter.Issuer, Font(16, bold: true), new XSolidBrush(Accent), new XRect(Margin, 40, pdf.Width, 22), XStringFormats.TopLeft);
        g.DrawString("LETTER OF ATTESTATION", Font(9, bold: true), new XSolidBrush(Muted), new XRect(Margin, 44, pdf.Width, 14), XStringFormats.TopRight);
        g.DrawLine(new XPen(Rule, 0.8), Margin, 70, PageWidth - Margin, 70);
        pdf.Y = 84;
        if (letter.Revocation is { } revocation) RevokedBanner(pdf, letter, revocation);
        pdf.Paragraph($"Issued {letter.IssuedAt.UtcDateTime.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture)}", color: Muted);
        pdf.Space(4);
        var title = CatalogSet.Find(letter.Framework)?.Title ?? letter.Framework;
        pdf.Paragraph($"Subject: {letter.SubjectOrganization}, {title}", pdf.Bold);
        pdf.Space(4);
        pdf.Paragraph(letter.Statement);
        pdf.Space(6);
        pdf.Facts(
        [
            ("Organization", letter.SubjectOrganization),
            ("Scope", letter.Scope ?? "Not stated"),
            ("Framework", $"{title} ({letter.Framework})"),
            ("Assessment date", D(letter.AssessedOn)),
            ("SPRS score", letter.Score is { } s ? $"{s} of 110" : "No score"),
            ("CMMC Level 1", Cmmc(letter.CmmcLevel1)),
            ("CMMC Level 2", Cmmc(letter.CmmcLevel2)),
            ("Valid until", D(letter.ValidUntil)),
            ("Letter id", letter.LetterId ?? "–"),
        ], labelWidth: 130);
        pdf.Space(14);
        pdf.EnsureSpace(200);
        pdf.Subheading($"Issued by {letter.Issuer}");
        pdf.Paragraph("This letter is signed digitally (DSSE envelope, Ed25519) and recorded in a public, append-only transparency log. Its authenticity does not depend on this page: verify the signed letter itself.", pdf.Small, Muted);
        pdf.Facts(
        [
            ("Signing key (SHA-256)", Grouped(letter.SignatureKeyFingerprint)),
            ("Transparency log", letter.LogOrigin),
            ("Log index", letter.LogIndex.ToString(CultureInfo.InvariantCulture)),
        ], labelWidth: 130);

        pdf.Space(10);
        const double qrSize = 110;
        pdf.EnsureSpace(qrSize + 20);
        var boxTop = pdf.Y;
        pdf.G.DrawRectangle(new XPen(Rule, 0.8), new XSolidBrush(Band), pdf.Left, boxTop, pdf.Width, qrSize + 16);
        DrawQr(pdf.G, letter.VerificationUrl, pdf.Left + 8, boxTop + 8, qrSize);
        var textX = pdf.Left + qrSize + 24;
        var textWidth = pdf.Width - qrSize - 32;
        var y = boxTop + 14;
        pdf.G.DrawString("Verify this letter", Font(11, bold: true), new XSolidBrush(Ink), new XRect(textX, y, textWidth, 14), XStringFormats.TopLeft);
        y += 20;
        foreach (var line in pdf.Wrap(letter.VerificationUrl, Font(8.5), textWidth))
        {
            pdf.G.DrawString(line, Font(8.5), new XSolidBrush(Accent), new XRect(textX, y, textWidth, 12), XStringFormats.TopLeft);
            y += 12;
        }
        y += 6;
        foreach (var line in pdf.Wrap("Scan the code or open the address to check the signature, expiry and revocation. Offline: custodes attest verify <letter.json> --key <issuer's signing.pub>", Font(8), textWidth))
        {
            pdf.G.DrawString(line, Font(8), new XSolidBrush(Muted), new XRect(textX, y, textWidth, 11), XStringFormats.TopLeft);
            y += 11;
        }
        pdf.Y = boxTop + qrSize + 24;
        pdf.Finish($"{(letter.Revocation is null ? "" : "REVOKED ")}Letter of attestation: {letter.SubjectOrganization}",
            letter.Revocation is { } r ? $"Revoked {D(DateOnly.FromDateTime(r.RevokedAt.UtcDateTime))}" : $"Valid until {D(letter.ValidUntil)}", $"{letter.Issuer}. Verify at {letter.VerificationUrl}", skip: 1);
        return pdf.Save(letter.AssessedOn);
    }

    /// <summary>A red box above everything else on the first page: a revoked letter printed, forwarded or filed must not pass for a valid one.</summary>
    private static void RevokedBanner(PdfComposer pdf, LetterView letter, LetterRevocation revocation)
    {
        var g = pdf.G;
        var sentence = $"This letter was revoked on {revocation.RevokedAt.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)} by {letter.Issuer}: " +
            $"{revocation.Reason.Trim().TrimEnd('.')}. Do not rely on it.";
        var font = Font(11, bold: true);
        var lines = pdf.Wrap(sentence, font, pdf.Width - 24);
        var height = 14 + 30 + lines.Count * PdfComposer.LineHeight(font) + 10;
        g.DrawRectangle(new XSolidBrush(Red), pdf.Left, pdf.Y, pdf.Width, height);
        g.DrawString("REVOKED", Font(26, bold: true), XBrushes.White, new XRect(pdf.Left + 12, pdf.Y + 10, pdf.Width - 24, 30), XStringFormats.TopLeft);
        var y = pdf.Y + 44;
        foreach (var line in lines)
        {
            g.DrawString(line, font, XBrushes.White, new XRect(pdf.Left + 12, y, pdf.Width - 24, 14), XStringFormats.TopLeft);
            y += PdfComposer.LineHeight(font);
        }
        pdf.Y += height + 12;
    }

    private static string D(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Cmmc(string? status) => status switch
    {
        "final" => "Final",
        "conditional" => "Conditional",
        "no-status" => "No status",
        null => "Not assessed",
        var other => other,
    };

    private static string Grouped(string hex) =>
        string.Join(" ", Enumerable.Range(0, (hex.Length + 7) / 8).Select(i => hex.Substring(i * 8, Math.Min(8, hex.Length - i * 8))));

    /// <summary>Draws the QR code as filled squares (vector, so it scans at any zoom).</summary>
    internal static void DrawQr(XGraphics g, string text, double x, double y, double size)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix;
        var module = size / matrix.Count;
        g.DrawRectangle(XBrushes.White, x, y, size, size);
        for (var row = 0; row < matrix.Count; row++)
            for (var col = 0; col < matrix[row].Length; col++)
                if (matrix[row][col])
                    g.DrawRectangle(XBrushes.Black, x + col * module, y + row * module, module + 0.05, module + 0.05);
    }
}
