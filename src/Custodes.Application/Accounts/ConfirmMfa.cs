using Custodes.Application.Audit;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Accounts;

/// <summary>A code from the authenticator that confirms enrolment; <paramref name="OrganizationId"/> is where the audit entry goes.</summary>
public sealed record ConfirmMfaRequest(Guid UserId, string Code, Guid? OrganizationId);

/// <summary>Confirms TOTP enrolment with a correct code: multi-factor sign-in is on from now, with ten one-time recovery codes.</summary>
public sealed class ConfirmMfa(Installation installation, AuditTrail audit, TimeProvider clock)
{
    /// <summary>Returns the recovery codes, shown this once (only their hashes are stored).</summary>
    public async Task<IReadOnlyList<string>> HandleAsync(ConfirmMfaRequest request, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == request.UserId, cancellationToken) ?? throw new NotFoundException("no such user");
        if (user.MfaEnabled || user.TotpSecret is null) throw new BadInputException("start enrolment first");
        if (Totp.Match(Base32.Decode(user.TotpSecret), request.Code, clock.GetUtcNow()) is not { } step)
            throw new BadInputException("that code does not match; check the time on your device and enter the current 6-digit code", path: "code");
        var codes = Enumerable.Range(0, RecoveryCodes.Issued).Select(_ => RecoveryCodes.New()).ToArray();
        user.MfaEnabled = true;
        user.LastTotpStep = step;
        user.RecoveryCodes = string.Join('\n', codes.Select(RecoveryCodes.Hash));
        audit.Record(db, new AuditEvent(request.OrganizationId, $"user:{user.Email}", "security.mfa_enrolled", "user", user.Id.ToString(), After: new { recovery_codes = codes.Length }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        return codes;
    }
}
