using Custodes.Assessments;
using Custodes.Assessments.Scoring;
using Custodes.Catalogs;

namespace Custodes.SupplyChain;

/// <summary>One of a customer's providers: its responsibility matrix and the state of its letter (null when it has none).</summary>
public sealed record ProviderCoverage(ResponsibilityMatrix Matrix, LetterState? Letter)
{
    public string Provider => Matrix.Provider;
}

/// <summary>The customer's effective assessment after inheritance, its score, and what was inherited from whom.</summary>
public sealed record InheritanceResult(Assessment Effective, ScoreReport Score, InheritanceReport Report);

/// <summary>Every requirement a customer inherits (fully or shared) and whether the inheritance holds.</summary>
public sealed record InheritanceReport(string Customer, string Framework, DateOnly AsOf, int Holding, int Failing, IReadOnlyList<InheritedRequirement> Requirements);

/// <summary>One inherited requirement: combined responsibility, the customer's own and effective status, and each provider's claim.</summary>
public sealed record InheritedRequirement(string Id, Responsibility Responsibility, Status Own, Status Effective, bool Holds, IReadOnlyList<ProviderClaim> Providers);

/// <summary>A provider's part in one requirement: its responsibility, its letter, and whether it holds (<see cref="InheritanceCause"/>).</summary>
public sealed record ProviderClaim(string Provider, Responsibility Responsibility, string? LetterId, DateOnly? ValidUntil, InheritanceCause Cause, string? Description);

