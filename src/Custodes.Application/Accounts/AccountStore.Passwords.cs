using System.Security.Cryptography;
using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Accounts;

/// <summary>A reset link's token (shown or emailed once; only its hash is stored) and whom it is for.</summary>
public sealed record PasswordResetTicket(Guid UserId, string Email, string Token, DateTime ExpiresAt);

// Changing a password, and the three ways back in without it: an emailed link, a link an owner hands over, the administrator's CLI.
// Every one ends the person's other sessions and throws away older reset links.
public sealed partial class AccountStore
{
    /// <summary>How long an emailed reset link works.</summary>
    public static readonly TimeSpan ResetLinkLifetime = TimeSpan.FromHours(1);
    /// <summary>How long a link an owner hands over works (it goes through a person, not a mailbox).</summary>
    public static readonly TimeSpan OwnerResetLinkLifetime = TimeSpan.FromHours(24);

    /// <summary>Changes the signed-in person's password: the current one is required, and every other session ends.</summary>
    public async Task ChangePasswordAsync(Guid userId, string currentPassword, string newPassword, Guid? keepSession, Guid? organizationId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken) ?? throw new NotFoundException("no such user");
        if (user.PasswordHash is null || !PasswordHasher.Verify(currentPassword, user.PasswordHash))
            throw new BadInputException(user.PasswordHash is null ? "your account signs in through your organization's identity provider and has no password here" : "your current password is not right", path: "current");
        if (PasswordHasher.Verify(newPassword, user.PasswordHash)) throw new BadInputException("the new password is the same as the current one", path: "password");
        PasswordPolicy.Require(newPassword, user.Email, await OrganizationNamesAsync(db, userId, cancellationToken));
        var ended = await SetPasswordAsync(db, user, newPassword, mustChange: false, keepSession, "password-changed", cancellationToken);
        audit.Record(db, new AuditEvent(organizationId, $"user:{user.Email}", "security.password_changed", "user", user.Id.ToString(), After: new { sessions_ended = ended }));
        await AuditTrail.SaveAsync(db, cancellationToken);
    }

    /// <summary>
    /// Starts a "forgot password" reset: a ticket to email when the email has a password account, null otherwise. Both paths record
    /// an audit entry (one write), so the caller can answer the same way, in the same time, whatever the email.
    /// </summary>
    public async Task<PasswordResetTicket?> RequestPasswordResetAsync(string email, string? from, CancellationToken cancellationToken = default)
    {
        var normalized = LooseEmail(email);
        await using var db = installation.OpenDb();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == normalized, cancellationToken);
        if (user?.PasswordHash is null)
        {
            audit.Record(db, new AuditEvent(null, $"anonymous@{from}", "security.password_reset_requested", "user", normalized, After: new { sent = false, reason = user is null ? "unknown email" : "no password (external sign-in only)", from }));
            await AuditTrail.SaveAsync(db, cancellationToken);
            return null;
        }
        var org = await FirstOrganizationAsync(db, user.Id, cancellationToken);
        var ticket = NewResetTicket(db, user, "self", ResetLinkLifetime);
        audit.Record(db, new AuditEvent(org, $"anonymous@{from}", "security.password_reset_requested", "user", user.Id.ToString(), After: new { sent = true, expires_at = ticket.ExpiresAt, from }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        return ticket;
    }

    /// <summary>The member an owner is about to reset the password of (the page asks first); refused to anyone but an owner.</summary>
    public async Task<Member> MemberToResetAsync(Tenant tenant, Guid userId, CancellationToken cancellationToken = default)
    {
        RequireOwner(tenant);
        return (await ListMembersAsync(tenant, cancellationToken)).FirstOrDefault(m => m.UserId == userId) ?? throw new NotFoundException($"no member {userId}");
    }

    /// <summary>
    /// An owner's reset of a member's password: a one-time link the owner hands over, and the member's sessions end now. Refused for
    /// someone who also belongs to another organization — an owner here must not be able to take over an account others rely on.
    /// </summary>
    public async Task<PasswordResetTicket> IssuePasswordResetAsync(Tenant tenant, Guid userId, CancellationToken cancellationToken = default)
    {
        RequireOwner(tenant);
        await using var db = installation.OpenDb();
        if (!await db.Memberships.AnyAsync(m => m.UserId == userId && m.OrganizationId == tenant.OrganizationId, cancellationToken)) throw new NotFoundException($"no member {userId}");
        var user = await db.Users.FirstAsync(u => u.Id == userId, cancellationToken);
        if (user.Id == tenant.UserId) throw new BadInputException("change your own password on the Security page");
        if (await db.Memberships.AnyAsync(m => m.UserId == userId && m.OrganizationId != tenant.OrganizationId, cancellationToken))
            throw new ForbiddenException($"{user.Email} also belongs to another organization, so only they can reset their password (\"Forgot your password?\" on the sign-in page) or an administrator with 'custodes admin reset-password'");
        var ticket = NewResetTicket(db, user, tenant.Actor, OwnerResetLinkLifetime);
        var ended = await EndSessionsAsync(db, user.Id, null, "password-reset", null, cancellationToken);
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "security.password_reset_issued", "user", user.Id.ToString(), After: new { user.Email, expires_at = ticket.ExpiresAt, sessions_ended = ended }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        return ticket;
    }

    /// <summary>The email a reset token is for, or null when it is unknown, used or expired (the reset page says so before asking for a password).</summary>
    public async Task<string?> PasswordResetEmailAsync(string token, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var now = clock.GetUtcNow().UtcDateTime;
        var hash = HashToken(token);
        return await (from r in db.PasswordResets
                      join u in db.Users on r.UserId equals u.Id
                      where r.TokenHash == hash && r.UsedAt == null && r.ExpiresAt > now
                      select u.Email).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Sets a new password with a reset token (once, before it expires); every session of the person ends. Returns the person, to sign in.</summary>
    public async Task<AccountUser> ResetPasswordAsync(string token, string newPassword, string? from, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var now = clock.GetUtcNow().UtcDateTime;
        var hash = HashToken(token);
        var reset = await db.PasswordResets.FirstOrDefaultAsync(r => r.TokenHash == hash, cancellationToken);
        if (reset is null || reset.UsedAt is not null || reset.ExpiresAt <= now)
            throw new BadInputException("this reset link does not work any more: it was already used, it expired, or a newer one was sent. Ask for a new one.", path: "token");
        var user = await db.Users.FirstAsync(u => u.Id == reset.UserId, cancellationToken);
        PasswordPolicy.Require(newPassword, user.Email, await OrganizationNamesAsync(db, user.Id, cancellationToken));
        var ended = await SetPasswordAsync(db, user, newPassword, mustChange: false, keep: null, "password-reset", cancellationToken);
        // Whoever was guessing from elsewhere no longer matters: the old password is gone.
        await db.SignInThrottles.Where(t => t.Email == user.Email).ExecuteDeleteAsync(cancellationToken);
        var org = await FirstOrganizationAsync(db, user.Id, cancellationToken);
        audit.Record(db, new AuditEvent(org, $"user:{user.Email}", "security.password_reset", "user", user.Id.ToString(), After: new { via = reset.RequestedBy, sessions_ended = ended, from }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        return await ToAccountAsync(db, user, cancellationToken);
    }

    /// <summary>
    /// The administrator's reset (<c>custodes admin reset-password</c>): sets <paramref name="newPassword"/>, ends every session, clears
    /// throttles, and makes the next sign-in choose a new password, since the administrator knows this one.
    /// </summary>
    public async Task AdminResetPasswordAsync(string email, string newPassword, string actor, CancellationToken cancellationToken = default)
    {
        email = NormalizeEmail(email);
        await using var db = installation.OpenDb();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == email, cancellationToken) ?? throw new BadInputException($"no user with email {email}");
        PasswordPolicy.Require(newPassword, user.Email, await OrganizationNamesAsync(db, user.Id, cancellationToken));
        var ended = await SetPasswordAsync(db, user, newPassword, mustChange: true, keep: null, "password-reset", cancellationToken);
        await db.SignInThrottles.Where(t => t.Email == user.Email).ExecuteDeleteAsync(cancellationToken);
        var org = await FirstOrganizationAsync(db, user.Id, cancellationToken);
        audit.Record(db, new AuditEvent(org, actor, "security.password_reset", "user", user.Id.ToString(), After: new { via = "cli", sessions_ended = ended, must_change = true }));
        await AuditTrail.SaveAsync(db, cancellationToken);
    }

    /// <summary>A random password that meets the policy, for an administrator to hand over once.</summary>
    public static string GeneratePassword()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return string.Join('-', Enumerable.Range(0, 4).Select(_ => new string(Enumerable.Range(0, 5).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]).ToArray())));
    }

    private async Task<int> SetPasswordAsync(CustodesDb db, UserRow user, string password, bool mustChange, Guid? keep, string reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        user.PasswordHash = PasswordHasher.Hash(password);
        user.PasswordChangedAt = now;
        user.MustChangePassword = mustChange;
        foreach (var pending in await db.PasswordResets.Where(r => r.UserId == user.Id && r.UsedAt == null).ToListAsync(cancellationToken)) pending.UsedAt = now;
        return await EndSessionsAsync(db, user.Id, keep, reason, null, cancellationToken);
    }

    private PasswordResetTicket NewResetTicket(CustodesDb db, UserRow user, string requestedBy, TimeSpan lifetime)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var row = new PasswordResetRow { Id = Guid.CreateVersion7(), UserId = user.Id, TokenHash = HashToken(token), RequestedBy = requestedBy, CreatedAt = now, ExpiresAt = now + lifetime };
        db.PasswordResets.Add(row);
        return new PasswordResetTicket(user.Id, user.Email, token, row.ExpiresAt);
    }

    private static byte[] HashToken(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token.Trim()));

    // The name of the person's (first) organization, which must not be part of their password.
    private static async Task<string?> OrganizationNamesAsync(CustodesDb db, Guid userId, CancellationToken cancellationToken)
    {
        var names = await (from m in db.Memberships join o in db.Organizations on m.OrganizationId equals o.Id where m.UserId == userId select o.Name).ToListAsync(cancellationToken);
        return names.Count == 0 ? null : names[0];
    }
}
