namespace Custodes.Cli.Tests;

public sealed class QuestionnaireCliTests
{
    [Fact]
    public async Task Templates_lists_the_two_built_in_templates()
    {
        var json = await Cli.Json("questionnaire", "templates", "--json");
        Assert.Equal(["msp-security", "cyber-insurance-msp"], json.GetProperty("templates").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData(".xlsx")]
    [InlineData(".csv")]
    public async Task Answered_questionnaire_imports_back(string extension)
    {
        var file = Path.Combine(Path.GetTempPath(), $"custodes-{Guid.NewGuid():N}{extension}");
        try
        {
            var answered = await Cli.Json("questionnaire", "answer", "--template", "msp-security", "--assessment", Cli.Sample("portfolio", "dental-001-assessment.yaml"),
                "--out", file, "--as-of", "2026-12-01", "--json");
            Assert.Equal(19, answered.GetProperty("questions").GetInt32());
            var imported = await Cli.Json("questionnaire", "import", file, "--json");
            Assert.Equal(19, imported.GetProperty("states").GetProperty("proposed").GetInt32());

            // The file hashes as the same questionnaire written as JSON: SHA-256 of its RFC 8785 canonical form.
            await Cli.Json("questionnaire", "answer", "--template", "msp-security", "--assessment", Cli.Sample("portfolio", "dental-001-assessment.yaml"),
                "--out", file + ".json", "--as-of", "2026-12-01", "--json");
            var canonical = Custodes.Attestation.CanonicalJson.Canonicalize(await File.ReadAllBytesAsync(file + ".json"));
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(canonical)), imported.GetProperty("content_sha256").GetString());
        }
        finally
        {
            File.Delete(file);
            File.Delete(file + ".json");
        }
    }

    [Fact]
    public async Task Import_of_something_that_is_not_a_workbook_exits_2()
    {
        var file = Path.Combine(Path.GetTempPath(), $"custodes-{Guid.NewGuid():N}.xlsx");
        await File.WriteAllTextAsync(file, "hello");
        try
        {
            var (code, _, error) = await Cli.Run("questionnaire", "import", file);
            Assert.Equal(2, code);
            Assert.Contains("not a readable XLSX workbook", error);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
