using System.Text.RegularExpressions;
using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Trust;

/// <summary>Whether an organization's trust page is published, and where.</summary>
public sealed record TrustSettings(bool Published, string? Slug, DateTime? PublishedAt, string? PublishedBy);

/// <summary>
/// Publishes and unpublishes an organization's public trust page (contracts §11). Only an owner does either: the page is the
/// organization speaking in public. Unpublishing deletes the row, so the public page answers 404 and its slug is free again.
/// </summary>
public sealed partial class TrustPages(Installation installation, AuditTrail audit, TimeProvider clock)
{
    /// <summary>The name of the slug field in the settings form and the API body (the CLI calls it <c>--slug</c>).</summary>
    public const string SlugField = "slug";

    /// <summary>Slugs a page cannot take: they read as something else at <c>/trust/…</c> or in a link.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal) { "api", "admin", "settings", "new", "edit", "json", "badge", "assets", "custodes" };

    /// <summary>Raised after a page is published, moved or unpublished, so cached public copies are dropped at once.</summary>
    public event Action<string>? Changed;

    /// <summary>Why a slug is not acceptable (null when it is): 3 to 63 lowercase letters, digits and inner hyphens.</summary>
    public static string? SlugProblem(string? slug)
    {
        if (string.IsNullOrWhiteSpace(slug)) return "is empty: choose the address of the page, e.g. 'acme-it' for /trust/acme-it";
        if (slug.Length < 3 || slug.Length > 63) return $"'{slug}' has {slug.Length} characters; use 3 to 63";
        if (slug != slug.ToLowerInvariant()) return $"'{slug}' has capital letters; use lowercase only (e.g. '{slug.ToLowerInvariant()}')";
        if (!SlugPattern().IsMatch(slug)) return $"'{slug}' may contain only lowercase letters a-z, digits and hyphens, and must start and end with a letter or digit";
        if (slug.Contains("--", StringComparison.Ordinal)) return $"'{slug}' has two hyphens in a row";
        if (Reserved.Contains(slug)) return $"'{slug}' is reserved; choose another";
        return null;
    }

    public async Task<TrustSettings> SettingsAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var row = await db.TrustPages.AsNoTracking().FirstOrDefaultAsync(t => t.OrganizationId == tenant.OrganizationId, cancellationToken);
        return row is null ? new TrustSettings(false, null, null, null) : new TrustSettings(true, row.Slug, row.PublishedAt, row.PublishedBy);
    }

    /// <summary>Publishes the tenant's page at <c>/trust/&lt;slug&gt;</c>, or moves it there when already published.</summary>
    public async Task<TrustSettings> PublishAsync(Tenant tenant, string? slug, CancellationToken cancellationToken = default)
    {
        RequireOwner(tenant);
        slug = slug?.Trim();
        if (SlugProblem(slug) is { } problem) throw new BadInputException(problem, path: SlugField);
        await using var db = installation.OpenDb();
        var taken = await db.TrustPages.AsNoTracking().AnyAsync(t => t.Slug == slug && t.OrganizationId != tenant.OrganizationId, cancellationToken);
        if (taken) throw new ConflictException($"the address /trust/{slug} is taken by another organization; choose another slug");
        var row = await db.TrustPages.FirstOrDefaultAsync(t => t.OrganizationId == tenant.OrganizationId, cancellationToken);
        var before = row?.Slug;
        if (row is null) db.TrustPages.Add(row = new TrustPageRow { OrganizationId = tenant.OrganizationId, Slug = slug!, PublishedAt = clock.GetUtcNow().UtcDateTime, PublishedBy = tenant.Actor });
        else if (row.Slug == slug) return new TrustSettings(true, row.Slug, row.PublishedAt, row.PublishedBy);
        else row.Slug = slug!;
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "trust.published", "trust-page", tenant.OrganizationId.ToString(),
            Before: before is null ? null : new { slug = before }, After: new { slug }));
        try
        {
            await AuditTrail.SaveAsync(db, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two organizations took the same slug at the same moment: the unique index let one through.
            throw new ConflictException($"the address /trust/{slug} is taken by another organization; choose another slug");
        }
        if (before is not null) Changed?.Invoke(before);
        Changed?.Invoke(slug!);
        return new TrustSettings(true, row.Slug, row.PublishedAt, row.PublishedBy);
    }

    /// <summary>Takes the tenant's page down (404 from then on); false when it was not published.</summary>
    public async Task<bool> UnpublishAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        RequireOwner(tenant);
        await using var db = installation.OpenDb();
        var row = await db.TrustPages.FirstOrDefaultAsync(t => t.OrganizationId == tenant.OrganizationId, cancellationToken);
        if (row is null) return false;
        db.TrustPages.Remove(row);
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "trust.unpublished", "trust-page", tenant.OrganizationId.ToString(),
            Before: new { slug = row.Slug }, After: null));
        await AuditTrail.SaveAsync(db, cancellationToken);
        Changed?.Invoke(row.Slug);
        return true;
    }

    private static void RequireOwner(Tenant tenant)
    {
        if (!Roles.CanAdminister(tenant.Role)) throw new ForbiddenException($"only an owner publishes or unpublishes the organization's trust page; your role is {tenant.Role}");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();
}
