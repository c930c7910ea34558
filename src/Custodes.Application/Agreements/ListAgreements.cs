using System.Linq.Expressions;
using Custodes.Application.Database;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Agreements;

/// <summary>A notice about an agreement: an obligation newly breached, or a renewal coming.</summary>
public sealed record AgreementNotice(Guid Id, Guid AgreementId, string Kind, string? ObligationId, string Summary, DateTime? Since, DateTime CreatedAt);

/// <summary>
/// Reads agreements: a customer its own (with the statuses last checked), a provider those it is the provider of (read-only), and the
/// notices each of them may see.
/// </summary>
public sealed class ListAgreements(Installation installation)
{
    /// <summary>The tenant's own agreements (it is their customer), by provider.</summary>
    public Task<IReadOnlyList<StoredAgreement>> OwnAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        var owner = tenant.OrganizationId;
        return LoadAsync(installation, a => a.OrganizationId == owner, cancellationToken);
    }

    /// <summary>The agreements whose provider is the tenant's organization: what it promised, and where each promise stands.</summary>
    public Task<IReadOnlyList<StoredAgreement>> ProvidedAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        var provider = tenant.OrganizationId;
        return LoadAsync(installation, a => a.ProviderOrganizationId == provider, cancellationToken);
    }

    /// <summary>Every agreement of the installation, for its operator at the command line.</summary>
    public Task<IReadOnlyList<StoredAgreement>> AllAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        if (!tenant.ForInstallation) throw new ForbiddenException("only the installation's operator reads every organization's agreements");
        return LoadAsync(installation, _ => true, cancellationToken);
    }

    /// <summary>One agreement the tenant owns or provides; another's is not found.</summary>
    public async Task<StoredAgreement> GetAsync(Tenant tenant, Guid id, CancellationToken cancellationToken = default)
    {
        var org = tenant.OrganizationId;
        var found = await LoadAsync(installation, a => a.Id == id && (a.OrganizationId == org || a.ProviderOrganizationId == org), cancellationToken);
        return found.Count == 1 ? found[0] : throw new NotFoundException($"no agreement {id} for your organization");
    }

    /// <summary>The notices the tenant may see (as the customer, or as the provider), newest first.</summary>
    public async Task<IReadOnlyList<AgreementNotice>> NoticesAsync(Tenant tenant, int take = 100, CancellationToken cancellationToken = default)
    {
        var org = tenant.OrganizationId;
        await using var db = installation.OpenReadDb();
        var rows = await db.AgreementNotices.AsNoTracking().Where(n => n.OrganizationId == org || n.ProviderOrganizationId == org)
            .OrderByDescending(n => n.CreatedAt).ThenBy(n => n.Id).Take(Math.Clamp(take, 1, 1000)).ToListAsync(cancellationToken);
        return [.. rows.Select(n => new AgreementNotice(n.Id, n.AgreementId, n.Kind, n.ObligationId, n.Summary, n.Since, n.CreatedAt))];
    }

    internal static async Task<IReadOnlyList<StoredAgreement>> LoadAsync(Installation installation, Expression<Func<AgreementRow, bool>> which, CancellationToken cancellationToken)
    {
        await using var db = installation.OpenReadDb();
        var rows = await db.Agreements.AsNoTracking().Where(which).OrderBy(a => a.ProviderName).ThenBy(a => a.Customer).ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToArray();
        var statuses = (await db.ObligationStatuses.AsNoTracking().Where(s => ids.Contains(s.AgreementId)).ToListAsync(cancellationToken)).ToLookup(s => s.AgreementId);
        return [.. rows.Select(r => StoredAgreement.From(r, statuses[r.Id]))];
    }
}
