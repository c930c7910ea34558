using Custodes.Application.Audit;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Accounts;

/// <summary>A current code from the app, or a recovery code; <paramref name="OrganizationId"/> is where the audit entry goes.</summary>
public sealed record DisableMfaRequest(Guid UserId, string Code, Guid? OrganizationId);

/// <summary>Turns multi-factor sign-in off; needs a current code (or a recovery code) so a hijacked session cannot do it alone.</summary>
public sealed class DisableMfa(Installation installation, AuditTrail audit, TimeProvider clock)
{
    public async Task HandleAsync(DisableMfaRequest request, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == request.UserId, cancellationToken) ?? throw new NotFoundException("no such user");
        if (!user.MfaEnabled || user.TotpSecret is null) throw new BadInputException("multi-factor sign-in is not on");
        if (Totp.Match(Base32.Decode(user.TotpSecret), request.Code, clock.GetUtcNow()) is null && !RecoveryCodes.Use(user, request.Code))
            throw new BadInputException("that code does not match", path: "code");
        user.MfaEnabled = false;
        user.TotpSecret = null;
        user.RecoveryCodes = null;
        user.LastTotpStep = null;
        audit.Record(db, new AuditEvent(request.OrganizationId, $"user:{user.Email}", "security.mfa_disabled", "user", user.Id.ToString()));
        await AuditTrail.SaveAsync(db, cancellationToken);
    }
}
