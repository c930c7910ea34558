using System.Security.Cryptography;
using System.Text;
using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Accounts;

/// <summary>Where an invitation stands.</summary>
public static class InvitationStates
{
    public const string Pending = "pending";
    public const string Accepted = "accepted";
    public const string Declined = "declined";
    public const string Revoked = "revoked";
    public const string Expired = "expired";
}

/// <summary>An invitation as its organization's owners, and its invitee, see it (never its token).</summary>
public sealed record Invitation(Guid Id, Guid OrganizationId, string OrganizationName, string OrganizationKind, string Email, string Role,
    DateTime CreatedAt, string CreatedBy, DateTime ExpiresAt, string State);

/// <summary>A new invitation and the token of its link, which exists only here (the database keeps its hash).</summary>
public sealed record IssuedInvitation(Invitation Invitation, string Token);

/// <summary>
/// Membership by consent: an owner invites an email with a role; the person who signs in with that email accepts (or declines)
/// from the emailed link or from the invitations listed after sign-in. An invitation is single-use, expires, and its owner may revoke it.
/// </summary>
/// <remarks>
/// Inviting answers the same whether or not the email has an account, and an owner sees nothing of a non-member (neither account
/// nor MFA state): only the email they typed. A user whose email is invited sees the organization's name and the role offered.
/// </remarks>
public sealed class InvitationStore(Installation installation, AuditTrail audit, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);
    private const string TokenPrefix = "inv_";

    /// <summary>Invites an email to the tenant's organization (owners only); a pending invitation of the same email is replaced.</summary>
    public async Task<IssuedInvitation> InviteAsync(Tenant tenant, string email, string role, CancellationToken cancellationToken = default)
    {
        RequireOwner(tenant);
        email = AccountStore.NormalizeEmail(email);
        role = Roles.Parse(role);
        await using var db = installation.OpenDb();
        // Members are listed to owners already, so saying so reveals nothing; anything about non-members would.
        var member = await (from m in db.Memberships join u in db.Users on m.UserId equals u.Id
                            where m.OrganizationId == tenant.OrganizationId && u.Email == email select m.UserId).AnyAsync(cancellationToken);
        if (member) throw new BadInputException($"{email} is already a member; change their role in the list instead", path: "email");
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var previous in await db.Invitations.Where(i => i.OrganizationId == tenant.OrganizationId && i.Email == email
                     && i.AcceptedAt == null && i.DeclinedAt == null && i.RevokedAt == null).ToListAsync(cancellationToken))
        {
            previous.RevokedAt = now;
            audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "invitation.revoked", "invitation", previous.Id.ToString(),
                After: new { previous.Email, reason = "replaced by a new invitation" }));
        }
        var token = TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var row = new InvitationRow
        {
            Id = Guid.CreateVersion7(), OrganizationId = tenant.OrganizationId, Email = email, Role = role, TokenHash = Hash(token),
            CreatedAt = now, CreatedBy = tenant.Actor, ExpiresAt = now + Lifetime,
        };
        db.Invitations.Add(row);
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "invitation.created", "invitation", row.Id.ToString(),
            After: new { row.Email, row.Role, expires_at = row.ExpiresAt }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        return new IssuedInvitation((await ViewsAsync(db, db.Invitations.Where(i => i.Id == row.Id), cancellationToken))[0], token);
    }

    /// <summary>The organization's invitations still waiting for an answer (owners only).</summary>
    public async Task<IReadOnlyList<Invitation>> ListPendingAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        RequireOwner(tenant);
        await using var db = installation.OpenDb();
        var now = clock.GetUtcNow().UtcDateTime;
        return await ViewsAsync(db, db.Invitations.Where(i => i.OrganizationId == tenant.OrganizationId
            && i.AcceptedAt == null && i.DeclinedAt == null && i.RevokedAt == null && i.ExpiresAt > now), cancellationToken);
    }

    /// <summary>Withdraws a pending invitation (owners only): its link stops working at once.</summary>
    public async Task RevokeAsync(Tenant tenant, Guid invitationId, CancellationToken cancellationToken = default)
    {
        RequireOwner(tenant);
        await using var db = installation.OpenDb();
        var row = await db.Invitations.FirstOrDefaultAsync(i => i.Id == invitationId && i.OrganizationId == tenant.OrganizationId, cancellationToken)
            ?? throw new NotFoundException($"no invitation {invitationId}");
        if (State(row) != InvitationStates.Pending) throw new ConflictException($"the invitation is already {State(row)}");
        row.RevokedAt = clock.GetUtcNow().UtcDateTime;
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "invitation.revoked", "invitation", row.Id.ToString(), After: new { row.Email }));
        await AuditTrail.SaveAsync(db, cancellationToken);
    }

    /// <summary>The invitation behind a link's token, in whatever state it is; null for a token that never existed.</summary>
    public async Task<Invitation?> FindByTokenAsync(string token, CancellationToken cancellationToken = default)
    {
        if (!LooksLikeToken(token)) return null;
        await using var db = installation.OpenDb();
        var hash = Hash(token);
        return (await ViewsAsync(db, db.Invitations.Where(i => i.TokenHash == hash), cancellationToken)).FirstOrDefault();
    }

    /// <summary>Invitations waiting for the user's answer: those addressed to their email, not expired, not used.</summary>
    public async Task<IReadOnlyList<Invitation>> PendingForUserAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken);
        if (email is null) return [];
        var now = clock.GetUtcNow().UtcDateTime;
        var pending = await ViewsAsync(db, db.Invitations.Where(i => i.Email == email
            && i.AcceptedAt == null && i.DeclinedAt == null && i.RevokedAt == null && i.ExpiresAt > now), cancellationToken);
        var memberOf = await db.Memberships.Where(m => m.UserId == userId).Select(m => m.OrganizationId).ToListAsync(cancellationToken);
        return pending.Where(i => !memberOf.Contains(i.OrganizationId)).ToArray();
    }

    /// <summary>How many invitations wait for the user's answer (the header's badge: one query).</summary>
    public async Task<int> PendingCountAsync(Guid userId, string email, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenReadDb();
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.Invitations.CountAsync(i => i.Email == email && i.AcceptedAt == null && i.DeclinedAt == null && i.RevokedAt == null && i.ExpiresAt > now
            && !db.Memberships.Any(m => m.UserId == userId && m.OrganizationId == i.OrganizationId), cancellationToken);
    }

    /// <summary>The signed-in user accepts an invitation addressed to their email (by its id from their list, or the link's token).</summary>
    public async Task<Membership> AcceptAsync(Guid userId, InvitationKey key, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken) ?? throw new NotFoundException("no such user");
        var row = await AnswerableAsync(db, key, user.Email, cancellationToken);
        return await JoinAsync(db, row, user, $"user:{user.Email}", cancellationToken);
    }

    /// <summary>Creates the invitee's account (the invitation's email, a password of their choosing) and joins, in one step; the link's token is the proof.</summary>
    public async Task<(Guid UserId, Membership Membership)> CreateAccountAndAcceptAsync(string token, string password, string? displayName, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var row = await AnswerableAsync(db, InvitationKey.Token(token), null, cancellationToken);
        var organization = await db.Organizations.Where(o => o.Id == row.OrganizationId).Select(o => o.Name).FirstAsync(cancellationToken);
        PasswordPolicy.Require(password, row.Email, organization);
        if (await db.Users.AnyAsync(u => u.Email == row.Email, cancellationToken))
            throw new BadInputException($"{row.Email} already has an account; sign in to accept the invitation", path: "email");
        var user = new UserRow
        {
            Id = Guid.CreateVersion7(), Email = row.Email, DisplayName = string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim(),
            PasswordHash = PasswordHasher.Hash(password), CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Users.Add(user);
        audit.Record(db, new AuditEvent(row.OrganizationId, $"user:{user.Email}", "user.created", "user", user.Id.ToString(), After: new { user.Email, via = "invitation" }));
        return (user.Id, await JoinAsync(db, row, user, $"user:{user.Email}", cancellationToken));
    }

    /// <summary>Declines an invitation: by the signed-in invitee, or by whoever holds the link (it reached the invitee's mailbox).</summary>
    public async Task DeclineAsync(Guid? userId, InvitationKey key, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var email = userId is { } id ? await db.Users.Where(u => u.Id == id).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken) : null;
        if (key.Id is not null && email is null) throw new NotFoundException("no such invitation");
        var row = await AnswerableAsync(db, key, email, cancellationToken);
        row.DeclinedAt = clock.GetUtcNow().UtcDateTime;
        audit.Record(db, new AuditEvent(row.OrganizationId, email is null ? $"invitee:{row.Email}" : $"user:{email}", "invitation.declined", "invitation", row.Id.ToString(),
            After: new { row.Email }));
        await AuditTrail.SaveAsync(db, cancellationToken);
    }

    private async Task<Membership> JoinAsync(CustodesDb db, InvitationRow row, UserRow user, string actor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (await db.Memberships.AnyAsync(m => m.UserId == user.Id && m.OrganizationId == row.OrganizationId, cancellationToken))
            throw new ConflictException("you are already a member of that organization");
        row.AcceptedAt = now;
        row.AcceptedBy = user.Id;
        // Accepting is choosing: the next sign-in lands here.
        db.Memberships.Add(new MembershipRow { UserId = user.Id, OrganizationId = row.OrganizationId, Role = row.Role, LastSelectedAt = now });
        audit.Record(db, new AuditEvent(row.OrganizationId, actor, "invitation.accepted", "invitation", row.Id.ToString(), After: new { row.Email, row.Role }));
        audit.Record(db, new AuditEvent(row.OrganizationId, actor, "membership.added", "user", user.Id.ToString(), After: new { user.Email, row.Role, invitation = row.Id }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        var org = await db.Organizations.AsNoTracking().FirstAsync(o => o.Id == row.OrganizationId, cancellationToken);
        return new Membership(org.Id, org.Name, org.Kind, row.Role);
    }

    /// <summary>The invitation if it can still be answered, by this email when one is given; otherwise why not, as the invitee should read it.</summary>
    private async Task<InvitationRow> AnswerableAsync(CustodesDb db, InvitationKey key, string? email, CancellationToken cancellationToken)
    {
        InvitationRow? row = null;
        if (key.Id is { } id) row = await db.Invitations.FirstOrDefaultAsync(i => i.Id == id && i.Email == email, cancellationToken);
        else if (LooksLikeToken(key.Value))
        {
            var hash = Hash(key.Value!);
            row = await db.Invitations.FirstOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
        }
        if (row is null) throw new NotFoundException("no such invitation; the link may be incomplete");
        switch (State(row))
        {
            case InvitationStates.Accepted: throw new ConflictException("this invitation was already used; each invitation works once");
            case InvitationStates.Declined: throw new ConflictException("this invitation was declined; ask the organization's owner for a new one");
            case InvitationStates.Revoked: throw new ConflictException("this invitation was withdrawn by the organization's owner");
            case InvitationStates.Expired: throw new ConflictException($"this invitation expired on {row.ExpiresAt:yyyy-MM-dd HH:mm} UTC; ask the organization's owner for a new one");
        }
        if (email is not null && row.Email != email)
            throw new ForbiddenException($"this invitation is for {row.Email}; you are signed in as {email}. Sign out and sign in with {row.Email}");
        return row;
    }

    private string State(InvitationRow row) =>
        row.AcceptedAt is not null ? InvitationStates.Accepted
        : row.DeclinedAt is not null ? InvitationStates.Declined
        : row.RevokedAt is not null ? InvitationStates.Revoked
        : row.ExpiresAt <= clock.GetUtcNow().UtcDateTime ? InvitationStates.Expired
        : InvitationStates.Pending;

    private async Task<IReadOnlyList<Invitation>> ViewsAsync(CustodesDb db, IQueryable<InvitationRow> rows, CancellationToken cancellationToken)
    {
        var found = await (from i in rows.AsNoTracking()
                           join o in db.Organizations on i.OrganizationId equals o.Id
                           orderby i.CreatedAt descending
                           select new { Row = i, o.Name, o.Kind }).ToListAsync(cancellationToken);
        return found.Select(f => new Invitation(f.Row.Id, f.Row.OrganizationId, f.Name, f.Kind, f.Row.Email, f.Row.Role, f.Row.CreatedAt, f.Row.CreatedBy,
            f.Row.ExpiresAt, State(f.Row))).ToArray();
    }

    private static bool LooksLikeToken(string? token) => token is { Length: > 10 and < 100 } && token.StartsWith(TokenPrefix, StringComparison.Ordinal);

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static void RequireOwner(Tenant tenant)
    {
        if (!Roles.CanAdminister(tenant.Role)) throw new ForbiddenException($"only an owner can invite members; you are {tenant.Role}");
    }
}

/// <summary>How an invitee names an invitation: its id (from their list after sign-in) or the token of the emailed link.</summary>
public sealed record InvitationKey(Guid? Id, string? Value)
{
    public static InvitationKey ById(Guid id) => new(id, null);
    public static InvitationKey Token(string token) => new(null, token);
}
