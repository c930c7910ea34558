using System.Text;
using Custodes.Agreements;
using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Application.SupplyChain;
using Custodes.Common;
using Custodes.SupplyChain;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Agreements;

/// <summary>
/// Stores an agreement for the customer organization that owns it (an import, or the form): between a customer and a provider of the
/// organization's own portfolio. A second agreement with the same customer and provider replaces the first (a new version; the hand-set
/// statuses of free-text obligations that remain are kept). Audited, then checked at once.
/// </summary>
public sealed class ImportAgreement(Installation installation, PortfolioStore portfolios, CheckAgreements check, AuditTrail audit, TimeProvider clock)
{
    /// <summary>Stores the agreement; returns its id. <paramref name="expectedVersion"/> (from a form) refuses a change to a newer version.</summary>
    /// <exception cref="BadInputException">The agreement is invalid, or its customer or provider is not in the organization's portfolio.</exception>
    public async Task<Guid> HandleAsync(Tenant tenant, Agreement agreement, string source = "agreement", int? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        tenant.RequireEdit();
        if (tenant.ForInstallation) throw new BadInputException("an agreement belongs to the customer organization: name it");
        AgreementFile.Check(agreement, (path, message) => new BadInputException(message, source, path));
        var portfolio = await portfolios.LoadAsync(tenant, cancellationToken)
            ?? throw new BadInputException("your organization has no portfolio yet: import it first, so that the agreement's provider is one of your providers", source, "$.provider");
        var organizations = portfolio.Portfolio.Organizations.ToDictionary(o => o.Id, StringComparer.Ordinal);
        if (!organizations.ContainsKey(agreement.Customer))
            throw new BadInputException($"'{agreement.Customer}' is not an organization of your portfolio", source, "$.customer");
        if (portfolio.Links.TryGetValue(agreement.Customer, out var customerAccount) && customerAccount != tenant.OrganizationId)
            throw new BadInputException($"'{agreement.Customer}' is another organization in this installation; an agreement is kept by its customer", source, "$.customer");
        if (!organizations.TryGetValue(agreement.Provider, out var provider))
            throw new BadInputException($"'{agreement.Provider}' is not an organization of your portfolio", source, "$.provider");
        if (!provider.Kind.IsProvider())
            throw new BadInputException($"'{agreement.Provider}' is a {PortfolioNames.Kinds.Name(provider.Kind)}, not a provider", source, "$.provider");
        if (!portfolio.Portfolio.Relationships.Any(r => r.Customer == agreement.Customer && r.Provider == agreement.Provider))
            throw new BadInputException($"your portfolio has no relationship in which {agreement.Provider} serves {agreement.Customer}", source, "$.provider");

        var content = Encoding.UTF8.GetString(AgreementFile.ToJson(agreement));
        var now = clock.GetUtcNow().UtcDateTime;
        Guid id;
        await using (var db = installation.OpenDb())
        {
            var row = await db.Agreements.FirstOrDefaultAsync(a => a.OrganizationId == tenant.OrganizationId && a.Customer == agreement.Customer && a.Provider == agreement.Provider, cancellationToken);
            if (row is not null && expectedVersion is { } v && v != row.Version)
                throw new PreconditionFailedException($"the agreement changed since you read it (version {row.Version}, not {v}); read it again");
            var before = row is null ? null : new { version = row.Version, obligations = row.Content };
            if (row is null)
            {
                row = new AgreementRow
                {
                    Id = Guid.CreateVersion7(), OrganizationId = tenant.OrganizationId, Customer = agreement.Customer, Provider = agreement.Provider,
                    ProviderName = provider.Name, Content = content, UpdatedBy = tenant.Actor,
                };
                db.Agreements.Add(row);
            }
            row.ProviderName = provider.Name;
            row.ProviderOrganizationId = portfolio.Links.TryGetValue(agreement.Provider, out var link) ? link : null;
            row.SignedOn = agreement.SignedOn;
            row.RenewsOn = agreement.RenewsOn;
            row.NoticeDays = agreement.NoticeDays;
            row.Content = content;
            row.Version++;
            row.UpdatedAt = now;
            row.UpdatedBy = tenant.Actor;
            // Statuses set by hand stay only on the free-text obligations that remain.
            var freeText = agreement.Obligations.Where(o => o.Kind == ObligationKind.FreeText).Select(o => o.Id).ToArray();
            var rowId = row.Id;
            if (before is not null)
                await db.ObligationManualStatuses.Where(m => m.AgreementId == rowId && !freeText.Contains(m.ObligationId)).ExecuteDeleteAsync(cancellationToken);
            audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, before is null ? "agreement.imported" : "agreement.updated", "agreement", row.Id.ToString(),
                before, new { version = row.Version, customer = agreement.Customer, provider = agreement.Provider, source, obligations = content }));
            try
            {
                await AuditTrail.SaveAsync(db, cancellationToken);
            }
            catch (DbUpdateException) when (before is null)
            {
                throw new ConflictException($"an agreement between {agreement.Customer} and {agreement.Provider} was stored meanwhile; import again to replace it");
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new PreconditionFailedException("the agreement changed meanwhile; read it again");
            }
            id = row.Id;
        }
        await check.AgreementAsync(id, cancellationToken);
        return id;
    }
}
