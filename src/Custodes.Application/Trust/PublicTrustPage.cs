using System.Text.Json;
using Custodes.Application.Database;
using Custodes.Application.Letters;
using Custodes.Attestation;
using Custodes.Catalogs;
using Custodes.SupplyChain;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Trust;

/// <summary>
/// What a published trust page shows, and only that: public facts about letters (already public at <c>/letters/{id}</c>), whether the
/// organization's RMM audit logs are watched and when an event last arrived (never what the events or alerts say), and the provider's
/// responsibility matrix. Nothing else of the organization's workspace (findings, evidence, alerts, customers) is read here.
/// </summary>
public sealed record PublicTrustPage
{
    public required string OrganizationName { get; init; }
    public required string Slug { get; init; }
    public required DateTimeOffset GeneratedAt { get; init; }
    /// <summary>Every letter issued to the organization here, newest first, revoked and expired ones included.</summary>
    public required IReadOnlyList<TrustLetter> Letters { get; init; }
    public required TrustWatch Watch { get; init; }
    /// <summary>The provider's Customer Responsibility Matrix; null when the organization has not recorded one.</summary>
    public TrustMatrix? Matrix { get; init; }

    /// <summary>The newest letter still in force, if any: what the badge and the page's headline show.</summary>
    public TrustLetter? Current => Letters.FirstOrDefault(l => l.Status == TrustLetter.Valid);

    /// <summary>The frameworks the letters and the matrix are about, in a stable order.</summary>
    public IReadOnlyList<string> Frameworks =>
        Letters.Select(l => l.Framework).Concat(Matrix is null ? [] : [Matrix.Framework]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    /// <summary>When the organization was last assessed (the newest letter's assessment date).</summary>
    public DateOnly? AssessedOn => Letters.Count == 0 ? null : Letters.Max(l => l.AssessedOn);
}

/// <summary>One letter as the trust page lists it (contracts §11, plus when and why it was revoked).</summary>
public sealed record TrustLetter
{
    public const string Valid = "valid";
    public const string Revoked = "revoked";
    public const string Expired = "expired";

    public required Guid LetterId { get; init; }
    public required string Issuer { get; init; }
    public required string Framework { get; init; }
    public required string Scope { get; init; }
    public int? Score { get; init; }
    /// <summary>The CMMC statuses as signed in the letter (the <c>cmmc</c> object of <c>custodes score</c>).</summary>
    public required JsonElement Cmmc { get; init; }
    public required DateOnly AssessedOn { get; init; }
    public required DateTime IssuedAt { get; init; }
    public required DateTime ValidUntil { get; init; }
    /// <summary><see cref="Valid"/>, <see cref="Revoked"/> or <see cref="Expired"/>: revoked wins over expired.</summary>
    public required string Status { get; init; }
    public DateTime? RevokedAt { get; init; }
    public string? RevocationReason { get; init; }
    public required string LogOrigin { get; init; }
    public required long LogIndex { get; init; }

