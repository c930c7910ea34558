using Custodes.Application.Audit;
using Custodes.Application.Database;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Accounts;

/// <summary>What an OpenID Connect provider asserted: its issuer, the subject's stable id there, and the email with whether it verified it.</summary>
public sealed record ExternalIdentity(string Issuer, string Subject, string? Email, bool EmailVerified);

/// <summary>How a single sign-on attempt ended.</summary>
public enum ExternalSignInOutcome
{
    SignedIn,
    /// <summary>The identity is new and the account has a password: the person proves it is theirs once (password, and code with MFA).</summary>
    NeedsLocalProof,
    Refused,
}

/// <summary>The outcome of a single sign-on, with the user when signed in, or the reason shown when refused.</summary>
public sealed record ExternalSignInResult(ExternalSignInOutcome Outcome, AccountUser? User = null, string? Reason = null, bool AccountHasMfa = false);

// Single sign-on: an external identity is linked to a local account once, with proof, and matched by issuer and subject afterwards.
// An email claim alone never takes over an account: the identity provider may let users type any address (email_verified false or
// absent), or another issuer may assert the same address; a password account is linked only after its password (and code) is given.
public sealed partial class AccountStore
{
    public async Task<ExternalSignInResult> ExternalSignInAsync(ExternalIdentity identity, string provider, string? from, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var linked = await (from l in db.ExternalLogins join u in db.Users on l.UserId equals u.Id
                            where l.Issuer == identity.Issuer && l.Subject == identity.Subject select u).FirstOrDefaultAsync(cancellationToken);
        if (linked is not null) return await ExternalSucceedAsync(db, linked, provider, from, cancellationToken);
        if (identity.Email is null || !identity.EmailVerified)
            return await RefuseAsync(db, null, identity, "the identity provider did not vouch for the email (email_verified is not true)", from, cancellationToken);
        string email;
        try
        {
            email = NormalizeEmail(identity.Email);
        }
        catch (Common.BadInputException)
        {
            return await RefuseAsync(db, null, identity, "the identity provider sent no usable email", from, cancellationToken);
        }
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == email, cancellationToken);
        if (user is null) return await RefuseAsync(db, null, identity, "no account for this email", from, cancellationToken);
        if (user.PasswordHash is not null) return new ExternalSignInResult(ExternalSignInOutcome.NeedsLocalProof, AccountHasMfa: user.MfaEnabled);
        // An account made for single sign-on (no password): the configured provider's verified email links it, but only its first identity.
        if (await db.ExternalLogins.AnyAsync(l => l.UserId == user.Id, cancellationToken))
            return await RefuseAsync(db, user, identity, "the account is linked to another single sign-on identity", from, cancellationToken);
        Link(db, user, await FirstOrganizationAsync(db, user.Id, cancellationToken), identity, "verified email, account without password");
        return await ExternalSucceedAsync(db, user, provider, from, cancellationToken);
    }

    /// <summary>Links a new external identity to the account with its verified email once the person gives the account's password (and code with MFA).</summary>
    public async Task<SignInResult> LinkExternalLoginAsync(ExternalIdentity identity, string password, string? code, string? from, CancellationToken cancellationToken = default)
    {
        if (identity.Email is null || !identity.EmailVerified) return new SignInResult(SignInOutcome.Failed);
        var email = NormalizeEmail(identity.Email);
        await using var db = installation.OpenDb();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == email, cancellationToken);
        if (user?.PasswordHash is null)
        {
            PasswordHasher.Verify(password, DummyHash);
            return new SignInResult(SignInOutcome.Failed);
        }
        var org = await FirstOrganizationAsync(db, user.Id, cancellationToken);
        var now = clock.GetUtcNow();
        var throttle = await ThrottleAsync(db, email, from, cancellationToken);
        if (throttle?.BlockedUntil > now.UtcDateTime) return new SignInResult(SignInOutcome.LockedOut, LockedUntil: throttle.BlockedUntil);
        if (!PasswordHasher.Verify(password, user.PasswordHash)) return await FailAsync(db, email, user, org, "wrong password (linking single sign-on)", from, cancellationToken);
        if (user.MfaEnabled)
        {
            code = code?.Trim() ?? "";
            if (user.TotpSecret is not null && Totp.Match(Base32.Decode(user.TotpSecret), code, now) is { } step && (user.LastTotpStep ?? -1) < step) user.LastTotpStep = step;
            else if (!RecoveryCodes.Use(user, code)) return await FailAsync(db, email, user, org, "wrong code (linking single sign-on)", from, cancellationToken);
        }
        Link(db, user, org, identity, "password" + (user.MfaEnabled ? "+code" : ""));
        return await SucceedAsync(db, user, org, "oidc+link", from, cancellationToken);
    }

    private void Link(CustodesDb db, UserRow user, Guid? org, ExternalIdentity identity, string proof)
    {
        db.ExternalLogins.Add(new ExternalLoginRow { Issuer = identity.Issuer, Subject = identity.Subject, UserId = user.Id, LinkedAt = clock.GetUtcNow().UtcDateTime });
        audit.Record(db, new AuditEvent(org, $"user:{user.Email}", "security.external_login_linked", "user", user.Id.ToString(),
            After: new { issuer = identity.Issuer, subject = identity.Subject, proof }));
    }

    private async Task<ExternalSignInResult> ExternalSucceedAsync(CustodesDb db, UserRow user, string provider, string? from, CancellationToken cancellationToken)
    {
        var org = await FirstOrganizationAsync(db, user.Id, cancellationToken);
        var result = await SucceedAsync(db, user, org, provider, from, cancellationToken);
        return new ExternalSignInResult(ExternalSignInOutcome.SignedIn, result.User);
    }

    private async Task<ExternalSignInResult> RefuseAsync(CustodesDb db, UserRow? user, ExternalIdentity identity, string reason, string? from, CancellationToken cancellationToken)
    {
        audit.Record(db, new AuditEvent(null, $"oidc:{identity.Email ?? identity.Subject}", "security.sign_in_failed", "user", user?.Id.ToString() ?? identity.Email ?? identity.Subject,
            After: new { reason, issuer = identity.Issuer, subject = identity.Subject, email_verified = identity.EmailVerified, from }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        return new ExternalSignInResult(ExternalSignInOutcome.Refused, Reason: reason);
    }
}
