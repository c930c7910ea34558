using System.Security.Cryptography;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Accounts;

/// <summary>Starts (or restarts) a person's TOTP enrolment: a new secret, stored unconfirmed and not yet in force.</summary>
public sealed class BeginMfaEnrolment(Installation installation)
{
    /// <summary>Returns the base32 secret the authenticator app is given.</summary>
    public async Task<string> HandleAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken) ?? throw new NotFoundException("no such user");
        if (user.MfaEnabled) throw new BadInputException("multi-factor sign-in is already on; turn it off first to enrol a new authenticator");
        user.TotpSecret = Base32.Encode(RandomNumberGenerator.GetBytes(Totp.SecretBytes));
        await db.SaveChangesAsync(cancellationToken);
        return user.TotpSecret;
    }
}