    /// <summary>The CMMC Level 2 status in plain words' key (<c>final</c>, <c>conditional</c>, <c>not met</c>…), when the letter has one.</summary>
    public string? CmmcLevel2 => Cmmc.ValueKind == JsonValueKind.Object && Cmmc.TryGetProperty("level2", out var l2) && l2.ValueKind == JsonValueKind.Object
        && l2.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
}

/// <summary>Whether the organization's RMM audit logs are watched here: since when, and when an event last arrived.</summary>
public sealed record TrustWatch(DateTime? WatchedSince, DateTime? LastEventAt);

/// <summary>The provider's responsibility matrix, as the trust page shows it: what its customers inherit.</summary>
public sealed record TrustMatrix(string Framework, string? Title, DateOnly? PublishedOn, IReadOnlyList<TrustMatrixRow> Rows)
{
    public int Provider => Rows.Count(r => r.Responsibility == Responsibility.Provider);
    public int Shared => Rows.Count(r => r.Responsibility == Responsibility.Shared);
    public int Customer => Rows.Count(r => r.Responsibility == Responsibility.Customer);
}

/// <summary>One requirement of the matrix: who meets it, and what the customer still does.</summary>
/// <param name="Attested">For a requirement the provider takes on: whether the assessment its letter in force attests has it met (null: no letter in force,
/// or the customer's alone). What a customer comparing providers inherits depends on it (<c>supply-chain compare</c>).</param>
public sealed record TrustMatrixRow(string RequirementId, string Family, string Text, Responsibility Responsibility, string? Description, string? CustomerAction,
    bool? Attested = null);

/// <summary>Reads a published trust page by its slug (null when no page is published there).</summary>
public sealed class TrustPageReader(Installation installation, TimeProvider clock)
{
    public async Task<PublicTrustPage?> ReadAsync(string slug, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var page = await db.TrustPages.AsNoTracking().Where(t => t.Slug == slug)
            .Join(db.Organizations, t => t.OrganizationId, o => o.Id, (t, o) => new { t.OrganizationId, t.Slug, o.Name })
            .FirstOrDefaultAsync(cancellationToken);
        if (page is null) return null;
        var now = clock.GetUtcNow();

        // A letter is about the organization when it names it, or attests an assessment of it (as ProviderLetters finds a provider's letters).
        var assessed = db.Assessments.Where(a => a.SubjectOrganizationId == page.OrganizationId).Select(a => (Guid?)a.Id);
        var rows = await db.Letters.AsNoTracking().Where(l => l.Subject == page.Name || assessed.Contains(l.AssessmentId))
            .OrderByDescending(l => l.IssuedAt).ThenByDescending(l => l.LogIndex).ToListAsync(cancellationToken);
        var letters = new List<TrustLetter>(rows.Count);
        foreach (var row in rows) if (Letter(row, now) is { } letter) letters.Add(letter);

        var first = await db.WatchBatches.AsNoTracking().Where(b => b.MspOrganizationId == page.OrganizationId).OrderBy(b => b.Index)
            .Select(b => (DateTime?)b.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        var last = first is null ? null : await db.WatchBatches.AsNoTracking().Where(b => b.MspOrganizationId == page.OrganizationId).OrderByDescending(b => b.Index)
            .Select(b => (DateTime?)b.CreatedAt).FirstOrDefaultAsync(cancellationToken);

        return new PublicTrustPage
        {
            OrganizationName = page.Name,
            Slug = page.Slug,
            GeneratedAt = now,
            Letters = letters,
            Watch = new TrustWatch(first is { } f ? DateTime.SpecifyKind(f, DateTimeKind.Utc) : null, last is { } l ? DateTime.SpecifyKind(l, DateTimeKind.Utc) : null),
            Matrix = await MatrixAsync(db, page.OrganizationId, Met(rows, letters), cancellationToken),
        };
    }

    private static TrustLetter? Letter(LetterRow row, DateTimeOffset now)
    {
        LetterBundle bundle;
        LetterPredicate predicate;
        try
        {
            bundle = LetterBundle.Parse(row.Bundle, $"letter {row.Id}");
            predicate = LetterPredicate.FromJson(InTotoStatement.Parse(bundle.Envelope.Payload.Span).Predicate);
        }
        catch (Common.BadInputException)
        {
            // A stored letter is written by IssueLetter from a bundle it just built; one that does not parse is left off rather than shown half-known.
            return null;
        }
        var revoked = row.Status == LetterStatuses.Revoked;
        return new TrustLetter
        {
            LetterId = row.Id,
            Issuer = row.Issuer,
            Framework = row.Framework,
            Scope = predicate.Scope,
            Score = row.Score,
            Cmmc = predicate.Cmmc.Clone(),
            AssessedOn = predicate.AssessedOn,
            IssuedAt = DateTime.SpecifyKind(row.IssuedAt, DateTimeKind.Utc),
            ValidUntil = DateTime.SpecifyKind(row.ValidUntil, DateTimeKind.Utc),
            Status = revoked ? TrustLetter.Revoked : now.UtcDateTime > row.ValidUntil ? TrustLetter.Expired : TrustLetter.Valid,
            RevokedAt = revoked && row.RevokedAt is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : null,
            RevocationReason = revoked ? row.RevocationReason : null,
            LogOrigin = bundle.Transparency?.Origin ?? "",
            LogIndex = row.LogIndex,
        };
    }

    /// <summary>The requirements met in the assessment the newest letter in force attests (its own signed copy); null when none is in force.</summary>
    private static HashSet<string>? Met(List<LetterRow> rows, List<TrustLetter> letters)
    {
        if (letters.FirstOrDefault(l => l.Status == TrustLetter.Valid) is not { } current) return null;
        var row = rows.First(r => r.Id == current.LetterId);
        Custodes.Assessments.ParsedAssessment? parsed;
        try
        {
            parsed = AttestedAssessment.Read(row);
        }
        catch (Common.BadInputException)
        {
            return null;
        }
        if (parsed is null) return null;
        var met = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < parsed.Resolution.Catalog.Requirements.Count; i++)
            if (parsed.Resolution.Statuses[i] == Custodes.Assessments.Status.Met) met.Add(parsed.Resolution.Catalog.Requirements[i].Id);
        return met;
    }

