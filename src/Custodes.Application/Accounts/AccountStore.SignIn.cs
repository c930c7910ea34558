using System.Security.Cryptography;
using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Accounts;

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

    /// <summary>An owner or an administrator set this password: the person must choose their own before anything else.</summary>
    public bool MustChangePassword { get; init; }
}

/// <summary>A checked sign-up waiting for its email to be confirmed: only the password's hash is kept.</summary>
public sealed record PendingSignUp(string Email, string? DisplayName, string PasswordHash, string Organization, string Kind, bool AccountExists);

/// <summary>A user's role in one organization.</summary>
public sealed record Membership(Guid OrganizationId, string OrganizationName, string Kind, string Role);

// Sign-up, password sign-in with per-address throttling, and the second factor.
public sealed partial class AccountStore
{
    /// <summary>Failed attempts (password or code) for one email from one address before that address must wait.</summary>
    public const int MaxFailedAttempts = 5;
    /// <summary>The first wait after <see cref="MaxFailedAttempts"/> failures; each further failure doubles it, up to <see cref="MaxThrottle"/>.</summary>
    public static readonly TimeSpan FirstThrottle = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxThrottle = TimeSpan.FromHours(1);
    /// <summary>After this long without a failure, an address starts afresh.</summary>
    public static readonly TimeSpan ThrottleMemory = TimeSpan.FromDays(1);
    private static readonly string DummyHash = PasswordHasher.Hash("not a password of anyone's");

    /// <summary>Creates a user and a new organization of the chosen kind with that user as its owner, in one transaction.</summary>
    public async Task<AccountUser> SignUpAsync(string email, string password, string? displayName, string organizationName, string kind, CancellationToken cancellationToken = default)
    {
        var pending = await PrepareSignUpAsync(email, password, displayName, organizationName, kind, cancellationToken);
        if (pending.AccountExists)
            throw new BadInputException($"{pending.Email} already has an account; sign in instead, or ask an owner of your organization to add you", path: "email");
        return await CompleteSignUpAsync(pending, cancellationToken);
    }

    /// <summary>
    /// Checks a sign-up and hashes its password — the same work whether or not the email already has an account, so neither the answer
    /// nor its timing tells. The caller emails a confirmation link carrying the result (or, for an existing account, a note to its owner).
    /// </summary>
    public async Task<PendingSignUp> PrepareSignUpAsync(string email, string password, string? displayName, string organizationName, string kind, CancellationToken cancellationToken = default)
    {
        email = NormalizeEmail(email);
        organizationName = Organizations.OrganizationNames.Clean(organizationName);
        if (string.IsNullOrWhiteSpace(organizationName)) throw new BadInputException("an organization needs a name", path: "organization");
        if (string.IsNullOrWhiteSpace(kind)) throw new BadInputException("choose what kind of organization yours is", path: "kind");
        PasswordPolicy.Require(password, email, organizationName);
        kind = OrganizationKinds.Parse(kind);
        await using var db = installation.OpenDb();
        await Organizations.OrganizationNames.RequireAvailableAsync(db, organizationName, kind, "organization", cancellationToken);
        var exists = await db.Users.AnyAsync(u => u.Email == email, cancellationToken);
        var hash = PasswordHasher.Hash(password);
        return new PendingSignUp(email, string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim(), hash, organizationName.Trim(), kind, exists);
    }

