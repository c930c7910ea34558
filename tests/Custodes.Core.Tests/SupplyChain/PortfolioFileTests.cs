using System.Text;
using Custodes.Common;
using Custodes.SupplyChain;

namespace Custodes.Core.Tests.SupplyChain;

public sealed class PortfolioFileTests
{
    private const string Minimal = """
        organizations:
          - {id: percsoft, name: PerCSoft, kind: msp}
          - {id: dental-042, name: Smile Dental, kind: customer, data: [PHI]}
        tools:
          - {id: percsoft-vsa, product: kaseya-vsa, operator: percsoft}
        relationships:
          - {customer: dental-042, provider: percsoft, services: [on-premises-it, backup],
             tools: [percsoft-vsa], access: admin-all-endpoints, endpoints: 12}
        """;

    [Fact]
    public void Contract_example_portfolio_is_read()
    {
        var portfolio = Samples.Parse(Minimal);
        Assert.Equal(2, portfolio.Organizations.Count);
        var r = Assert.Single(portfolio.Relationships);
        Assert.Equal(Services.OnPremisesIt | Services.Backup, r.Services);
        Assert.Equal(AccessLevels.AdminAllEndpoints, r.Access);
        Assert.Equal(12, r.Endpoints);
        Assert.Equal(DataClasses.Phi, portfolio.Organizations[1].Data);
    }

    [Fact]
    public void Sample_dental_msp_portfolio_is_valid()
    {
        var portfolio = Samples.DentalMsp();
        Assert.Equal(10, portfolio.Organizations.Count(o => o.Id.StartsWith("dental-", StringComparison.Ordinal)));
        Assert.Contains(portfolio.Tools, t => t.Product == ToolProduct.KaseyaVsa);
    }

    [Fact]
    public void Export_to_json_and_yaml_reads_back_equal()
    {
        var portfolio = Samples.DentalMsp();
        var fromJson = PortfolioFile.Parse(PortfolioFile.ToJson(portfolio), "export.json");
        var fromYaml = PortfolioFile.Parse(PortfolioFile.ToYaml(portfolio), "export.yaml");
        Assert.Equal(PortfolioFile.ToJson(portfolio), PortfolioFile.ToJson(fromJson));
        Assert.Equal(PortfolioFile.ToJson(portfolio), PortfolioFile.ToJson(fromYaml));
        Assert.Equal(portfolio.Relationships.Count, fromYaml.Relationships.Count);
        Assert.Equal(portfolio.Organizations.Select(o => o.Data), fromYaml.Organizations.Select(o => o.Data));
    }

    [Fact]
    public void Export_keeps_awkward_strings_as_they_were()
    {
        var yaml = "organizations:\n  - {id: a, name: \"Smith & Sons: \\\"Dental\\\" #1 — Zürich\", kind: customer}\n  - {id: b, name: \"2026\", kind: msp}\n";
        var portfolio = Samples.Parse(yaml);
        var back = PortfolioFile.Parse(PortfolioFile.ToYaml(portfolio), "export.yaml");
        Assert.Equal("Smith & Sons: \"Dental\" #1 — Zürich", back.Organizations[0].Name);
        Assert.Equal("2026", back.Organizations[1].Name);
    }

    [Fact]
    public void Data_none_round_trips_as_the_empty_set()
    {
        var portfolio = Samples.Parse("organizations:\n  - {id: a, name: A, kind: customer, data: [none]}\n");
        Assert.Equal(DataClasses.None, portfolio.Organizations[0].Data);
        Assert.Contains("\"none\"", Encoding.UTF8.GetString(PortfolioFile.ToJson(portfolio)));
    }

    [Fact]
    public void Unknown_organization_in_a_relationship_is_rejected_with_its_line()
    {
        var e = Assert.Throws<BadInputException>(() => Samples.Parse(Minimal.Replace("customer: dental-042", "customer: dental-043")));
        Assert.Equal("$.relationships[0].customer", e.Path);
        Assert.Equal(8, e.Line);
        Assert.Equal("test.yaml", e.File);
        Assert.Contains("unknown organization 'dental-043'", e.Message);
    }

    [Fact]
    public void Unknown_tool_is_rejected()
    {
        var e = Assert.Throws<BadInputException>(() => Samples.Parse(Minimal.Replace("tools: [percsoft-vsa]", "tools: [percsoft-atera]")));
        Assert.Equal("$.relationships[0].tools[0]", e.Path);
        Assert.Contains("unknown tool 'percsoft-atera'", e.Message);
    }

    [Fact]
    public void Tool_used_by_a_provider_that_neither_operates_nor_subcontracts_it_is_rejected()
    {
        var yaml = """
            organizations:
              - {id: msp-a, name: A, kind: msp}
              - {id: msp-b, name: B, kind: msp}
              - {id: c, name: C, kind: customer}
            tools:
              - {id: a-rmm, product: ninjaone, operator: msp-a}
            relationships:
              - {customer: c, provider: msp-b, tools: [a-rmm]}
            """;
        var e = Assert.Throws<BadInputException>(() => Samples.Parse(yaml));
        Assert.Equal("$.relationships[0].tools[0]", e.Path);
        Assert.Contains("operated by msp-a", e.Message);
    }

