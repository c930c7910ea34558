using Custodes.Application.Database;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Letters;

/// <summary>A letter's public status (<c>GET /api/v1/letters/{id}/status</c>): genuine status is public information.</summary>
public sealed record LetterStatus
{
    public required Guid LetterId { get; init; }
    /// <summary><c>valid</c>, <c>revoked</c>, <c>expired</c> or <c>unknown</c>.</summary>
    public required string Status { get; init; }
    public DateTime? RevokedAt { get; init; }
    public string? Reason { get; init; }
    public long? RevocationIndex { get; init; }
    public string? Issuer { get; init; }
    public string? SubjectOrganization { get; init; }
    public string? Framework { get; init; }
    public int? Score { get; init; }
    public DateTime? IssuedAt { get; init; }
    public DateTime? ValidUntil { get; init; }
    public long? LogIndex { get; init; }
    public string? KeyId { get; init; }
    /// <summary>The newer letter that replaced this one (not a revocation: the letter stays genuine), and when.</summary>
    public Guid? SupersededBy { get; init; }
    public DateTime? SupersededAt { get; init; }
    /// <summary>The older letter this one replaced.</summary>
    public Guid? Supersedes { get; init; }
    /// <summary>A conditional CMMC letter's POA&amp;M closeout date: unless superseded by then, it expires that day.</summary>
    public DateOnly? CloseoutDue { get; init; }
    /// <summary>Why the letter ended before its valid-until date (an unmet POA&amp;M closeout).</summary>
    public string? ExpiryReason { get; init; }
    public DateTime? ExpiredAt { get; init; }
    public required DateTime CheckedAt { get; init; }
}

/// <summary>An issued letter's record as hosts show it (what the letter says and where it stands), without the stored files.</summary>
/// <param name="Status"><c>valid</c> or <c>revoked</c>; expiry is read from <paramref name="ValidUntil"/> and <paramref name="ExpiredAt"/> (<see cref="IsExpiredAt"/>).</param>
public sealed record LetterSummary(
    Guid Id,
    Guid IssuerOrganizationId,
    string Issuer,
    string Subject,
    Guid? AssessmentId,
    string Framework,
    int? Score,
    string KeyId,
    long LogIndex,
    DateTime IssuedAt,
    DateTime ValidUntil,
    string Status,
    DateTime? RevokedAt,
    string? RevocationReason,
    long? RevocationIndex,
    Guid? Supersedes = null,
    Guid? SupersededBy = null,
    DateTime? SupersededAt = null,
    DateOnly? CloseoutDue = null,
    DateTime? ExpiredAt = null,
    string? ExpiryReason = null)
{
    internal static LetterSummary From(LetterRow row) => new(row.Id, row.IssuerOrganizationId, row.Issuer, row.Subject, row.AssessmentId, row.Framework, row.Score,
        row.KeyId, row.LogIndex, row.IssuedAt, row.ValidUntil, row.Status, row.RevokedAt, row.RevocationReason, row.RevocationIndex,
        row.Supersedes, row.SupersededBy, row.SupersededAt, row.CloseoutDue, row.ExpiredAt, row.ExpiryReason);

    /// <summary>Whether the letter is out of force at a time (revocation aside): past its valid-until date, or ended early at an unmet closeout.</summary>
    public bool IsExpiredAt(DateTime at) => Expired(ValidUntil, ExpiredAt, at);

    /// <summary>The one expiry rule, for summaries and stored rows alike.</summary>
    internal static bool Expired(DateTime validUntil, DateTime? expiredAt, DateTime at) => at > validUntil || expiredAt <= at;
}

/// <summary>A letter file as issued (with the proof to the checkpoint of its own batch) and its record.</summary>
public sealed record LetterFile(LetterSummary Letter, byte[] Bundle);

/// <summary>The letters a firm issued, newest first, and for those in force issued from a stored assessment, how that assessment changed since.</summary>
/// <param name="CanRevoke">Whether the reader may revoke them (an owner or assessor of the firm), so that others are not offered what they cannot do.</param>
public sealed record IssuedLetters(IReadOnlyList<LetterSummary> Letters, IReadOnlyDictionary<Guid, AttestedAssessmentDrift> Drift, bool CanRevoke);

/// <summary>
/// Reads issued letters. A letter's status and file are public (anyone holding a letter checks it), so those reads take no tenant; what a
/// firm sees of its own letters, and the letter it is about to revoke, take the <see cref="Tenant"/> and are refused to anyone else.
/// </summary>
public sealed class LetterStore(Installation installation, TimeProvider clock)
{
    /// <summary>A letter's record, or null when this installation issued no such letter (public facts).</summary>
    public async Task<LetterSummary?> FindAsync(Guid id, CancellationToken cancellationToken = default) =>
        await FindRowAsync(id, cancellationToken) is { } row ? LetterSummary.From(row) : null;

    /// <summary>The letter file as issued, or null when this installation issued no such letter (public: the letter is what its holder shows).</summary>
    public async Task<LetterFile?> FileAsync(Guid id, CancellationToken cancellationToken = default) =>
        await FindRowAsync(id, cancellationToken) is { } row ? new LetterFile(LetterSummary.From(row), row.Bundle) : null;