    /// <summary>Creates the account a <see cref="PrepareSignUpAsync"/> described (after its email was confirmed, or at once without email).</summary>
    public async Task<AccountUser> CompleteSignUpAsync(PendingSignUp pending, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        if (await db.Users.AnyAsync(u => u.Email == pending.Email, cancellationToken))
            throw new BadInputException($"{pending.Email} already has an account; sign in instead, or reset your password from the sign-in page", path: "email");
        var now = clock.GetUtcNow().UtcDateTime;
        var org = new OrganizationRow
        {
            Id = Guid.CreateVersion7(), Name = pending.Organization, Kind = pending.Kind, CreatedAt = now,
            NormalizedName = await Organizations.OrganizationNames.RequireAvailableAsync(db, pending.Organization, pending.Kind, "organization", cancellationToken),
        };
        var user = new UserRow { Id = Guid.CreateVersion7(), Email = pending.Email, DisplayName = pending.DisplayName, PasswordHash = pending.PasswordHash, CreatedAt = now, PasswordChangedAt = now };
        db.Organizations.Add(org);
        db.Users.Add(user);
        db.Memberships.Add(new MembershipRow { UserId = user.Id, OrganizationId = org.Id, Role = Roles.Owner });
        var actor = $"user:{pending.Email}";
        audit.Record(db, new AuditEvent(org.Id, actor, "organization.created", "organization", org.Id.ToString(), After: new { org.Name, org.Kind }));
        audit.Record(db, new AuditEvent(org.Id, actor, "user.signed_up", "user", user.Id.ToString(), After: new { user.Email, role = Roles.Owner }));
        await Organizations.OrganizationStore.SaveNewAsync(db, org, cancellationToken);
        return new AccountUser(user.Id, user.Email, user.DisplayName, false, true, [new Membership(org.Id, org.Name, org.Kind, Roles.Owner)]);
    }

