using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Custodes.SupplyChain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Custodes.Core.Tests.SupplyChain;

/// <summary>A graph read back from its snapshot is the graph that was built: same portfolio, same answer to every query.</summary>
public sealed class PortfolioGraphSnapshotTests
{
    [Property(MaxTest = 200)]
    public Property A_graph_read_from_its_snapshot_answers_every_query_as_the_built_one() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var portfolio = BlastRadiusPropertyTests.RandomPortfolio(new Random(seed));
            ValidatePortfolio.Check(portfolio);
            return Answers(PortfolioGraph.Build(portfolio)) == Answers(RoundTrip(PortfolioGraph.Build(portfolio)));
        });

    [Fact]
    public void Generated_supply_chain_reads_back_with_identical_answers()
    {
        var chain = SyntheticSupplyChain.Generate(providers: 40, customers: 400, relationships: 1_500);
        var built = PortfolioGraph.Build(chain.Portfolio);
        var read = RoundTrip(built);
        Assert.Equal(Answers(built), Answers(read));
        // The case the benchmark measures: the provider with the most subcontracting customers reaches through other providers.
        var subcontractor = chain.Portfolio.Relationships.Where(r => r.Customer.StartsWith('p')).GroupBy(r => r.Provider).MaxBy(g => g.Count())!.Key;
        Assert.Contains(ComputeBlastRadius.For(read, subcontractor).Customers, c => c.Via.Count > 2);
        Assert.Equal(Json(ComputeBlastRadius.For(built, subcontractor)), Json(ComputeBlastRadius.For(read, subcontractor)));
    }

    [Fact]
    public void Every_field_of_the_portfolio_survives_the_snapshot()
    {
        // The dental sample has tenants, relationship ids, contract dates, instances, named tools, a subcontractor and undeclared data.
        var portfolio = Samples.DentalMsp();
        portfolio = portfolio with
        {
            Organizations = portfolio.Organizations.Select((o, i) => i == 0 ? o with { CustodesOrganization = "0199c3a4-1c2b-7d3e-8f40-123456789abc" } : o).ToArray(),
            Relationships = portfolio.Relationships.Select((r, i) => i == 1 ? r with { Endpoints = null, Data = DataClasses.None } : r).ToArray(),
        };
        ValidatePortfolio.Check(portfolio);
        var read = RoundTrip(PortfolioGraph.Build(portfolio));
        Assert.Equal(Encoding.UTF8.GetString(PortfolioFile.ToJson(portfolio)), Encoding.UTF8.GetString(PortfolioFile.ToJson(read.Portfolio)));
        Assert.Equal(Answers(PortfolioGraph.Build(portfolio)), Answers(read));
    }

    [Fact]
    public void Empty_portfolio_and_tools_without_relationships_read_back()
    {
        var empty = RoundTrip(PortfolioGraph.Build(new Portfolio()));
        Assert.Equal(0, empty.NodeCount);
        Assert.Empty(ConcentrationRisk.Rank(empty));
        Assert.Empty(empty.Portfolio.Relationships);

        var idle = Samples.Parse("""
            organizations:
              - {id: msp, name: MSP, kind: msp}
            tools:
              - {id: msp-rmm, product: ninjaone, operator: msp}
            """);
        var read = RoundTrip(PortfolioGraph.Build(idle));
        Assert.Equal(Answers(PortfolioGraph.Build(idle)), Answers(read));
        Assert.Empty(ComputeBlastRadius.For(read, "msp").Customers);
    }

    [Fact]
    public void Writing_a_read_graph_gives_the_same_bytes()
    {
        var snapshot = PortfolioGraph.Build(Samples.DentalMsp()).ToSnapshot();
        Assert.Equal(snapshot, PortfolioGraph.FromSnapshot(snapshot).ToSnapshot());
    }

    [Fact]
    public void Another_format_is_rejected_by_name()
    {
        var snapshot = PortfolioGraph.Build(Samples.DentalMsp()).ToSnapshot();
        snapshot[0] = PortfolioGraph.SnapshotFormat + 1;
        var e = Assert.Throws<InvalidDataException>(() => PortfolioGraph.FromSnapshot(snapshot));
        Assert.Contains($"format {PortfolioGraph.SnapshotFormat + 1}", e.Message);
        Assert.Contains($"format {PortfolioGraph.SnapshotFormat} only", e.Message);
    }

    [Fact]
    public void Damaged_snapshots_are_rejected()
    {
        var snapshot = PortfolioGraph.Build(Samples.DentalMsp()).ToSnapshot();
        var flipped = snapshot.ToArray();
        flipped[flipped.Length / 2] ^= 0x40;
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => PortfolioGraph.FromSnapshot(flipped)).Message);
        Assert.Throws<InvalidDataException>(() => PortfolioGraph.FromSnapshot(snapshot.AsSpan(0, snapshot.Length / 2)));
        Assert.Throws<InvalidDataException>(() => PortfolioGraph.FromSnapshot([]));
        Assert.Throws<InvalidDataException>(() => PortfolioGraph.FromSnapshot([PortfolioGraph.SnapshotFormat]));
    }

    [Property(MaxTest = 300)]
    public Property Inconsistent_content_with_a_valid_checksum_is_rejected_as_damaged_never_read_out_of_range() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            // A writer bug rather than a bad disk: any byte changed, the checksum recomputed. The reader either accepts a graph or says why not.
            var random = new Random(seed);
            var snapshot = PortfolioGraph.Build(Samples.DentalMsp()).ToSnapshot();
            var at = random.Next(1, snapshot.Length - 32);
            snapshot[at] = (byte)random.Next(256);
            if (random.Next(4) == 0 && at + 4 < snapshot.Length - 32) BinaryPrimitives.WriteInt32LittleEndian(snapshot.AsSpan(at), random.Next(-2, 2_000));
            SHA256.HashData(snapshot.AsSpan(0, snapshot.Length - 32), snapshot.AsSpan(snapshot.Length - 32));
            try
            {
                _ = PortfolioGraph.FromSnapshot(snapshot).Portfolio.Relationships.Count;
                return true;
            }
            catch (InvalidDataException)
            {
                return true;
            }
        });

    private static PortfolioGraph RoundTrip(PortfolioGraph graph) => PortfolioGraph.FromSnapshot(graph.ToSnapshot());

    /// <summary>Every query's answer from every organization and tool, as JSON: blast radius, what-if, concentration, provider comparison.</summary>
    private static string Answers(PortfolioGraph graph)
    {
        var answers = new StringBuilder();
        var portfolio = graph.Portfolio;
        foreach (var id in portfolio.Organizations.Select(o => o.Id).Concat(portfolio.Tools.Select(t => t.Id)).Order(StringComparer.Ordinal))
        {
            answers.AppendLine(Json(ComputeBlastRadius.For(graph, id)));
            answers.AppendLine(Json(AssessCompromise.For(graph, id)));
        }
        answers.AppendLine(Json(ConcentrationRisk.Rank(graph)));
        foreach (var org in portfolio.Organizations)
            answers.AppendLine(Json(CompareProviders.For(graph, org.Id, new Dictionary<string, ProviderPosture>(), new DateOnly(2026, 11, 23))));
        return answers.ToString();
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);
}