/// <summary>Computes a customer's effective assessment from its own, its providers' responsibility matrices and their letters.</summary>
/// <remarks>
/// Rules (docs/supply-chain.md): a requirement that no provider claims (<c>provider</c> or <c>shared</c>) keeps the customer's determination.
/// A claimed requirement holds when every claiming provider holds: its letter has a valid signature, is not revoked, not expired at
/// <c>asOf</c>, and the requirement is met in the attested assessment. Claimed <c>provider</c> by all → met while it holds, otherwise not met.
/// Claimed <c>shared</c> by any → the customer's own determination while it holds (unassessed stays unassessed), otherwise not met.
/// The customer's own <c>not-applicable</c> always stands: the requirement does not apply to its environment.
/// Inherited requirements are written at requirement level with the inheritance in <see cref="Finding.Note"/> and <c>letter:&lt;id&gt;</c>
/// evidence; their objective findings are dropped (they would contradict the new status).
/// </remarks>
public static class ApplyInheritance
{
    public static InheritanceResult Apply(Assessment customer, IReadOnlyList<ProviderCoverage> providers, DateOnly asOf)
    {
        var resolution = Resolution.Resolve(customer);
        var catalog = resolution.Catalog;
        var compiled = providers.Select(p => Compiled.From(p, catalog, asOf)).ToArray();
        var requirements = new Dictionary<string, Finding>(customer.Requirements, StringComparer.Ordinal);
        var touched = new HashSet<string>(StringComparer.Ordinal);
        var inherited = new List<InheritedRequirement>();
        var claims = new List<ProviderClaim>(providers.Count);
        for (var i = 0; i < catalog.Requirements.Count; i++)
        {
            var requirement = catalog.Requirements[i];
            claims.Clear();
            var responsibility = Responsibility.Customer;
            foreach (var c in compiled)
            {
                var r = c.Responsibilities?[i] ?? Responsibility.Customer;
                if (r == Responsibility.Customer) continue;
                claims.Add(new ProviderClaim(c.Coverage.Provider, r, c.Coverage.Letter?.LetterId, c.Coverage.Letter?.ValidUntil, c.CauseAt(i), c.Coverage.Matrix.EntryFor(requirement)?.Description));
                responsibility = responsibility == Responsibility.Shared || r == Responsibility.Shared ? Responsibility.Shared : Responsibility.Provider;
            }
            if (claims.Count == 0) continue;
            var own = resolution.Statuses[i];
            var holds = claims.TrueForAll(c => c.Cause == InheritanceCause.Holds);
            var effective = Effective(own, responsibility, holds);
            inherited.Add(new InheritedRequirement(requirement.Id, responsibility, own, effective, holds, claims.ToArray()));
            if (own == Status.NotApplicable) continue;
            touched.Add(requirement.Id);
            var ownFinding = customer.Requirements.GetValueOrDefault(requirement.Id);
            requirements[requirement.Id] = new Finding
            {
                Status = effective,
                Partial = responsibility == Responsibility.Shared && holds && effective == Status.NotMet && resolution.Partial[i] ? ownFinding?.Partial : null,
                Evidence = [.. ownFinding?.Evidence ?? [], .. claims.Where(c => c.Cause == InheritanceCause.Holds && c.LetterId is not null).Select(c => $"letter:{c.LetterId}")],
                Note = Note(responsibility, own, claims, ownFinding?.Note),
                Methods = ownFinding?.Methods ?? [],
            };
        }
        var objectives = customer.Objectives.Where(o => !touched.Contains(catalog.FindObjective(o.Key)?.RequirementId ?? "")).ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal);
        var effectiveAssessment = customer with { Requirements = Ordered(catalog, requirements), Objectives = objectives };
        var report = new InheritanceReport(customer.Organization, catalog.Framework, asOf, inherited.Count(r => r.Holds), inherited.Count(r => !r.Holds), inherited);
        return new InheritanceResult(effectiveAssessment, ScoreAssessment.Score(effectiveAssessment), report);
    }

    /// <summary>The effective status of one requirement (the rule in the remarks of <see cref="ApplyInheritance"/>).</summary>
    internal static Status Effective(Status own, Responsibility responsibility, bool holds) =>
        own == Status.NotApplicable ? Status.NotApplicable
        : !holds ? Status.NotMet
        : responsibility == Responsibility.Provider ? Status.Met
        : own;

    private static string Note(Responsibility responsibility, Status own, List<ProviderClaim> claims, string? ownNote)
    {
        var parts = claims.Select(c => $"{c.Provider} ({InheritanceNames.Name(c.Responsibility)}, {(c.LetterId is null ? "no letter" : $"letter {c.LetterId}")}): {InheritanceNames.Name(c.Cause)}");
        var text = responsibility == Responsibility.Provider
            ? $"inherited from {string.Join("; ", parts)}"
            : $"shared with {string.Join("; ", parts)}; customer's own determination: {own.ToWire()}";
        return ownNote is null ? text : $"{text}. {ownNote}";
    }

    private static Dictionary<string, Finding> Ordered(Catalog catalog, Dictionary<string, Finding> findings)
    {
        var ordered = new Dictionary<string, Finding>(findings.Count, StringComparer.Ordinal);
        foreach (var requirement in catalog.Requirements)
            if (findings.TryGetValue(requirement.Id, out var f)) ordered[requirement.Id] = f;
        return ordered;
    }

    /// <summary>A provider's matrix and letter compiled against one catalog: responsibility and cause per requirement ordinal.</summary>
    internal sealed class Compiled
    {
        private readonly InheritanceCause _letterCause;
        private readonly bool[]? _met;

        private Compiled(ProviderCoverage coverage, Responsibility[]? responsibilities, InheritanceCause letterCause, bool[]? met)
        {
            Coverage = coverage;
            Responsibilities = responsibilities;
            _letterCause = letterCause;
            _met = met;
        }

        public ProviderCoverage Coverage { get; }
        public Responsibility[]? Responsibilities { get; }

        public static Compiled From(ProviderCoverage coverage, Catalog catalog, DateOnly asOf) =>
            From(coverage, coverage.Matrix.Compile(catalog), catalog, asOf);

        public static Compiled From(ProviderCoverage coverage, Responsibility[]? responsibilities, Catalog catalog, DateOnly asOf)
        {
            var letter = coverage.Letter;
            if (letter is null) return new Compiled(coverage, responsibilities, InheritanceCause.NoLetter, null);
            var cause = letter.Check(asOf);
            if (cause == InheritanceCause.Holds && !letter.AppliesTo(catalog)) cause = InheritanceCause.FrameworkMismatch;
            var met = new bool[catalog.Requirements.Count];
            for (var i = 0; i < met.Length; i++) met[i] = letter.MetRequirements.Contains(catalog.Requirements[i].Id);
            return new Compiled(coverage, responsibilities, cause, met);
        }

        public InheritanceCause CauseAt(int ordinal) =>
            _letterCause != InheritanceCause.Holds ? _letterCause
            : _met![ordinal] ? InheritanceCause.Holds
            : InheritanceCause.NotMetByProvider;
    }
}

/// <summary>Wire names of <see cref="Responsibility"/> and <see cref="InheritanceCause"/> (the same as their JSON).</summary>
public static class InheritanceNames
{
    public static readonly WireNames<Responsibility> Responsibilities = new(
        (Responsibility.Customer, "customer"), (Responsibility.Provider, "provider"), (Responsibility.Shared, "shared"));

    public static readonly WireNames<InheritanceCause> Causes = new(
        (InheritanceCause.Holds, "holds"),
        (InheritanceCause.NoLetter, "no-letter"),
        (InheritanceCause.SignatureInvalid, "signature-invalid"),
        (InheritanceCause.LetterRevoked, "letter-revoked"),
        (InheritanceCause.LetterExpired, "letter-expired"),
        (InheritanceCause.FrameworkMismatch, "framework-mismatch"),
        (InheritanceCause.NotMetByProvider, "not-met-by-provider"));

    public static string Name(Responsibility r) => Responsibilities.Name(r);

    public static string Name(InheritanceCause c) => Causes.Name(c);
}
