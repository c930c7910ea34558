using Custodes.Common;
using Custodes.SupplyChain;

namespace Custodes.Core.Tests.SupplyChain;

public sealed class BlastRadiusTests
{
    private static readonly PortfolioGraph Dental = PortfolioGraph.Build(Samples.DentalMsp());

    [Fact]
    public void Blast_radius_of_the_contract_example_goes_through_the_tool()
    {
        var portfolio = Samples.Parse("""
            organizations:
              - {id: percsoft, name: PerCSoft, kind: msp}
              - {id: dental-042, name: Smile Dental, kind: customer, data: [PHI]}
            tools:
              - {id: percsoft-vsa, product: kaseya-vsa, operator: percsoft}
            relationships:
              - {customer: dental-042, provider: percsoft, services: [on-premises-it, backup], tools: [percsoft-vsa], access: admin-all-endpoints, endpoints: 12}
            """);
        var radius = ComputeBlastRadius.For(PortfolioGraph.Build(portfolio), "percsoft");
        var customer = Assert.Single(radius.Customers);
        Assert.Equal("dental-042", customer.Id);
        Assert.Equal(["percsoft", "percsoft-vsa"], customer.Via);
        Assert.Equal(12, customer.Endpoints);
        Assert.Equal(["PHI"], customer.Data);
        Assert.Equal(1, radius.TotalCustomers);
        Assert.Equal(12, radius.TotalEndpoints);
    }

    [Fact]
    public void Blast_radius_of_an_rmm_instance_reaches_every_practice_it_manages()
    {
        var radius = ComputeBlastRadius.For(Dental, "frontrange-vsa");
        Assert.Equal(10, radius.TotalCustomers);
        Assert.All(radius.Customers, c => Assert.Equal(["frontrange-vsa"], c.Via));
        Assert.All(radius.Customers, c => Assert.Equal(["PHI", "PII"], c.Data));
        Assert.Equal(12 + 18 + 9 + 14 + 7 + 22 + 11 + 6 + 16 + 10, radius.TotalEndpoints);
    }

    [Fact]
    public void Blast_radius_reaches_customers_of_a_subcontractor()
    {
        var radius = ComputeBlastRadius.For(Dental, "vaultline");
        Assert.Equal(11, radius.TotalCustomers); // Front Range itself and its ten practices
        var msp = radius.Customers.Single(c => c.Id == "frontrange-it");
        Assert.Equal(["vaultline", "vaultline-console"], msp.Via);
        var practice = radius.Customers.Single(c => c.Id == "dental-001");
        Assert.Equal(["vaultline", "vaultline-console", "frontrange-it", "frontrange-vsa"], practice.Via);
    }

    [Fact]
    public void Via_is_the_shortest_path_then_the_lexicographically_smallest()
    {
        // dental-002 is reached from Front Range through both its VSA and its ScreenConnect: frontrange-screenconnect < frontrange-vsa.
        var radius = ComputeBlastRadius.For(Dental, "frontrange-it");
        Assert.Equal(["frontrange-it", "frontrange-screenconnect"], radius.Customers.Single(c => c.Id == "dental-002").Via);
        Assert.Equal(["frontrange-it", "frontrange-vsa"], radius.Customers.Single(c => c.Id == "dental-001").Via);
    }

    [Fact]
    public void Endpoints_reached_by_two_providers_are_counted_once_at_the_larger_count()
    {
        // A NOC's RMM serves customer c directly (30 endpoints) and through the MSP that subcontracts the NOC (20): c counts once, at 30.
        var portfolio = Samples.Parse("""
            organizations:
              - {id: noc, name: NOC, kind: mssp}
              - {id: msp, name: MSP, kind: msp}
              - {id: c, name: C, kind: customer}
            tools:
              - {id: noc-rmm, product: datto-rmm, operator: noc}
            relationships:
              - {customer: msp, provider: noc, tools: [noc-rmm], endpoints: 5}
              - {customer: c, provider: noc, tools: [noc-rmm], endpoints: 30}
              - {customer: c, provider: msp, tools: [noc-rmm], endpoints: 20}
            """);
        var radius = ComputeBlastRadius.For(PortfolioGraph.Build(portfolio), "noc");
        Assert.Equal(30, radius.Customers.Single(c => c.Id == "c").Endpoints);
        Assert.Equal(35, radius.TotalEndpoints);
    }

    [Fact]
    public void Cloud_msp_compromise_reaches_the_defense_subcontractors_cui()
    {
        var radius = ComputeBlastRadius.For(Dental, "stratus-cloud");
        var customer = Assert.Single(radius.Customers);
        Assert.Equal("aerotech-machining", customer.Id);
        Assert.Equal(["CUI", "FCI", "PII"], customer.Data);
    }

    [Fact]
    public void Relationship_data_narrows_what_a_vendor_reaches()
    {
        var radius = ComputeBlastRadius.For(Dental, "chartwell-software");
        Assert.Equal(["dental-002", "dental-006", "dental-009"], radius.Customers.Select(c => c.Id));
        Assert.All(radius.Customers, c => Assert.Equal(["PHI"], c.Data));
    }

    [Fact]
    public void A_customer_reaches_nobody()
    {
        Assert.Empty(ComputeBlastRadius.For(Dental, "dental-001").Customers);
    }

    [Fact]
    public void Unknown_root_is_bad_input()
    {
        Assert.Throws<BadInputException>(() => ComputeBlastRadius.For(Dental, "nobody"));
    }

    [Fact]
    public void Concentration_ranks_the_msp_whose_tools_reach_most_practices_first()
    {
        var ranked = ConcentrationRisk.Rank(Dental);
        Assert.Equal("vaultline", ranked[0].Id); // the subcontractor reaches the MSP and all its practices
        Assert.Equal(["vaultline", "vaultline-console", "frontrange-it", "frontrange-vsa"], ranked.Take(4).Select(e => e.Id));
        Assert.Equal(10, ranked.Single(e => e.Id == "frontrange-vsa").SensitiveCustomers);
        Assert.Equal("kaseya-vsa", ranked.Single(e => e.Id == "frontrange-vsa").Product);
    }

    [Fact]
    public void Compromise_report_puts_customers_with_cui_or_phi_first_weighted_by_access()
    {
        var portfolio = Samples.Parse("""
            organizations:
              - {id: msp, name: MSP, kind: msp}
              - {id: big-shop, name: Big Shop, kind: customer, data: [PCI, PII]}
              - {id: clinic, name: Clinic, kind: customer, data: [PHI]}
              - {id: machinist, name: Machinist, kind: customer, data: [CUI]}
              - {id: bakery, name: Bakery, kind: customer, data: [none]}
            relationships:
              - {customer: big-shop, provider: msp, access: admin-all-endpoints, endpoints: 500}
              - {customer: clinic, provider: msp, access: read-only, endpoints: 10}
              - {customer: machinist, provider: msp, access: domain-admin, endpoints: 10}
              - {customer: bakery, provider: msp, access: admin-all-endpoints, endpoints: 900}
            """);
        var report = AssessCompromise.For(PortfolioGraph.Build(portfolio), "msp");
        Assert.Equal(["machinist", "clinic", "big-shop", "bakery"], report.Customers.Select(c => c.Id));
        Assert.Equal("critical", report.Customers[0].Tier);
        Assert.Equal(110, report.Customers[0].Exposure); // 10 × 1.0 × (1 + 10)
        Assert.Equal(2, report.CustomersByTier["critical"]);
    }
}
