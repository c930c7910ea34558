using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Database;

/// <summary>A browser session: the auth cookie names it, and every signed-in request checks it is still open, so ending it takes effect at once.</summary>
internal sealed class SessionRow
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    /// <summary>The organization the session acts for (sessions of a removed member end with the membership).</summary>
    public Guid OrganizationId { get; set; }
    /// <summary>How the person proved who they are: <c>pwd</c>, <c>password+totp</c>, an identity provider.</summary>
    public required string Method { get; set; }
    public string? UserAgent { get; set; }
    public string? Address { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime LastSeenAt { get; set; }
    public DateTime? EndedAt { get; set; }
    /// <summary>Why it ended: <c>signed-out</c>, <c>ended-by-user</c>, <c>password-changed</c>, <c>password-reset</c>, <c>mfa-changed</c>, <c>member-removed</c>, <c>idle</c>, <c>replaced</c>.</summary>
    public string? EndReason { get; set; }
}

/// <summary>Failed sign-ins for one email from one client address: past a few, that address waits longer after each failure (the owner elsewhere does not).</summary>
internal sealed class SignInThrottleRow
{
    /// <summary>The normalized email as typed (known or not, so the answer never tells which emails have accounts).</summary>
    public required string Email { get; set; }
    public required string Address { get; set; }
    public int Failures { get; set; }
    public DateTime LastFailureAt { get; set; }
    public DateTime? BlockedUntil { get; set; }
}

/// <summary>A password reset link: only the SHA-256 of its random token is stored; it works once, until it expires.</summary>
internal sealed class PasswordResetRow
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public required byte[] TokenHash { get; set; }
    /// <summary>Who asked: <c>self</c> (emailed link) or the owner's actor who issued the link.</summary>
    public required string RequestedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? UsedAt { get; set; }
}

/// <summary>The model of the session, password reset and sign-in throttle tables, applied by <see cref="CustodesDb"/>.</summary>
internal static class CredentialModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<SessionRow>(e =>
        {
            e.ToTable("sessions");
            e.HasKey(x => x.Id);
            e.Property(x => x.Method).HasMaxLength(60);
            e.Property(x => x.UserAgent).HasMaxLength(400);
            e.Property(x => x.Address).HasMaxLength(64);
            e.Property(x => x.EndReason).HasMaxLength(40);
            e.HasIndex(x => new { x.UserId, x.EndedAt });
            e.HasOne<UserRow>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<PasswordResetRow>(e =>
        {
            e.ToTable("password_resets");
            e.HasKey(x => x.Id);
            e.Property(x => x.RequestedBy).HasMaxLength(400);
            e.HasIndex(x => x.TokenHash).IsUnique();
            e.HasIndex(x => x.UserId);
            e.HasOne<UserRow>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<SignInThrottleRow>(e =>
        {
            e.ToTable("sign_in_throttles");
            e.HasKey(x => new { x.Email, x.Address });
            e.Property(x => x.Email).HasMaxLength(320);
            e.Property(x => x.Address).HasMaxLength(64);
            e.HasIndex(x => x.LastFailureAt);
        });
    }
}
