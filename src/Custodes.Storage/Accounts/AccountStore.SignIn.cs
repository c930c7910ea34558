using System.Security.Cryptography;
using Custodes.Common;
using Custodes.Storage.Audit;
using Custodes.Storage.Database;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Storage.Accounts;

/// <summary>How a sign-in attempt ended.</summary>
public enum SignInOutcome
{
    Succeeded,
    /// <summary>The password was right; the account has MFA, so a code must follow.</summary>
    NeedsSecondFactor,
    Failed,
    LockedOut,
}

/// <summary>The outcome of a sign-in step, with the user when one was identified.</summary>
public sealed record SignInResult(SignInOutcome Outcome, AccountUser? User = null, DateTime? LockedUntil = null);

/// <summary>A user with the organizations they belong to.</summary>
public sealed record AccountUser(Guid Id, string Email, string? DisplayName, bool MfaEnabled, bool HasPassword, IReadOnlyList<Membership> Memberships)
{
    public string Actor => $"user:{Email}";
}

/// <summary>A user's role in one organization.</summary>
public sealed record Membership(Guid OrganizationId, string OrganizationName, string Kind, string Role);

// Sign-up, password sign-in with lockout, and the second factor.
public sealed partial class AccountStore
{
    /// <summary>Failed attempts (password or code) before an account is locked.</summary>
    public const int MaxFailedAttempts = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);
    private static readonly string DummyHash = PasswordHasher.Hash("not a password of anyone's");

    /// <summary>Creates a user and a new organization of the chosen kind with that user as its owner, in one transaction.</summary>
    public async Task<AccountUser> SignUpAsync(string email, string password, string? displayName, string organizationName, string kind, CancellationToken cancellationToken = default)
    {
        email = NormalizeEmail(email);
        if (PasswordHasher.Weakness(password) is { } weakness) throw new BadInputException(weakness, path: "password");
        organizationName = Organizations.OrganizationNames.Clean(organizationName);
        if (string.IsNullOrWhiteSpace(kind)) throw new BadInputException("choose what kind of organization yours is", path: "kind");
        kind = OrganizationKinds.Parse(kind);
        await using var db = installation.OpenDb();
        if (await db.Users.AnyAsync(u => u.Email == email, cancellationToken))
            throw new BadInputException($"{email} already has an account; sign in instead, or ask an owner of your organization to add you", path: "email");
        var now = clock.GetUtcNow().UtcDateTime;
        var org = new OrganizationRow
        {
            Id = Guid.CreateVersion7(), Name = organizationName, Kind = kind, CreatedAt = now,
            NormalizedName = await Organizations.OrganizationNames.RequireAvailableAsync(db, organizationName, kind, "organization", cancellationToken),
        };
        var user = new UserRow { Id = Guid.CreateVersion7(), Email = email, DisplayName = string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim(), PasswordHash = PasswordHasher.Hash(password), CreatedAt = now };
        db.Organizations.Add(org);
        db.Users.Add(user);
        db.Memberships.Add(new MembershipRow { UserId = user.Id, OrganizationId = org.Id, Role = Roles.Owner });
        var actor = $"user:{email}";
        audit.Record(db, new AuditEvent(org.Id, actor, "organization.created", "organization", org.Id.ToString(), After: new { org.Name, org.Kind }));
        audit.Record(db, new AuditEvent(org.Id, actor, "user.signed_up", "user", user.Id.ToString(), After: new { user.Email, role = Roles.Owner }));
        await Organizations.OrganizationStore.SaveNewAsync(db, org, cancellationToken);
        return new AccountUser(user.Id, user.Email, user.DisplayName, false, true, [new Membership(org.Id, org.Name, org.Kind, Roles.Owner)]);
    }

    /// <summary>Checks an email and password; counts failures and locks the account after <see cref="MaxFailedAttempts"/>.</summary>
    public async Task<SignInResult> PasswordSignInAsync(string email, string password, string? from, CancellationToken cancellationToken = default)
    {
        string normalized;
        try
        {
            normalized = NormalizeEmail(email);
        }
        catch (BadInputException)
        {
            normalized = email.Trim().ToLowerInvariant();
        }
        await using var db = installation.OpenDb();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == normalized, cancellationToken);
        if (user?.PasswordHash is null)
        {
            // Spend the same time as a real check, so response times do not tell which emails have accounts.
            PasswordHasher.Verify(password, DummyHash);
            audit.Record(db, new AuditEvent(null, $"anonymous@{from}", "security.sign_in_failed", "user", normalized, After: new { reason = user is null ? "unknown email" : "no password (external sign-in only)", from }));
            await AuditTrail.SaveAsync(db, cancellationToken);
            return new SignInResult(SignInOutcome.Failed);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var org = await FirstOrganizationAsync(db, user.Id, cancellationToken);
        if (user.LockedUntil > now)
        {
            audit.Record(db, new AuditEvent(org, $"user:{user.Email}", "security.sign_in_refused_locked", "user", user.Id.ToString(), After: new { user.LockedUntil, from }));
            await AuditTrail.SaveAsync(db, cancellationToken);
            return new SignInResult(SignInOutcome.LockedOut, LockedUntil: user.LockedUntil);
        }
        if (!PasswordHasher.Verify(password, user.PasswordHash))
            return await FailAsync(db, user, org, "wrong password", from, cancellationToken);
        if (user.MfaEnabled)
            return new SignInResult(SignInOutcome.NeedsSecondFactor, await ToAccountAsync(db, user, cancellationToken));
        return await SucceedAsync(db, user, org, "password", from, cancellationToken);
    }

    /// <summary>Checks the second factor (a TOTP code, or an unused recovery code) of a user whose password was right.</summary>
    public async Task<SignInResult> SecondFactorSignInAsync(Guid userId, string code, string? from, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null || !user.MfaEnabled || user.TotpSecret is null) return new SignInResult(SignInOutcome.Failed);
        var org = await FirstOrganizationAsync(db, user.Id, cancellationToken);
        var now = clock.GetUtcNow();
        if (user.LockedUntil > now.UtcDateTime) return new SignInResult(SignInOutcome.LockedOut, LockedUntil: user.LockedUntil);
        code = code.Trim();
        if (Totp.Match(Base32.Decode(user.TotpSecret), code, now) is { } step)
        {
            if (user.LastTotpStep >= step) return await FailAsync(db, user, org, "TOTP code replayed", from, cancellationToken);
            user.LastTotpStep = step;
            return await SucceedAsync(db, user, org, "password+totp", from, cancellationToken);
        }
        if (UseRecoveryCode(user, code))
        {
            audit.Record(db, new AuditEvent(org, $"user:{user.Email}", "security.recovery_code_used", "user", user.Id.ToString(), After: new { remaining = RecoveryCodeCount(user) }));
            return await SucceedAsync(db, user, org, "password+recovery-code", from, cancellationToken);
        }
        return await FailAsync(db, user, org, "wrong code", from, cancellationToken);
    }

    /// <summary>The user with their memberships, or null.</summary>
    public async Task<AccountUser?> FindUserAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        return user is null ? null : await ToAccountAsync(db, user, cancellationToken);
    }

    /// <summary>The user's current role in an organization, or null when they are no longer a member (checked on every signed-in request).</summary>
    public async Task<string?> RoleAsync(Guid userId, Guid organizationId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        return await db.Memberships.AsNoTracking().Where(m => m.UserId == userId && m.OrganizationId == organizationId).Select(m => m.Role).FirstOrDefaultAsync(cancellationToken);
    }

    private async Task<SignInResult> FailAsync(CustodesDb db, UserRow user, Guid? org, string reason, string? from, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        user.FailedSignIns++;
        var actor = $"user:{user.Email}";
        audit.Record(db, new AuditEvent(org, actor, "security.sign_in_failed", "user", user.Id.ToString(), After: new { reason, failures = user.FailedSignIns, from }));
        if (user.FailedSignIns >= MaxFailedAttempts)
        {
            user.LockedUntil = now + LockoutDuration;
            user.FailedSignIns = 0;
            audit.Record(db, new AuditEvent(org, actor, "security.locked_out", "user", user.Id.ToString(), After: new { user.LockedUntil, from }));
            await AuditTrail.SaveAsync(db, cancellationToken);
            return new SignInResult(SignInOutcome.LockedOut, LockedUntil: user.LockedUntil);
        }
        await AuditTrail.SaveAsync(db, cancellationToken);
        return new SignInResult(SignInOutcome.Failed);
    }

    private async Task<SignInResult> SucceedAsync(CustodesDb db, UserRow user, Guid? org, string method, string? from, CancellationToken cancellationToken)
    {
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        audit.Record(db, new AuditEvent(org, $"user:{user.Email}", "security.signed_in", "user", user.Id.ToString(), After: new { method, from }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        return new SignInResult(SignInOutcome.Succeeded, await ToAccountAsync(db, user, cancellationToken));
    }

    private static async Task<Guid?> FirstOrganizationAsync(CustodesDb db, Guid userId, CancellationToken cancellationToken) =>
        await db.Memberships.AsNoTracking().Where(m => m.UserId == userId).OrderBy(m => m.OrganizationId).Select(m => (Guid?)m.OrganizationId).FirstOrDefaultAsync(cancellationToken);

    private static async Task<AccountUser> ToAccountAsync(CustodesDb db, UserRow user, CancellationToken cancellationToken)
    {
        var memberships = await (
            from m in db.Memberships
            join o in db.Organizations on m.OrganizationId equals o.Id
            where m.UserId == user.Id
            orderby o.Name
            select new Membership(o.Id, o.Name, o.Kind, m.Role)).AsNoTracking().ToListAsync(cancellationToken);
        return new AccountUser(user.Id, user.Email, user.DisplayName, user.MfaEnabled, user.PasswordHash is not null, memberships);
    }

    private static bool UseRecoveryCode(UserRow user, string code)
    {
        if (user.RecoveryCodes is null) return false;
        var hash = HashRecoveryCode(code);
        var codes = user.RecoveryCodes.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        var index = codes.FindIndex(c => CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(c), System.Text.Encoding.ASCII.GetBytes(hash)));
        if (index < 0) return false;
        codes.RemoveAt(index);
        user.RecoveryCodes = codes.Count == 0 ? null : string.Join('\n', codes);
        return true;
    }

    private static int RecoveryCodeCount(UserRow user) => user.RecoveryCodes?.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length ?? 0;

    // Recovery codes are 50 random bits; a fast hash is enough because they are never reused and are rate limited by lockout.
    private static string HashRecoveryCode(string code) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(code.Trim().Replace("-", "", StringComparison.Ordinal).ToLowerInvariant())));
}