    private static async Task<TrustMatrix?> MatrixAsync(CustodesDb db, Guid organization, HashSet<string>? met, CancellationToken cancellationToken)
    {
        if (await OwnMatrixAsync(db, organization, cancellationToken) is not { } matrix) return null;
        var catalog = CatalogSet.Find(matrix.Framework);
        if (catalog is null) return null;
        var rows = catalog.Requirements.Select(r =>
        {
            var entry = matrix.EntryFor(r);
            var responsibility = matrix.For(r);
            return new TrustMatrixRow(r.Id, r.Family, r.Title ?? r.Text, responsibility, entry?.Description, entry?.CustomerAction,
                responsibility == Responsibility.Customer || met is null ? null : met.Contains(r.Id));
        }).ToArray();
        return new TrustMatrix(catalog.Framework, matrix.Title, matrix.PublishedOn, rows);
    }

    /// <summary>
    /// The matrix the organization itself recorded for itself: in its own portfolio, on the provider entry linked to it. A matrix someone
    /// else's portfolio holds about it is that portfolio owner's data and is never shown.
    /// </summary>
    internal static async Task<ResponsibilityMatrix?> OwnMatrixAsync(CustodesDb db, Guid organization, CancellationToken cancellationToken)
    {
        var content = await OwnMatrixContentAsync(db, organization, cancellationToken);
        if (content is null) return null;
        try
        {
            return ResponsibilityMatrixFile.Parse(System.Text.Encoding.UTF8.GetBytes(content), "responsibility matrix");
        }
        catch (Common.BadInputException)
        {
            return null;
        }
    }

    /// <summary>The text of the matrix the organization recorded for itself (see <see cref="MatrixAsync"/>); also what a customer linking it copies.</summary>
    internal static async Task<string?> OwnMatrixContentAsync(CustodesDb db, Guid organization, CancellationToken cancellationToken)
    {
        var own = await db.Portfolios.AsNoTracking().Where(p => p.OwnerOrganizationId == organization).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);
        if (own is not { } portfolio) return null;
        var providers = db.PortfolioOrganizations.Where(o => o.PortfolioId == portfolio && o.LinkedOrganizationId == organization).Select(o => o.Key);
        return await db.ResponsibilityMatrices.AsNoTracking().Where(m => m.PortfolioId == portfolio && providers.Contains(m.Provider))
            .OrderBy(m => m.Provider).Select(m => m.Content).FirstOrDefaultAsync(cancellationToken);
    }
}