    [Fact]
    public void Tool_operated_by_the_providers_own_subcontractor_or_by_the_customer_is_accepted()
    {
        var yaml = """
            organizations:
              - {id: noc, name: White-label NOC, kind: mssp}
              - {id: msp, name: MSP, kind: msp}
              - {id: c, name: C, kind: customer}
            tools:
              - {id: noc-rmm, product: n-able, operator: noc}
              - {id: c-m365, product: microsoft-365-admin, operator: c}
            relationships:
              - {customer: msp, provider: noc, services: [security-monitoring], tools: [noc-rmm]}
              - {customer: c, provider: msp, tools: [noc-rmm, c-m365], access: [admin-all-endpoints, cloud-global-admin]}
            """;
        var portfolio = Samples.Parse(yaml);
        Assert.Equal(AccessLevels.AdminAllEndpoints | AccessLevels.CloudGlobalAdmin, portfolio.Relationships[1].Access);
    }

    [Fact]
    public void Cycle_between_providers_is_rejected_naming_the_cycle()
    {
        var yaml = """
            organizations:
              - {id: msp-a, name: A, kind: msp}
              - {id: msp-b, name: B, kind: msp}
              - {id: backup-c, name: C, kind: backup-provider}
            relationships:
              - {customer: msp-a, provider: msp-b}
              - {customer: msp-b, provider: backup-c}
              - {customer: backup-c, provider: msp-a}
            """;
        var e = Assert.Throws<BadInputException>(() => Samples.Parse(yaml));
        Assert.Contains("msp-a → msp-b → backup-c → msp-a", e.Message);
        Assert.Equal("$.relationships[2]", e.Path);
        Assert.Equal(9, e.Line);
    }

    [Fact]
    public void Provider_serving_itself_is_rejected()
    {
        var e = Assert.Throws<BadInputException>(() => Samples.Parse(Minimal.Replace("customer: dental-042", "customer: percsoft")));
        Assert.Contains("cannot be its own provider", e.Message);
    }

    [Fact]
    public void Duplicate_id_across_organizations_and_tools_is_rejected()
    {
        var e = Assert.Throws<BadInputException>(() => Samples.Parse(Minimal.Replace("id: percsoft-vsa", "id: dental-042")));
        Assert.Equal("$.tools[0].id", e.Path);
        Assert.Contains("duplicate id 'dental-042'", e.Message);
    }

    [Theory]
    [InlineData("kind: msp}", "kind: mps}", "$.organizations[0].kind", "unknown organization kind 'mps'")]
    [InlineData("product: kaseya-vsa", "product: kaseya", "$.tools[0].product", "unknown product 'kaseya'")]
    [InlineData("services: [on-premises-it, backup]", "services: [on-prem, backup]", "$.relationships[0].services[0]", "unknown service 'on-prem'")]
    [InlineData("access: admin-all-endpoints", "access: god-mode", "$.relationships[0].access", "unknown access level 'god-mode'")]
    [InlineData("data: [PHI]", "data: [PHI, HIPAA]", "$.organizations[1].data[1]", "unknown data class 'HIPAA'")]
    [InlineData("data: [PHI]", "data: [PHI, none]", "$.organizations[1].data[1]", "'none' cannot be combined")]
    [InlineData("endpoints: 12", "endpoints: -1", "$.relationships[0].endpoints", "expected an integer from 0")]
    [InlineData("endpoints: 12", "endpoints: 12, colour: red", "$.relationships[0].colour", "unknown field 'colour'")]
    public void Invalid_values_are_rejected_where_they_are(string from, string to, string path, string message)
    {
        var e = Assert.Throws<BadInputException>(() => Samples.Parse(Minimal.Replace(from, to)));
        Assert.Equal(path, e.Path);
        Assert.Contains(message, e.Message);
        Assert.NotNull(e.Line);
    }

    [Fact]
    public void Relationship_data_outside_the_customers_data_is_rejected()
    {
        var e = Assert.Throws<BadInputException>(() => Samples.Parse(Minimal.Replace("endpoints: 12", "endpoints: 12, data: [CUI]")));
        Assert.Equal("$.relationships[0].data", e.Path);
        Assert.Contains("CUI is not among the data dental-042 holds", e.Message);
    }

    [Fact]
    public void Customer_cannot_be_a_provider()
    {
        var yaml = Minimal + "\n  - {customer: percsoft, provider: dental-042}\n";
        var e = Assert.Throws<BadInputException>(() => Samples.Parse(yaml));
        Assert.Contains("is a customer and cannot be a provider", e.Message);
    }

    [Fact]
    public void Second_relationship_for_the_same_provider_and_customer_is_rejected()
    {
        var yaml = Minimal + "\n  - {customer: dental-042, provider: percsoft, services: [microsoft-365]}\n";
        var e = Assert.Throws<BadInputException>(() => Samples.Parse(yaml));
        Assert.Equal("$.relationships[1]", e.Path);
    }

    [Fact]
    public void Json_portfolio_with_duplicate_key_is_rejected()
    {
        var json = """{"schema": "custodes.portfolio/v1", "organizations": [], "organizations": []}""";
        var e = Assert.Throws<BadInputException>(() => PortfolioFile.Parse(Encoding.UTF8.GetBytes(json), "p.json"));
        Assert.Contains("duplicate key", e.Message);
    }

    [Fact]
    public void Validation_of_a_portfolio_built_in_code_names_the_path()
    {
        var portfolio = new Portfolio
        {
            Organizations = [new Organization { Id = "a", Name = "A", Kind = OrganizationKind.Msp }],
            Relationships = [new Relationship { Customer = "b", Provider = "a" }],
        };
        var e = Assert.Throws<BadInputException>(() => ValidatePortfolio.Check(portfolio));
        Assert.Equal("$.relationships[0].customer", e.Path);
    }
}
