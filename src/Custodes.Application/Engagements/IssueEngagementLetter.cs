using Custodes.Application.Accounts;
using Custodes.Application.Assessments;
using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Application.Keys;
using Custodes.Application.Letters;
using Custodes.Assessments;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Engagements;

/// <summary>
/// The lead issues the engagement's letter from the web app: after the quality review, with the lead's authenticator code asked again,
/// signed with the firm's key held by the installation, appended to the log — the letter, its log entry, the engagement's move to
/// "issued" and the code's use in one transaction, so a refusal or a failure leaves nothing half-written. The requester sees it at once.
/// </summary>
public sealed class IssueEngagementLetter(Installation installation, AuditTrail audit, AssessmentStore assessments, FirmKeys firmKeys, IssueLetter issue, TimeProvider clock)
{
    public async Task<IssuedLetter> HandleAsync(Tenant tenant, Guid id, string? code, int validDays = 365, CancellationToken cancellationToken = default)
    {
        EngagementRow row;
        long step;
        await using (var db = installation.OpenReadDb())
        {
            row = await EngagementQueries.FindAsync(db, tenant, id, cancellationToken);
            EngagementQueries.RequireLead(row, tenant, "issues the letter");
            if (row.Stage == EngagementStages.Issued) throw new ConflictException($"the letter was already issued ({row.LetterId})");
            if (row.Stage != EngagementStages.Qa || row.QaSignedOffAt is null)
                throw new ConflictException("no letter before the quality review: move the engagement to quality review, and have a member of the firm other than the lead sign it off");
            if (row.AssessmentId is null) throw new ConflictException("the engagement has no assessment linked");
            step = await CodeStepAsync(db, tenant.UserId!.Value, code, cancellationToken);
        }
        var stored = await assessments.GetAsync(new Tenant(row.FirmOrganizationId, tenant.Role, tenant.Actor, tenant.UserId), row.AssessmentId.Value, cancellationToken);
        var source = $"assessment {stored.Id}";
        var parsed = AssessmentFile.Validate(stored.Assessment, source);
        using var key = await firmKeys.LoadAsync(row.FirmOrganizationId, cancellationToken);
        var (lead, stage) = (row.LeadUserId!.Value, row.Stage);
        return await issue.HandleAsync(new IssueLetterRequest
        {
            Assessment = parsed,
            Source = source,
            AssessmentId = stored.Id,
            Key = key,
            Issuer = row.FirmOrganizationId.ToString(),
            SignerName = row.LeadName,
            ValidDays = validDays,
            Independence = row.Independence,
            LeadAssessor = row.LeadName,
            QaReviewer = row.QaReviewerName,
            C3paoId = row.C3paoId,
            Actor = tenant.Actor,
            WithinTransaction = async (db, letter, ct) =>
            {
                // Re-read in the transaction: a concurrent issue or a reused code loses here and the whole issuance rolls back.
                var engagement = await db.Engagements.FirstAsync(e => e.Id == id, ct);
                if (engagement.Stage != stage || engagement.LetterId is not null) throw new ConflictException("the engagement changed meanwhile (its letter may have been issued); reload it");
                var user = await db.Users.FirstAsync(u => u.Id == lead, ct);
                if (user.LastTotpStep is { } last && step <= last) throw new ForbiddenException("that authenticator code was already used; wait for the next one");
                user.LastTotpStep = step;
                engagement.Stage = EngagementStages.Issued;
                engagement.LetterId = letter.LetterId;
                engagement.UpdatedAt = clock.GetUtcNow().UtcDateTime;
                audit.Record(db, EngagementQueries.Event(tenant, "engagement.issued", engagement, new { stage }, new { stage = engagement.Stage, letter = letter.LetterId, log_index = letter.LogIndex }));
            },
        }, cancellationToken);
    }

    /// <summary>The time step of the lead's current authenticator code; issuing a letter asks for it again, whatever the session.</summary>
    private async Task<long> CodeStepAsync(CustodesDb db, Guid userId, string? code, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.MfaEnabled, u.TotpSecret, u.LastTotpStep }).FirstAsync(cancellationToken);
        if (!user.MfaEnabled || user.TotpSecret is null)
            throw new ForbiddenException("issuing a letter needs multi-factor sign-in: turn it on under your account's security settings, then issue again");
        if (string.IsNullOrWhiteSpace(code)) throw new BadInputException("enter the 6-digit code from your authenticator app to sign the letter", path: "code");
        if (Totp.Match(Base32.Decode(user.TotpSecret), code.Trim(), clock.GetUtcNow()) is not { } step || (user.LastTotpStep is { } last && step <= last))
            throw new BadInputException("that code is not right (or was already used); enter the current code from your authenticator app", path: "code");
        return step;
    }
}
