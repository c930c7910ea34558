using System.Text.Json;

namespace Custodes.Catalogs;

/// <summary>The four frameworks of contracts §1, built once from the embedded reference data (see Data/PROVENANCE.md).</summary>
/// <remarks>Immutable reference data, not state: safe to share across requests and processes' threads.</remarks>
public static class CatalogSet
{
    private static readonly Lazy<IReadOnlyDictionary<string, Catalog>> Loaded = new(Load);

    public static Catalog NistR2 => Get(Frameworks.NistR2);
    public static Catalog NistR3 => Get(Frameworks.NistR3);

    /// <summary>The catalog of a framework id, or null when the id is unknown.</summary>
    public static Catalog? Find(string framework) => Loaded.Value.GetValueOrDefault(framework);

    public static Catalog Get(string framework) =>
        Find(framework) ?? throw new ArgumentException($"unknown framework '{framework}'; expected one of {string.Join(", ", Frameworks.All)}", nameof(framework));

    private static IReadOnlyDictionary<string, Catalog> Load()
    {
        using var r2Doc = Read("nist-sp800-171r2.json");
        using var objDoc = Read("nist-sp800-171a-objectives.json");
        using var r3Doc = Read("nist-sp800-171r3.json");
        using var mapDoc = Read("nist-sp800-171-r2-to-r3.json");

        var objectives = objDoc.RootElement.GetProperty("objectives").EnumerateArray()
            .Select(o => new Objective(o.GetProperty("id").GetString()!, o.GetProperty("requirement_id").GetString()!, o.GetProperty("text").GetString()!))
            .ToArray();
        var objectivesByRequirement = objectives.GroupBy(o => o.RequirementId).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(o => o.Id).ToArray());
        var cmmcIds = objDoc.RootElement.GetProperty("by_requirement").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetProperty("cmmc_practice_id").GetString()!);

        var mapping = mapDoc.RootElement.EnumerateArray().ToDictionary(
            m => m.GetProperty("r2").GetString()!,
            m => new RevisionMapping(
                m.GetProperty("r3").EnumerateArray().Select(t => t.GetString()!).ToArray(),
                m.GetProperty("relationship").GetString()!,
                m.GetProperty("disposition").GetString()!,
                m.TryGetProperty("nist_change", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null));

        var r2 = r2Doc.RootElement.GetProperty("requirements").EnumerateArray().Select(e =>
        {
            var id = e.GetProperty("id").GetString()!;
            PartialCreditRule? partial = null;
            if (e.GetProperty("partial_credit").ValueKind == JsonValueKind.Object)
            {
                var p = e.GetProperty("partial_credit");
                partial = new PartialCreditRule(PartialValues.For(id), p.GetProperty("partial_deduction").GetInt32(), p.GetProperty("condition").GetString()!);
            }
            return new Requirement
            {
                Id = id,
                FamilyId = e.GetProperty("family_id").GetString()!,
                Family = e.GetProperty("family").GetString()!,
                Text = e.GetProperty("text").GetString()!,
                Points = e.GetProperty("dod_points").GetInt32(),
                PartialCredit = partial,
                Type = e.GetProperty("type").GetString(),
                Level1 = e.GetProperty("far_52_204_21").GetBoolean(),
                CmmcId = cmmcIds[id],
                Objectives = objectivesByRequirement[id],
                MethodologyComment = e.GetProperty("methodology_comment").ValueKind == JsonValueKind.String ? e.GetProperty("methodology_comment").GetString() : null,
                R3 = mapping[id],
            };
        }).ToArray();

        // CMMC Level 2 cites every practice as XX.L2-…, also the 17 whose Level 1 form is XX.L1-… .
        var l2 = r2.Select(r => r with { CmmcId = r.CmmcId!.Replace(".L1-", ".L2-", StringComparison.Ordinal) }).ToArray();
        var l1 = r2.Where(r => r.Level1).Select(r => r with { CmmcId = r.CmmcId!.Replace(".L2-", ".L1-", StringComparison.Ordinal) }).ToArray();

        var predecessors = mapping.SelectMany(m => m.Value.Targets.Select(t => (r3: t, r2: m.Key)))
            .GroupBy(x => x.r3).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(x => x.r2).ToArray());
        var r3 = r3Doc.RootElement.GetProperty("requirements").EnumerateArray()
            .Where(e => !e.GetProperty("withdrawn").GetBoolean())
            .Select(e =>
            {
                var id = e.GetProperty("id").GetString()!;
                return new Requirement
                {
                    Id = id,
                    FamilyId = e.GetProperty("family_id").GetString()!,
                    Family = e.GetProperty("family").GetString()!,
                    Title = e.GetProperty("title").GetString(),
                    Text = e.GetProperty("text").GetString()!,
                    Points = null,
                    Objectives = [],
                    R2Predecessors = predecessors.GetValueOrDefault(id) ?? [],
                };
            }).ToArray();

        var r2Objectives = objectives;
        var l1Objectives = objectives.Where(o => l1.Any(r => r.Id == o.RequirementId)).ToArray();
        return new Dictionary<string, Catalog>(StringComparer.Ordinal)
        {
            [Frameworks.NistR2] = new(Frameworks.NistR2, "NIST SP 800-171 Revision 2", r2, r2Objectives),
            [Frameworks.NistR3] = new(Frameworks.NistR3, "NIST SP 800-171 Revision 3", r3, []),
            [Frameworks.CmmcL1] = new(Frameworks.CmmcL1, "CMMC Level 1 (FAR 52.204-21)", l1, l1Objectives),
            [Frameworks.CmmcL2] = new(Frameworks.CmmcL2, "CMMC Level 2", l2, r2Objectives),
        };
    }

    private static JsonDocument Read(string name)
    {
        using var stream = typeof(CatalogSet).Assembly.GetManifestResourceStream($"Custodes.Catalogs.{name}")
            ?? throw new InvalidOperationException($"embedded catalog data {name} is missing from the build");
        return JsonDocument.Parse(stream);
    }

    /// <summary>Raw bytes of an embedded reference file, for the provenance check.</summary>
    public static byte[] ReadRaw(string name)
    {
        using var stream = typeof(CatalogSet).Assembly.GetManifestResourceStream($"Custodes.Catalogs.{name}")
            ?? throw new InvalidOperationException($"embedded catalog data {name} is missing from the build");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

/// <summary>The two <c>partial</c> values of contracts §2, each allowed on one requirement only.</summary>
public static class PartialValues
{
    public const string MfaRemoteAndPrivilegedOnly = "mfa-remote-and-privileged-only";
    public const string EncryptionNotFipsValidated = "encryption-not-fips-validated";

    public static string For(string requirementId) => requirementId switch
    {
        "3.5.3" => MfaRemoteAndPrivilegedOnly,
        "3.13.11" => EncryptionNotFipsValidated,
        _ => throw new ArgumentOutOfRangeException(nameof(requirementId), requirementId, "no partial credit for this requirement"),
    };
}
