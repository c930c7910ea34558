using Custodes.Agreements;
using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Common;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Agreements;

/// <summary>The customer sets the status of a free-text obligation by hand, with the evidence (what it saw, where); audited, then re-checked.</summary>
public sealed class SetObligationStatus(Installation installation, CheckAgreements check, AuditTrail audit, TimeProvider clock)
{
    public async Task HandleAsync(Tenant tenant, Guid agreementId, string obligationId, string status, string? evidence, CancellationToken cancellationToken = default)
    {
        if (!AgreementNames.States.TryParse(status, out _)) throw new BadInputException($"unknown status '{status}'; expected {AgreementNames.States.Expected}", path: "$.status");
        evidence = evidence?.Trim();
        if (string.IsNullOrEmpty(evidence)) throw new BadInputException("the evidence is missing: say what shows the obligation's status (a document, a date, who confirmed it)", path: "$.evidence");
        if (evidence.Length > AgreementFile.MaxText) throw new BadInputException($"the evidence is at most {AgreementFile.MaxText} characters", path: "$.evidence");
        await using (var db = installation.OpenDb())
        {
            var row = await db.Agreements.AsNoTracking().FirstOrDefaultAsync(a => a.Id == agreementId && a.OrganizationId == tenant.OrganizationId, cancellationToken)
                ?? throw new NotFoundException($"no agreement {agreementId} of your organization");
            tenant.RequireEdit();
            var agreement = AgreementFile.Parse(System.Text.Encoding.UTF8.GetBytes(row.Content), $"stored agreement {row.Id}");
            var obligation = agreement.Obligations.FirstOrDefault(o => o.Id == obligationId) ?? throw new NotFoundException($"the agreement has no obligation '{obligationId}'");
            if (obligation.Kind != ObligationKind.FreeText)
                throw new ConflictException($"'{obligationId}' is checked by Custodes from the facts ({AgreementNames.Kinds.Name(obligation.Kind)}); only free-text obligations are set by hand");
            var manual = await db.ObligationManualStatuses.FirstOrDefaultAsync(m => m.AgreementId == agreementId && m.ObligationId == obligationId, cancellationToken);
            var before = manual is null ? null : new { status = manual.Status, evidence = manual.Evidence };
            if (manual is null)
            {
                manual = new ObligationManualStatusRow { AgreementId = agreementId, ObligationId = obligationId, Status = status, Evidence = evidence, SetBy = tenant.Actor };
                db.ObligationManualStatuses.Add(manual);
            }
            manual.Status = status;
            manual.Evidence = evidence;
            manual.SetBy = tenant.Actor;
            manual.SetAt = clock.GetUtcNow().UtcDateTime;
            audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "agreement.obligation_status_set", "agreement", agreementId.ToString(), before,
                new { obligation = obligationId, status, evidence }));
            await AuditTrail.SaveAsync(db, cancellationToken);
        }
        await check.AgreementAsync(agreementId, cancellationToken);
    }
}
