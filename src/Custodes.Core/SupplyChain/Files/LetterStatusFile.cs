using Custodes.Catalogs;
using Custodes.Common;
using Custodes.Common.Documents;

namespace Custodes.SupplyChain;

/// <summary>Reads <c>custodes.letter-status/v1</c> files: the current letter of each provider as the attestation feature verified it (docs/supply-chain.md).</summary>
public static class LetterStatusFile
{
    public const string Schema = "custodes.letter-status/v1";
    public const long MaxBytes = 64 * 1024 * 1024;

    private static readonly string[] RootKeys = ["schema", "letters"];
    private static readonly string[] LetterKeys =
        ["letter_id", "provider", "signature_valid", "expired", "revoked", "valid_until", "framework", "issuer", "assessed_on", "score", "cmmc_level2", "met", "not_met",
         // The fields of `custodes attest status --json` (GET /api/v1/letters/{id}/status), so its output can be pasted in: status sets revoked/expired.
         "status", "subject_organization", "revoked_at", "reason", "revocation_index", "issued_at", "log_index", "key_id", "checked_at"];

    /// <summary>Parses the letters; one letter per provider (its current one).</summary>
    public static IReadOnlyList<LetterState> Parse(ReadOnlySpan<byte> bytes, string file)
    {
        var root = DocumentReader.Read(bytes, file).AsMap();
        root.OnlyKeys(RootKeys);
        var schema = root.Required("schema");
        if (schema.AsString() != Schema) throw schema.Error($"unsupported schema {DocNodeExtensions.Describe(schema)}; expected '{Schema}'");
        var letters = new List<LetterState>();
        var providers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in root.Required("letters").AsList().Items)
        {
            var letter = ReadLetter(item.AsMap());
            if (!providers.Add(letter.Provider))
                throw item.Error($"{letter.Provider} has more than one letter; give each provider's current letter only");
            letters.Add(letter);
        }
        return letters;
    }

    private static LetterState ReadLetter(DocMap map)
    {
        map.OnlyKeys(LetterKeys);
        var frameworkNode = map.Get("framework");
        var framework = frameworkNode.IsNull() ? null : frameworkNode!.AsString();
        var catalog = framework is null ? CatalogSet.NistR2 : CatalogSet.Find(framework)
            ?? throw frameworkNode!.Error($"unknown framework '{framework}'; expected one of {string.Join(", ", Frameworks.All)}");
        var met = map.Get("met");
        var notMet = map.Get("not_met");
        if (!met.IsNull() && !notMet.IsNull()) throw notMet!.Error("give either 'met' or 'not_met', not both");
        if (met.IsNull() && notMet.IsNull())
            throw new BadInputException("missing 'met' (the requirements met in the attested assessment) or 'not_met' (all others are met)", map.File, DocumentReader.Child(map.Path, "met"), map.Line);
        HashSet<string> metSet;
        if (!met.IsNull()) metSet = Ids(met!, catalog);
        else
        {
            if (framework is null) throw notMet!.Error("'not_met' needs 'framework', to know which requirements are met");
            var excluded = Ids(notMet!, catalog);
            metSet = catalog.Requirements.Select(r => r.Id).Where(id => !excluded.Contains(id)).ToHashSet(StringComparer.Ordinal);
        }
        var cmmc = map.Get("cmmc_level2");
        string? cmmcStatus = null;
        if (!cmmc.IsNull())
        {
            cmmcStatus = cmmc!.AsString();
            if (cmmcStatus is not ("final" or "conditional" or "no-status")) throw cmmc!.Error($"invalid CMMC status '{cmmcStatus}'; expected final, conditional or no-status");
        }
        var statusNode = map.Get("status");
        var status = statusNode.IsNull() ? null : statusNode!.AsString();
        if (status is not (null or "valid" or "revoked" or "expired"))
            throw statusNode!.Error(status == "unknown" ? "the installation does not know this letter (status 'unknown'): leave it out, the provider then has no letter"
                : $"invalid status '{status}'; expected valid, revoked or expired (as 'custodes attest status --json' prints)");
        var revoked = map.OptionalBool("revoked");
        var expired = map.OptionalBool("expired");
        if (status is not null && (revoked == (status != "revoked") && revoked is not null || expired is true && status == "valid"))
            throw statusNode!.Error($"status '{status}' contradicts the revoked/expired flags");
        return new LetterState
        {
            LetterId = map.Required("letter_id").AsNonEmptyString(),
            Provider = map.Required("provider").AsNonEmptyString(),
            SignatureValid = map.OptionalBool("signature_valid") ?? true,
            Expired = expired ?? status == "expired",
            Revoked = revoked ?? status == "revoked",
            ValidUntil = ValidUntil(map),
            Framework = framework is null ? null : catalog.Framework,
            Issuer = map.OptionalString("issuer"),
            AssessedOn = map.OptionalDate("assessed_on"),
            Score = map.OptionalInt("score", -203, 110),
            CmmcLevel2 = cmmcStatus,
            MetRequirements = metSet,
        };
    }

    // valid_until is a date, or a timestamp as the status API writes it (2027-11-23T10:26:53Z).
    private static DateOnly? ValidUntil(DocMap map)
    {
        var node = map.Get("valid_until");
        if (node.IsNull()) return null;
        var text = node!.AsString();
        if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) && text.Contains('T'))
            return DateOnly.FromDateTime(at.UtcDateTime);
        return map.OptionalDate("valid_until");
    }

    private static HashSet<string> Ids(DocNode node, Catalog catalog)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in node.AsList().Items)
        {
            var requirement = catalog.Find(item.AsString()) ?? throw item.Error($"unknown requirement '{item.AsString()}' in {catalog.Framework}");
            if (!set.Add(requirement.Id)) throw item.Error($"requirement {requirement.Id} is listed twice");
        }
        return set;
    }
}
