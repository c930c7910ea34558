using Custodes.Application.Database;
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

/// <summary>Reads issued letters and their status.</summary>
public sealed class LetterStore(Installation installation, TimeProvider clock)
{
    public async Task<LetterRow?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        return await db.Letters.AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, cancellationToken);
    }

    /// <summary>The status now (or at <paramref name="at"/>): revoked wins over expired, and an unknown id is <c>unknown</c>.</summary>
    public async Task<LetterStatus> StatusAsync(Guid id, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
    {
        var checkedAt = (at ?? clock.GetUtcNow()).UtcDateTime;
        var row = await FindAsync(id, cancellationToken);
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
    public static string StatusAt(LetterRow row, DateTime at) =>
        row.Status == LetterStatuses.Revoked ? LetterStatuses.Revoked
        : IsExpiredAt(row, at) ? LetterStatuses.Expired
        : LetterStatuses.Valid;

    /// <summary>Whether a letter is out of force at a time (revocation aside).</summary>
    public static bool IsExpiredAt(LetterRow row, DateTime at) => at > row.ValidUntil || row.ExpiredAt <= at;

    /// <summary>Letters, newest first, optionally of one issuer.</summary>
    public async Task<IReadOnlyList<LetterRow>> ListAsync(Guid? issuerOrganizationId = null, int take = 200, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var query = db.Letters.AsNoTracking();
        if (issuerOrganizationId is { } org) query = query.Where(l => l.IssuerOrganizationId == org);
        return await query.OrderByDescending(l => l.LogIndex).Take(Math.Clamp(take, 1, 1000)).ToListAsync(cancellationToken);
    }
}