    /// <summary>
    /// Checks an email and password. Failures are counted per email and client address: past <see cref="MaxFailedAttempts"/>, that
    /// address waits (30 s, doubling) while the owner signing in from elsewhere is not held up. Every path does one password hash and
    /// one write, and unknown emails are throttled like known ones, so neither answers nor timings tell which emails have accounts.
    /// </summary>
    public async Task<SignInResult> PasswordSignInAsync(string email, string password, string? from, CancellationToken cancellationToken = default)
    {
        var normalized = LooseEmail(email);
        await using var db = installation.OpenDb();
        var now = clock.GetUtcNow().UtcDateTime;
        var throttle = await ThrottleAsync(db, normalized, from, cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == normalized, cancellationToken);
        var org = user is null ? null : await FirstOrganizationAsync(db, user.Id, cancellationToken);
        if (throttle?.BlockedUntil > now)
        {
            PasswordHasher.Verify(password, DummyHash);
            audit.Record(db, new AuditEvent(org, user is null ? $"anonymous@{from}" : $"user:{user.Email}", "security.sign_in_refused_locked", "user", user?.Id.ToString() ?? normalized,
                After: new { throttle.BlockedUntil, from }));
            await AuditTrail.SaveAsync(db, cancellationToken);
            return new SignInResult(SignInOutcome.LockedOut, LockedUntil: throttle.BlockedUntil);
        }
        if (user?.PasswordHash is null)
        {
            // Spend the same time as a real check, so response times do not tell which emails have accounts.
            PasswordHasher.Verify(password, DummyHash);
            return await FailAsync(db, normalized, user, org, user is null ? "unknown email" : "no password (external sign-in only)", from, cancellationToken);
        }
        if (!PasswordHasher.Verify(password, user.PasswordHash))
            return await FailAsync(db, normalized, user, org, "wrong password", from, cancellationToken);
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
        var throttle = await ThrottleAsync(db, user.Email, from, cancellationToken);
        if (throttle?.BlockedUntil > now.UtcDateTime) return new SignInResult(SignInOutcome.LockedOut, LockedUntil: throttle.BlockedUntil);
        code = code.Trim();
        if (Totp.Match(Base32.Decode(user.TotpSecret), code, now) is { } step)
        {
            if (user.LastTotpStep >= step) return await FailAsync(db, user.Email, user, org, "TOTP code replayed", from, cancellationToken);
            user.LastTotpStep = step;
            return await SucceedAsync(db, user, org, "password+totp", from, cancellationToken);
        }
        if (RecoveryCodes.Use(user, code))
        {
            audit.Record(db, new AuditEvent(org, $"user:{user.Email}", "security.recovery_code_used", "user", user.Id.ToString(), After: new { remaining = RecoveryCodes.Count(user.RecoveryCodes) }));
            return await SucceedAsync(db, user, org, "password+recovery-code", from, cancellationToken);
        }
        return await FailAsync(db, user.Email, user, org, "wrong code", from, cancellationToken);
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

    private async Task<SignInResult> FailAsync(CustodesDb db, string email, UserRow? user, Guid? org, string reason, string? from, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var address = from ?? "unknown";
        var throttle = await ThrottleAsync(db, email, from, cancellationToken);
        if (throttle is null) db.SignInThrottles.Add(throttle = new SignInThrottleRow { Email = email, Address = address });
        else if (now - throttle.LastFailureAt > ThrottleMemory) throttle.Failures = 0;
        throttle.Failures++;
        throttle.LastFailureAt = now;
        var actor = user is null ? $"anonymous@{from}" : $"user:{user.Email}";
        var subject = user?.Id.ToString() ?? email;
        audit.Record(db, new AuditEvent(org, actor, "security.sign_in_failed", "user", subject, After: new { reason, failures = throttle.Failures, from }));
        if (throttle.Failures >= MaxFailedAttempts)
        {
            var wait = TimeSpan.FromTicks(Math.Min(MaxThrottle.Ticks, FirstThrottle.Ticks << Math.Min(20, throttle.Failures - MaxFailedAttempts)));
            throttle.BlockedUntil = now + wait;
            audit.Record(db, new AuditEvent(org, actor, "security.locked_out", "user", subject, After: new { blocked_until = throttle.BlockedUntil, from, failures = throttle.Failures }));
        }
        // Forget addresses that stopped failing long ago, so the table stays the size of current attacks.
        var forgotten = now - ThrottleMemory;
        await db.SignInThrottles.Where(t => t.LastFailureAt < forgotten && !(t.Email == email && t.Address == address)).ExecuteDeleteAsync(cancellationToken);
        await AuditTrail.SaveAsync(db, cancellationToken);
        return throttle.BlockedUntil > now ? new SignInResult(SignInOutcome.LockedOut, LockedUntil: throttle.BlockedUntil) : new SignInResult(SignInOutcome.Failed);
    }

    // Failures are counted per email and client address (an unknown address is one address).
    private static Task<SignInThrottleRow?> ThrottleAsync(CustodesDb db, string email, string? from, CancellationToken cancellationToken) =>
        db.SignInThrottles.FirstOrDefaultAsync(t => t.Email == email && t.Address == (from ?? "unknown"), cancellationToken);

    private async Task<SignInResult> SucceedAsync(CustodesDb db, UserRow user, Guid? org, string method, string? from, CancellationToken cancellationToken)
    {
        // The right person from this address: its count starts afresh (other addresses keep theirs).
        await db.SignInThrottles.Where(t => t.Email == user.Email && t.Address == (from ?? "unknown")).ExecuteDeleteAsync(cancellationToken);
        audit.Record(db, new AuditEvent(org, $"user:{user.Email}", "security.signed_in", "user", user.Id.ToString(), After: new { method, from }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        return new SignInResult(SignInOutcome.Succeeded, await ToAccountAsync(db, user, cancellationToken));
    }

    // The email as typed, lowercased; not rejected when malformed, so a malformed one is answered (and throttled) like any other.
    private static string LooseEmail(string email)
    {
        try
        {
            return NormalizeEmail(email);
        }
        catch (BadInputException)
        {
            var loose = email.Trim().ToLowerInvariant();
            return loose.Length <= 320 ? loose : loose[..320];
        }
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
        return new AccountUser(user.Id, user.Email, user.DisplayName, user.MfaEnabled, user.PasswordHash is not null, memberships) { MustChangePassword = user.MustChangePassword };
    }
}
