using System.Text;
using Custodes.Catalogs;
using Custodes.Common;
using Custodes.Reports;
using Custodes.Reports.Pdf;
using Custodes.Reports.Ssp;
using static Custodes.Core.Tests.Reports.ReportFixtures;

namespace Custodes.Core.Tests.Reports;

public sealed class LetterAndSspTests
{
    private static readonly LetterView Letter = new()
    {
        Issuer = "Independent Assessors LLC",
        SubjectOrganization = "Example MSP LLC",
        Scope = "Corporate network, RMM platform, PSA, backup infrastructure",
        Framework = Frameworks.NistR2,
        AssessedOn = new DateOnly(2026, 10, 1),
        IssuedAt = new DateTimeOffset(2026, 10, 15, 14, 30, 0, TimeSpan.Zero),
        ValidUntil = new DateOnly(2027, 10, 15),
        Score = 101,
        CmmcLevel1 = "final",
        CmmcLevel2 = "no-status",
        Statement = "Independent Assessors LLC assessed the information system of Example MSP LLC against NIST SP 800-171 Revision 2 and attests to the results below.",
        SignatureKeyFingerprint = "3f1c9a7be2d04c55a1e0b6f4d2c8a9e17b3d5f60a2c4e6b8d0f1a3c5e7b9d1f2",
        LogOrigin = "assessors.example/log",
        LogIndex = 42,
        VerificationUrl = "https://assessors.example/verify/6f1e2d3c-4b5a-4968-8776-655443322110",
        LetterId = "6f1e2d3c-4b5a-4968-8776-655443322110",
    };

    private static string SspImplementation => Path.Combine(RepoRoot, "samples", "ssp", "example-msp-implementation.yaml");

    [Fact]
    public void The_letter_shows_the_facts_and_a_QR_code_that_decodes_to_the_verification_URL()
    {
        var pdf = AttestationLetterPdf.Write(Letter);
        var (text, pages) = PdfReportTests.Inspect(pdf, "letter.pdf");
        Assert.Equal(1, pages);
        foreach (var expected in new[] { "Example MSP LLC", "Independent Assessors LLC", "101 of 110", "2027-10-15", "assessors.example/log", "42", "3f1c9a7b", "Page 1 of 1" })
            Assert.Contains(expected, text);

        var dir = TempDir();
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "letter.pdf"), pdf);
            Run("pdftoppm", ["-png", "-r", "150", "-singlefile", Path.Combine(dir, "letter.pdf"), Path.Combine(dir, "letter")]);
            var decoded = Run("zbarimg", ["--quiet", "--raw", Path.Combine(dir, "letter.png")]).Trim();
            Assert.Equal(Letter.VerificationUrl, decoded);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Ssp_pdf_uses_the_organizations_statements_and_derives_the_rest()
    {
        var statements = DocumentFiles.ReadImplementationStatements(SspImplementation, SampleData.Catalog);
        var (text, pages) = PdfReportTests.Inspect(SspPdf.Write(new SspContent(SampleData, statements)), "ssp.pdf");
        Assert.Contains("Example MSP CUI Environment", text);
        Assert.Contains("joiner/mover/leaver", text);
        Assert.Contains("Responsible: Identity team", text);
        Assert.Contains("Partial", text);
        Assert.Contains("Planned", text);
        Assert.Contains("Implemented (assessed as met on 2026-10-01)", text);
        Assert.Contains($"Page {pages} of {pages}", text);
    }

    [Fact]
    public void Ssp_html_is_self_contained_and_escapes_text()
    {
        var data = ReportData.From(Sample.Assessment with { System = "Hosts <script>alert(1)</script> & more" });
        var html = Encoding.UTF8.GetString(SspHtml.Write(new SspContent(data, DocumentFiles.ReadImplementationStatements(SspImplementation, data.Catalog))));
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("Hosts &lt;script&gt;alert(1)&lt;/script&gt; &amp; more", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("src=", html);
        Assert.DoesNotContain("<link", html);
        Assert.Contains("id=\"r-3.5.3\"", html);
        Assert.Contains("Windows Hello for Business", html);
        Assert.Equal(110, html.Split("<tr id=\"r-").Length - 1);
    }

    [Fact]
    public void Implementation_statements_reject_unknown_requirements_and_fields_with_their_path()
    {
        var e = Assert.Throws<BadInputException>(() => ImplementationStatements.Parse(
            Encoding.UTF8.GetBytes("schema: custodes.ssp-implementation/v1\nrequirements:\n  3.1.1: ok\n  3.1.99: nope\n"), "impl.yaml", CatalogSet.NistR2));
        Assert.Equal("$.requirements['3.1.99']", e.Path);
        Assert.Equal(4, e.Line);
        var field = Assert.Throws<BadInputException>(() => ImplementationStatements.Parse(
            Encoding.UTF8.GetBytes("schema: custodes.ssp-implementation/v1\nrequirements:\n  3.1.1: {statement: x, owner: y}\n"), "impl.yaml", CatalogSet.NistR2));
        Assert.Contains("owner", field.Message);
    }
}
