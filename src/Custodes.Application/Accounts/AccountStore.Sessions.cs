using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Accounts;

/// <summary>An open browser session as its person sees it on the Security page.</summary>
public sealed record SessionInfo(Guid Id, string Method, string? UserAgent, string? Address, DateTime StartedAt, DateTime LastSeenAt, bool Current);

// Server-side sessions: the cookie only names one, so signing out, a password change or reset, an MFA change or a removal ends it at once,
// and a copied cookie is worth nothing afterwards.
public sealed partial class AccountStore
{
    /// <summary>How stale "last seen" may get: the check on every request reads the row, but writes it at most this often.</summary>
    public static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    /// <summary>Opens a session; when <paramref name="replacing"/> names the browser's previous one, that one ends (a new sign-in never reuses an id).</summary>
    public async Task<Guid> StartSessionAsync(Guid userId, Guid organizationId, string method, string? userAgent, string? address, Guid? replacing, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var now = clock.GetUtcNow().UtcDateTime;
        var row = new SessionRow
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            OrganizationId = organizationId,
            Method = Truncate(method, 60)!,
            UserAgent = Truncate(userAgent, 400),
            Address = Truncate(address, 64),
            StartedAt = now,
            LastSeenAt = now,
        };
        db.Sessions.Add(row);
        if (replacing is { } previous)
            await db.Sessions.Where(s => s.Id == previous && s.EndedAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now).SetProperty(x => x.EndReason, "replaced"), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return row.Id;
    }

    /// <summary>
    /// The role a session acts with, or null when the session ended, went idle longer than <paramref name="idleTimeout"/>, or its
    /// membership is gone. Runs on every signed-in request: one indexed lookup, and a write only once per <see cref="LastSeenResolution"/>.
    /// </summary>
    public async Task<string?> SessionRoleAsync(Guid sessionId, Guid userId, Guid organizationId, TimeSpan idleTimeout, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenReadDb();
        var found = db is SqliteCustodesDb sqlite
            ? await SqliteSessionQuery(sqlite, sessionId, userId, organizationId)
            : await PostgresSessionQuery((PostgresCustodesDb)db, sessionId, userId, organizationId);
        if (found is null) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        if (now - found.LastSeenAt > idleTimeout)
        {
            // Not cancelled with the request, for the reason AuthenticateAsync gives.
            await db.Sessions.Where(s => s.Id == sessionId && s.EndedAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now).SetProperty(x => x.EndReason, "idle"), CancellationToken.None);
            return null;
        }
        if (now - found.LastSeenAt > LastSeenResolution)
            await db.Sessions.Where(s => s.Id == sessionId).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), CancellationToken.None);
        return found.Role;
    }

    private sealed record SessionLookup(string Role, DateTime LastSeenAt);

    // Compiled once per provider, as the API key lookup is: every page request runs it.
    private static readonly Func<SqliteCustodesDb, Guid, Guid, Guid, Task<SessionLookup?>> SqliteSessionQuery = EF.CompileAsyncQuery((SqliteCustodesDb db, Guid sessionId, Guid userId, Guid organizationId) =>
        (from s in db.Sessions
         join m in db.Memberships on s.UserId equals m.UserId
         where s.Id == sessionId && s.UserId == userId && s.EndedAt == null && m.OrganizationId == organizationId
         select new SessionLookup(m.Role, s.LastSeenAt)).AsNoTracking().FirstOrDefault());

    private static readonly Func<PostgresCustodesDb, Guid, Guid, Guid, Task<SessionLookup?>> PostgresSessionQuery = EF.CompileAsyncQuery((PostgresCustodesDb db, Guid sessionId, Guid userId, Guid organizationId) =>
        (from s in db.Sessions
         join m in db.Memberships on s.UserId equals m.UserId
         where s.Id == sessionId && s.UserId == userId && s.EndedAt == null && m.OrganizationId == organizationId
         select new SessionLookup(m.Role, s.LastSeenAt)).AsNoTracking().FirstOrDefault());

    /// <summary>The person's open sessions, newest activity first; <paramref name="current"/> marks the one asking.</summary>
    public async Task<IReadOnlyList<SessionInfo>> ListSessionsAsync(Guid userId, Guid? current, TimeSpan idleTimeout, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var since = clock.GetUtcNow().UtcDateTime - idleTimeout;
        var rows = await db.Sessions.AsNoTracking().Where(s => s.UserId == userId && s.EndedAt == null && s.LastSeenAt >= since)
            .OrderByDescending(s => s.LastSeenAt).ToListAsync(cancellationToken);
        return rows.Select(s => new SessionInfo(s.Id, s.Method, s.UserAgent, s.Address, s.StartedAt, s.LastSeenAt, s.Id == current)).ToArray();
    }

    /// <summary>Ends one of the person's own sessions (signing out, or "end" on the Security page); another person's session is not found.</summary>
    public async Task EndSessionAsync(Guid userId, Guid sessionId, string reason, Guid? organizationId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var row = await db.Sessions.FirstOrDefaultAsync(s => s.Id == sessionId && s.UserId == userId, cancellationToken) ?? throw new NotFoundException($"no session {sessionId}");
        if (row.EndedAt is not null) return;
        row.EndedAt = clock.GetUtcNow().UtcDateTime;
        row.EndReason = reason;
        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).FirstAsync(cancellationToken);
        audit.Record(db, new AuditEvent(organizationId, $"user:{email}", "security.session_ended", "session", row.Id.ToString(), After: new { reason, row.Address, row.UserAgent }));
        await AuditTrail.SaveAsync(db, cancellationToken);
    }

    /// <summary>Ends every open session of the person but <paramref name="keep"/> ("sign out everywhere else"); returns how many ended.</summary>
    public async Task<int> EndOtherSessionsAsync(Guid userId, Guid? keep, string reason, Guid? organizationId, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("no such user");
        var ended = await EndSessionsAsync(db, userId, keep, reason, null, cancellationToken);
        if (ended > 0) audit.Record(db, new AuditEvent(organizationId, $"user:{email}", "security.sessions_ended", "user", userId.ToString(), After: new { reason, sessions = ended }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        return ended;
    }

    // Marks the open sessions ended in the caller's unit of work, so they end in the same transaction as the change that ends them.
    private async Task<int> EndSessionsAsync(CustodesDb db, Guid userId, Guid? keep, string reason, Guid? onlyOrganization, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var open = await db.Sessions.Where(s => s.UserId == userId && s.EndedAt == null && s.Id != keep && (onlyOrganization == null || s.OrganizationId == onlyOrganization))
            .ToListAsync(cancellationToken);
        foreach (var session in open)
        {
            session.EndedAt = now;
            session.EndReason = reason;
        }
        return open.Count;
    }

    private static string? Truncate(string? text, int length) => text is null ? null : text.Length <= length ? text : text[..length];
}