    /// <summary>The status now (or at <paramref name="at"/>): revoked wins over expired, and an unknown id is <c>unknown</c>.</summary>
    public async Task<LetterStatus> StatusAsync(Guid id, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
    {
        var checkedAt = (at ?? clock.GetUtcNow()).UtcDateTime;
        var row = await FindRowAsync(id, cancellationToken);
        if (row is null) return new LetterStatus { LetterId = id, Status = LetterStatuses.Unknown, CheckedAt = checkedAt };
        return new LetterStatus
        {
            LetterId = id,
            Status = StatusAt(row, checkedAt),
            RevokedAt = row.RevokedAt,
            Reason = row.RevocationReason,
            RevocationIndex = row.RevocationIndex,
            Issuer = row.Issuer,
            SubjectOrganization = row.Subject,
            Framework = row.Framework,
            Score = row.Score,
            IssuedAt = row.IssuedAt,
            ValidUntil = row.ValidUntil,
            LogIndex = row.LogIndex,
            KeyId = row.KeyId,
            SupersededBy = row.SupersededBy,
            SupersededAt = row.SupersededAt,
            Supersedes = row.Supersedes,
            CloseoutDue = row.CloseoutDue,
            ExpiryReason = row.ExpiredAt <= checkedAt ? row.ExpiryReason : null,
            ExpiredAt = row.ExpiredAt <= checkedAt ? row.ExpiredAt : null,
            CheckedAt = checkedAt,
        };
    }

    /// <summary>A letter's status at a time: revoked wins over expired (past its valid-until date, or ended early at an unmet closeout).</summary>
    internal static string StatusAt(LetterRow row, DateTime at) =>
        row.Status == LetterStatuses.Revoked ? LetterStatuses.Revoked
        : IsExpiredAt(row, at) ? LetterStatuses.Expired
        : LetterStatuses.Valid;

    /// <summary>Whether a letter is out of force at a time (revocation aside).</summary>
    internal static bool IsExpiredAt(LetterRow row, DateTime at) => LetterSummary.Expired(row.ValidUntil, row.ExpiredAt, at);

    /// <summary>Every letter of the installation, newest first: the public facts its log already holds (the operator's <c>attest list</c>).</summary>
    public async Task<IReadOnlyList<LetterSummary>> ListAsync(int take = 200, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var rows = await db.Letters.AsNoTracking().OrderByDescending(l => l.LogIndex).Take(Math.Clamp(take, 1, 1000)).ToListAsync(cancellationToken);
        return rows.Select(LetterSummary.From).ToArray();
    }

    /// <summary>The letters the tenant's organization issued, newest first, with the drift of those in force since they were issued.</summary>
    public async Task<IssuedLetters> IssuedByAsync(Tenant tenant, int take = 200, CancellationToken cancellationToken = default)
    {
        List<LetterRow> rows;
        await using (var db = installation.OpenDb())
            rows = await db.Letters.AsNoTracking().Where(l => l.IssuerOrganizationId == tenant.OrganizationId)
                .OrderByDescending(l => l.LogIndex).Take(Math.Clamp(take, 1, 1000)).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var drift = new Dictionary<Guid, AttestedAssessmentDrift>();
        foreach (var row in rows.Where(l => l.Status != LetterStatuses.Revoked && !IsExpiredAt(l, now)))
            if (await AttestedAssessment.DriftAsync(installation, row, cancellationToken) is { } d) drift[row.Id] = d;
        return new IssuedLetters(rows.Select(LetterSummary.From).ToArray(), drift, Roles.CanAttest(tenant.Role));
    }

    /// <summary>The letter the tenant is about to revoke: refused unless its organization issued it and the tenant may speak for the firm.</summary>
    /// <exception cref="NotFoundException">No such letter, or another organization's.</exception>
    /// <exception cref="ForbiddenException">The tenant's role does not revoke letters.</exception>
    public async Task<LetterSummary> ToRevokeAsync(Tenant tenant, Guid id, CancellationToken cancellationToken = default)
    {
        var row = await FindRowAsync(id, cancellationToken);
        CheckRevoker(tenant, id, row?.IssuerOrganizationId);
        return LetterSummary.From(row!);
    }

    /// <summary>Refuses a revocation by anyone but an owner or assessor of the issuing organization.</summary>
    internal static void CheckRevoker(Tenant tenant, Guid letterId, Guid? issuerOrganizationId)
    {
        // Another firm's letter is "not found", as every other tenant's resource.
        if (issuerOrganizationId is not { } issuer || issuer != tenant.OrganizationId) throw new NotFoundException($"no letter {letterId} issued by your organization");
        if (!Roles.CanAttest(tenant.Role)) throw new ForbiddenException("only an owner or assessor of the issuing firm revokes its letters");
    }

    internal async Task<LetterRow?> FindRowAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = installation.OpenDb();
        return await db.Letters.AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, cancellationToken);
    }
}
