using System.Security.Cryptography;
using Custodes.Application.Audit;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Accounts;

// TOTP enrolment: a secret is stored unconfirmed, a correct code confirms it and yields ten one-time recovery codes.
public sealed partial class AccountStore
{
    public const int RecoveryCodeCountIssued = 10;

    /// <summary>Starts (or restarts) enrolment: a new secret, not yet in force. Returns the base32 secret.</summary>
    public async Task<string> BeginMfaEnrolmentAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken) ?? throw new NotFoundException("no such user");
        if (user.MfaEnabled) throw new BadInputException("multi-factor sign-in is already on; turn it off first to enrol a new authenticator");
        user.TotpSecret = Base32.Encode(RandomNumberGenerator.GetBytes(Totp.SecretBytes));
        await db.SaveChangesAsync(cancellationToken);
        return user.TotpSecret;
    }

    /// <summary>The secret awaiting confirmation, if enrolment was started.</summary>
    public async Task<string?> PendingMfaSecretAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        return await db.Users.AsNoTracking().Where(u => u.Id == userId && !u.MfaEnabled).Select(u => u.TotpSecret).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Confirms enrolment with a code from the authenticator; returns the recovery codes, shown this once.</summary>
    public async Task<IReadOnlyList<string>> ConfirmMfaAsync(Guid userId, string code, Guid? organizationId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken) ?? throw new NotFoundException("no such user");
        if (user.MfaEnabled || user.TotpSecret is null) throw new BadInputException("start enrolment first");
        if (Totp.Match(Base32.Decode(user.TotpSecret), code, clock.GetUtcNow()) is not { } step)
            throw new BadInputException("that code does not match; check the time on your device and enter the current 6-digit code", path: "code");
        var codes = Enumerable.Range(0, RecoveryCodeCountIssued).Select(_ => NewRecoveryCode()).ToArray();
        user.MfaEnabled = true;
        user.LastTotpStep = step;
        user.RecoveryCodes = string.Join('\n', codes.Select(HashRecoveryCode));
        audit.Record(db, new AuditEvent(organizationId, $"user:{user.Email}", "security.mfa_enrolled", "user", user.Id.ToString(), After: new { recovery_codes = codes.Length }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        return codes;
    }

    /// <summary>Turns multi-factor sign-in off; needs a current code (or a recovery code) so a hijacked session cannot do it alone.</summary>
    public async Task DisableMfaAsync(Guid userId, string code, Guid? organizationId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken) ?? throw new NotFoundException("no such user");
        if (!user.MfaEnabled || user.TotpSecret is null) throw new BadInputException("multi-factor sign-in is not on");
        if (Totp.Match(Base32.Decode(user.TotpSecret), code, clock.GetUtcNow()) is null && !UseRecoveryCode(user, code))
            throw new BadInputException("that code does not match", path: "code");
        user.MfaEnabled = false;
        user.TotpSecret = null;
        user.RecoveryCodes = null;
        user.LastTotpStep = null;
        audit.Record(db, new AuditEvent(organizationId, $"user:{user.Email}", "security.mfa_disabled", "user", user.Id.ToString()));
        await AuditTrail.SaveAsync(db, cancellationToken);
    }

    /// <summary>How many unused recovery codes the user has.</summary>
    public async Task<int> RecoveryCodesLeftAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var codes = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.RecoveryCodes).FirstOrDefaultAsync(cancellationToken);
        return codes?.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length ?? 0;
    }

    private static string NewRecoveryCode()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        Span<char> chars = stackalloc char[11];
        for (var i = 0; i < chars.Length; i++) chars[i] = i == 5 ? '-' : alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        return new string(chars);
    }
}
