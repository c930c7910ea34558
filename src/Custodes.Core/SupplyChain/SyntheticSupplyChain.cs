using Custodes.Assessments;
using Custodes.Catalogs;

namespace Custodes.SupplyChain;

/// <summary>A deterministic, realistic-looking large supply chain for benchmarks, load tests and demos: portfolio, matrices, letters, assessments.</summary>
/// <remarks>
/// Customers pick providers with a Zipf-like skew, so a few providers serve thousands of customers (the shape that makes Kaseya-style attacks
/// large). Ordinary providers subcontract to the last 5% ("big" MSSPs, cloud and backup providers), which may subcontract to bigger ones,
/// always to a higher index, so the chains are deep but acyclic.
/// </remarks>
public sealed record SyntheticSupplyChain(
    Portfolio Portfolio,
    IReadOnlyDictionary<string, ResponsibilityMatrix> Matrices,
    IReadOnlyDictionary<string, LetterState> Letters,
    IReadOnlyDictionary<string, CompactAssessment> Assessments)
{
    public static SyntheticSupplyChain Generate(int providers = 2_000, int customers = 50_000, int relationships = 200_000, int seed = 171)
    {
        var random = new Random(seed);
        var catalog = CatalogSet.NistR2;
        var requirementIds = catalog.Requirements.Select(r => r.Id).ToArray();
        var orgs = new List<Organization>(providers + customers);
        var tools = new List<Tool>(providers * 2);
        var toolsOf = new string[providers][];
        var big = Math.Max(1, providers / 20);
        for (var p = 0; p < providers; p++)
        {
            var kind = p >= providers - big
                ? (p % 3) switch { 0 => OrganizationKind.Mssp, 1 => OrganizationKind.CloudProvider, _ => OrganizationKind.BackupProvider }
                : OrganizationKind.Msp;
            var id = $"p{p:D5}";
            orgs.Add(new Organization { Id = id, Name = $"Provider {p}", Kind = kind, Data = DataClasses.Pii });
            var product = (ToolProduct)(p % 8);
            var own = new List<string> { $"{id}-rmm" };
            tools.Add(new Tool { Id = own[0], Product = product, Operator = id, Instance = $"https://rmm.{id}.example" });
            if (p % 3 == 0)
            {
                own.Add($"{id}-remote");
                tools.Add(new Tool { Id = own[1], Product = ToolProduct.Screenconnect, Operator = id });
            }
            toolsOf[p] = [.. own];
        }
        for (var c = 0; c < customers; c++)
        {
            var roll = random.Next(100);
            DataClasses? data = roll switch
            {
                < 10 => DataClasses.Cui | DataClasses.Fci | DataClasses.Pii,
                < 30 => DataClasses.Phi | DataClasses.Pii,
                < 40 => DataClasses.Pci | DataClasses.Pii,
                < 80 => DataClasses.Pii,
                < 95 => DataClasses.None,
                _ => null,
            };
            orgs.Add(new Organization { Id = $"c{c:D6}", Name = $"Customer {c}", Kind = OrganizationKind.Customer, Data = data });
        }

        var rels = new List<Relationship>(relationships);
        var pairs = new HashSet<long>();
        // Subcontracting: about 2% of relationships, each to a higher-indexed big provider.
        var subcontracts = Math.Min(relationships / 50, providers * 3);
        for (var k = 0; k < subcontracts && big > 0; k++)
        {
            var customer = random.Next(providers - 1);
            var low = Math.Max(customer + 1, providers - big);
            var provider = random.Next(low, providers);
            if (!pairs.Add(((long)customer << 32) | (uint)provider)) continue;
            rels.Add(new Relationship
            {
                Customer = $"p{customer:D5}", Provider = $"p{provider:D5}",
                Services = Services.Backup | Services.SecurityMonitoring, Tools = [toolsOf[provider][0]],
                Access = AccessLevels.BackupAdmin, Endpoints = random.Next(2, 40),
            });
        }
        // Customers: Zipf-like choice of provider (rank r with weight 1/(r+1)), via a cumulative table.
        var cumulative = new double[providers];
        var total = 0.0;
        for (var p = 0; p < providers; p++) cumulative[p] = total += 1.0 / (p + 1);
        var perm = Enumerable.Range(0, providers).OrderBy(_ => random.Next()).ToArray();
        for (var attempts = 0; rels.Count < relationships && attempts < relationships * 4; attempts++)
        {
            var c = rels.Count % customers;
            var rank = Array.BinarySearch(cumulative, random.NextDouble() * total);
            var p = perm[rank < 0 ? ~rank : rank];
            if (!pairs.Add(((long)(providers + c) << 32) | (uint)p)) continue;
            var access = random.Next(10) switch { < 6 => AccessLevels.AdminAllEndpoints, < 8 => AccessLevels.CloudGlobalAdmin, 8 => AccessLevels.DomainAdmin, _ => AccessLevels.ReadOnly };
            rels.Add(new Relationship
            {
                Customer = $"c{c:D6}", Provider = $"p{p:D5}",
                Services = access == AccessLevels.CloudGlobalAdmin ? Services.Microsoft365 | Services.Azure : Services.OnPremisesIt | Services.HelpDesk,
                Tools = random.Next(4) == 0 ? toolsOf[p] : [toolsOf[p][0]],
                Access = access, Endpoints = random.Next(1, 200),
            });
        }
        AddRecoveryFacts(orgs, rels, providers, new Random(seed + 13));
        var portfolio = new Portfolio { Organizations = orgs, Tools = tools, Relationships = rels };

        var matrices = new Dictionary<string, ResponsibilityMatrix>(providers, StringComparer.Ordinal);
        var letters = new Dictionary<string, LetterState>(providers, StringComparer.Ordinal);
        for (var p = 0; p < providers; p++)
        {
            var id = $"p{p:D5}";
            var entries = new Dictionary<string, CrmEntry>(StringComparer.Ordinal);
            while (entries.Count < 20)
                if (requirementIds[random.Next(requirementIds.Length)] is var pick && pick != "3.12.4") // a provider never owns the customer's SSP
                    entries[pick] = new CrmEntry(entries.Count < 15 ? Responsibility.Provider : Responsibility.Shared, "generated");
            matrices[id] = new ResponsibilityMatrix { Provider = id, Framework = Frameworks.NistR2, Requirements = entries };
            var notMet = Enumerable.Range(0, random.Next(0, 4)).Select(_ => requirementIds[random.Next(requirementIds.Length)]).ToHashSet();
            letters[id] = new LetterState
            {
                LetterId = $"letter-{id}", Provider = id, ValidUntil = new DateOnly(2027, 12, 31), Framework = Frameworks.NistR2,
                MetRequirements = requirementIds.Where(r => !notMet.Contains(r)).ToHashSet(StringComparer.Ordinal),
                AssessedOn = new DateOnly(2026, 6, 1), Score = 110 - 5 * notMet.Count,
            };
        }
        var assessments = new Dictionary<string, CompactAssessment>(customers, StringComparer.Ordinal);
        var statuses = new Status[requirementIds.Length];
        for (var c = 0; c < customers; c++)
        {
            for (var i = 0; i < statuses.Length; i++)
                statuses[i] = requirementIds[i] == "3.12.4" ? Status.Met : random.Next(100) switch { < 85 => Status.Met, < 95 => Status.NotMet, < 98 => Status.NotApplicable, _ => Status.Unassessed };
            assessments[$"c{c:D6}"] = CompactAssessment.Of(Frameworks.NistR2, $"c{c:D6}", statuses, ssp: true, assessedOn: new DateOnly(2026, 9, 1));
        }
        return new SyntheticSupplyChain(portfolio, matrices, letters, assessments);
    }

    /// <summary>
    /// Recovery capacity for every provider (bigger providers more crews, every tenth with a surge partner) and servers and a backup for most
    /// relationships, of every kind the schedule judges. A random source of its own, so the portfolio's shape is the one generated before.
    /// </summary>
    private static void AddRecoveryFacts(List<Organization> orgs, List<Relationship> rels, int providers, Random random)
    {
        var asOf = new DateOnly(2026, 12, 1);
        for (var p = 0; p < providers; p++)
            orgs[p] = orgs[p] with
            {
                Recovery = new Recovery
                {
                    Crews = 1 + p % 6 + (orgs[p].Kind == OrganizationKind.Msp ? 0 : 10),
                    HoursPerEndpoint = 1 + p % 4 * 0.5m,
                    HoursPerServer = 4 + p % 3 * 2,
                    Surge = p % 10 == 0 ? [new SurgePartner { Name = $"Responder {p}", Crews = 5, StartDelayHours = 24 + p % 4 * 12 }] : [],
                },
            };
        for (var i = 0; i < rels.Count; i++)
        {
            var roll = random.Next(100);
            rels[i] = rels[i] with
            {
                Servers = random.Next(0, 4),
                Backup = roll < 20 ? null : new Backup
                {
                    Immutable = roll >= 50,
                    Offsite = roll >= 35,
                    LastRestoreTest = roll % 7 == 0 ? null : asOf.AddDays(-random.Next(0, 400)),
                    RtoHours = roll % 3 == 0 ? 24 * random.Next(1, 8) : null,
                    Provider = roll >= 80 ? $"p{providers - 1 - roll % Math.Max(1, providers / 20):D5}" : null,
                },
            };
        }
    }

    /// <summary>The provider serving the most customers directly: the worst case for a revocation.</summary>
    public string LargestProvider(PortfolioGraph graph) =>
        Portfolio.Organizations.Where(o => o.Kind.IsProvider()).MaxBy(o => graph.RelationshipsOfProvider(graph.IndexOf(o.Id)).Length)!.Id;
}
