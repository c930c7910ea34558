using System.Text.Json;
using Custodes.Application;
using Custodes.Application.Audit;
using Custodes.Application.Organizations;
using Custodes.Testing;

namespace Custodes.Cli.Tests;

public sealed class AgreementCommandTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static string[] Store(TestInstallation test, params string[] args) =>
        [.. args, "--data-dir", test.DataDirectory, .. test.Database is null ? Array.Empty<string>() : ["--db", test.Database]];

    private const string Portfolio = """
        schema: custodes.portfolio/v1
        organizations:
          - {id: dental-042, name: Smile Dental, kind: customer, custodes_organization: Smile Dental}
          - {id: percsoft, name: PerCSoft, kind: msp}
        relationships:
          - {customer: dental-042, provider: percsoft, services: [on-premises-it, backup]}
        """;

    [Theory, MemberData(nameof(Providers))]
    public async Task Import_check_and_export_keep_the_contract_shape(DatabaseProvider provider)
    {
        await using var test = await TestInstallation.CreateAsync(provider);
        await new OrganizationStore(test.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System).CreateAsync("Smile Dental", OrganizationKinds.Customer, "test");
        Assert.Equal(0, (await Cli.RunAsync(Store(test, "portfolio", "import", Cli.TempFile(Portfolio, ".yaml"), "--org", "Smile Dental"))).ExitCode);
        var sample = Cli.Sample("agreement", "dental-042-percsoft.yaml");
        var import = await Cli.RunAsync(Store(test, "agreement", "import", sample, "--org", "Smile Dental"));
        Assert.Equal(0, import.ExitCode);
        Assert.Contains("imported the agreement with PerCSoft", import.Stdout);

        var check = await Cli.RunAsync(Store(test, "agreement", "check", "--org", "Smile Dental", "--json"));
        Assert.Equal(0, check.ExitCode);
        using var json = JsonDocument.Parse(check.Stdout);
        var agreement = Assert.Single(json.RootElement.GetProperty("agreements").EnumerateArray());
        Assert.Equal(["customer", "provider", "renews_on", "obligations"], agreement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2027-01-15", agreement.GetProperty("renews_on").GetString());
        var obligations = agreement.GetProperty("obligations").EnumerateArray().ToArray();
        Assert.Equal(9, obligations.Length);
        Assert.All(obligations, o => Assert.Equal(["id", "kind", "status", "reason", "since"], o.EnumerateObject().Select(p => p.Name)));
        // PerCSoft has no account here: what needs its letters, assessment or logs is unknown, and says why.
        var letter = obligations.Single(o => o.GetProperty("id").GetString() == "letter");
        Assert.Equal(("valid-attestation", "unknown"), (letter.GetProperty("kind").GetString(), letter.GetProperty("status").GetString()));
        Assert.Contains("no account in this installation", letter.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, letter.GetProperty("since").ValueKind);

        // Every agreement of the installation when no organization is named.
        var all = await Cli.Json(Store(test, "agreement", "check", "--json"));
        Assert.Single(all.GetProperty("agreements").EnumerateArray());

        var exported = Cli.TempFile("", ".json");
        Assert.Equal(0, (await Cli.RunAsync(Store(test, "agreement", "export", "--org", "Smile Dental", "--provider", "percsoft", "--out", exported))).ExitCode);
        Assert.Equal(
            Custodes.Agreements.AgreementFile.Parse(File.ReadAllBytes(sample), "sample").Obligations,
            Custodes.Agreements.AgreementFile.Parse(File.ReadAllBytes(exported), "exported").Obligations);

        var set = await Cli.RunAsync(Store(test, "agreement", "set-status", "insurance", "met", "--org", "Smile Dental", "--provider", "percsoft", "--evidence", "Certificate received 2026-02-01"));
        Assert.Equal(0, set.ExitCode);
        var after = await Cli.Json(Store(test, "agreement", "check", "--org", "Smile Dental", "--json"));
        Assert.Equal("met", after.GetProperty("agreements")[0].GetProperty("obligations").EnumerateArray().Single(o => o.GetProperty("id").GetString() == "insurance").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_bad_agreement_file_exits_2_naming_the_file_line_and_field()
    {
        await using var test = await TestInstallation.CreateAsync(DatabaseProvider.Sqlite);
        await new OrganizationStore(test.Installation, new AuditTrail(TimeProvider.System), TimeProvider.System).CreateAsync("Smile Dental", OrganizationKinds.Customer, "test");
        var file = Cli.TempFile("""
            schema: custodes.agreement/v1
            customer: dental-042
            provider: percsoft
            obligations:
              - {id: score, kind: minimum-score, value: 200}
            """, ".yaml");
        var result = await Cli.RunAsync(Store(test, "agreement", "import", file, "--org", "Smile Dental"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{file}:5: $.obligations[0].value: the value of a minimum-score obligation is a score from -203 to 110, not 200", result.Stderr);
    }
}
