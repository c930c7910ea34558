using Custodes.Application.Audit;
using Custodes.Application.Keys;
using Custodes.Application.SupplyChain;
using Custodes.Application.Transparency;
using Custodes.Application.Trust;
using Custodes.Attestation;
using Custodes.Common;
using Custodes.Transparency;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Letters;

/// <summary>Which letter to revoke, why, and (optionally) the firm key that signs the revocation.</summary>
public sealed record RevokeLetterRequest(Guid LetterId, string Reason, Ed25519SigningKey? Key);

/// <summary>A recorded revocation and where it is in the log.</summary>
/// <param name="Dependents">What recomputing the customers that inherit from the letter's organization did; null when not recomputed here
/// (<see cref="DependentsError"/> says why, and the periodic check retries).</param>
public sealed record RevokedLetter(Guid LetterId, DateTimeOffset RevokedAt, string Reason, long RevocationIndex, bool Signed,
    LetterChangeOutcome? Dependents = null, string? DependentsError = null);

/// <summary>
/// Revokes a letter: appends a revocation entry to the log (entries are never changed) and marks the letter revoked, in one transaction;
/// then, given <paramref name="dependents"/>, recomputes every customer inheriting from the letter's organization and notifies them.
/// Only an owner or assessor of the issuing organization revokes its letters (<see cref="LetterStore.ToRevokeAsync"/> asks the same).
/// </summary>
public sealed class RevokeLetter(Installation installation, AuditTrail audit, TransparencyLog log, SigningKeyRegistry keys, TimeProvider clock, LetterChanges? dependents = null)
{
    /// <summary>The name of the reason field in the web form and the API body (the CLI calls it <c>--reason</c>).</summary>
    public const string ReasonField = "reason";

    /// <exception cref="NotFoundException">No such letter, or another organization's.</exception>
    /// <exception cref="ForbiddenException">The tenant's role does not revoke letters.</exception>
    /// <exception cref="ConflictException">The letter is already revoked.</exception>
    public async Task<RevokedLetter> HandleAsync(Tenant tenant, RevokeLetterRequest request, CancellationToken cancellationToken = default)
    {
        LetterRowView? found;
        await using (var db = installation.OpenDb())
        {
            found = await db.Letters.AsNoTracking().Where(l => l.Id == request.LetterId)
                .Select(l => new LetterRowView(l.IssuerOrganizationId, l.Issuer, l.Subject, l.LogIndex, l.Status, l.RevokedAt))
                .FirstOrDefaultAsync(cancellationToken);
        }
        LetterStore.CheckRevoker(tenant, request.LetterId, found?.IssuerOrganizationId);
        var letter = found!;
        var reason = request.Reason?.Trim();
        // Checked here, under every caller (web, API, CLI): a revocation is public and final, and its reason is what readers of the letter see.
        if (string.IsNullOrEmpty(reason)) throw new BadInputException("is empty: say why the letter is revoked (the reason is public and shown with the letter)", path: ReasonField);
        if (reason.Length > 2000) throw new BadInputException("is longer than 2000 characters", path: ReasonField);
        if (letter.Status == LetterStatuses.Revoked) throw AlreadyRevoked(request.LetterId, letter.RevokedAt);
        if (request.Key is { } key)
        {
            var registered = await keys.FindAsync(key.PublicKey.KeyId, cancellationToken);
            if (registered is null || registered.OrganizationId != letter.IssuerOrganizationId)
                throw new BadInputException($"key {key.PublicKey.KeyId} is not a registered key of {letter.Issuer}; only the issuer signs a revocation of its letter");
        }

        var letterEntry = await log.ReadEntryAsync(letter.LogIndex, cancellationToken)
            ?? throw new EnvironmentFailureException($"the log has no entry {letter.LogIndex} for letter {request.LetterId}");
        var now = clock.GetUtcNow();
        var revocation = new Revocation
        {
            LetterId = request.LetterId,
            Issuer = letter.Issuer,
            SubjectOrganization = letter.Subject,
            LetterLogIndex = letter.LogIndex,
            LetterEntrySha256 = Revocation.EntrySha256(letterEntry),
            RevokedAt = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero),
            Reason = reason,
        };
        var appended = await log.AppendAsync(revocation.ToLogEntry(request.Key), async (batch, ct) =>
        {
            // Under the log's lock: a concurrent revocation of the same letter finds it revoked here and appends nothing.
            var row = await batch.Db.Letters.FirstAsync(l => l.Id == request.LetterId, ct);
            if (row.Status == LetterStatuses.Revoked) throw AlreadyRevoked(request.LetterId, row.RevokedAt);
            row.Status = LetterStatuses.Revoked;
            row.RevokedAt = revocation.RevokedAt.UtcDateTime;
            row.RevocationReason = reason;
            row.RevocationIndex = batch.Result.FirstIndex;
            // The page's subscribers hear of it: the notices are stored with the revocation, so none is lost to a crash after it.
            await TrustNotices.EnqueueAsync(batch.Db, row, TrustNotices.Revoked, row.RevokedAt.Value, clock, ct);
            audit.Record(batch.Db, new AuditEvent(row.IssuerOrganizationId, tenant.Actor, "letter.revoked", "letter", request.LetterId.ToString(),
                Before: new { status = LetterStatuses.Valid }, After: new { status = LetterStatuses.Revoked, reason, revocation_index = batch.Result.FirstIndex, signed = request.Key is not null }));
            await AuditTrail.SaveAsync(batch.Db, ct);
        }, cancellationToken);
        var revoked = new RevokedLetter(request.LetterId, revocation.RevokedAt, reason, appended.FirstIndex, request.Key is not null);
        if (dependents is null) return revoked;
        try
        {
            return revoked with { Dependents = await dependents.ProcessAsync(request.LetterId, cancellationToken) };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The revocation stands (it is in the log); the recompute is retried by the periodic check and 'supply-chain recompute'.
            return revoked with { DependentsError = e.Message };
        }
    }

    private static ConflictException AlreadyRevoked(Guid letterId, DateTime? at) => new($"letter {letterId} was already revoked at {at:yyyy-MM-dd HH:mm:ss}Z");

    private sealed record LetterRowView(Guid IssuerOrganizationId, string Issuer, string Subject, long LogIndex, string Status, DateTime? RevokedAt);
}
