using Custodes.Agreements;
using Custodes.Application.Watch;
using Custodes.Watch.Detection;

namespace Custodes.Application.Agreements;

/// <summary>A new critical or <c>mfa-disabled</c> alert re-checks the agreements its MSP is the provider of (incident notice, MFA promises).</summary>
internal sealed class RecheckOnAlert(CheckAgreements agreements) : IAlertSink
{
    public async Task DeliverAsync(PublishedAlert alert, CancellationToken cancellationToken)
    {
        if (!alert.IsNew && alert.NewTenants.Count == 0) return;
        if (alert.Detected.Severity != Severity.Critical && alert.Detected.Rule != CheckObligations.MfaDisabledRule) return;
        await agreements.AfterProviderChangeAsync([alert.Stored.MspOrganizationId], cancellationToken);
    }
}
