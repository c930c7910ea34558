using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Accounts;

/// <summary>A person's multi-factor sign-in as the security page shows it: on or off, the secret awaiting confirmation, recovery codes left.</summary>
public sealed record MfaStatus(bool Enabled, string? PendingSecret, int RecoveryCodesLeft);

/// <summary>Reads a person's <see cref="MfaStatus"/>.</summary>
public sealed class ReadMfaStatus(Installation installation)
{
    public async Task<MfaStatus> HandleAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.MfaEnabled, u.TotpSecret, u.RecoveryCodes }).FirstOrDefaultAsync(cancellationToken);
        if (user is null) return new MfaStatus(false, null, 0);
        return user.MfaEnabled ? new MfaStatus(true, null, RecoveryCodes.Count(user.RecoveryCodes)) : new MfaStatus(false, user.TotpSecret, 0);
    }
}
