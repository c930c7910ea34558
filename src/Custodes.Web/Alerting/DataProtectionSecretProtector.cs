using Custodes.Application.Alerting;
using Microsoft.AspNetCore.DataProtection;

namespace Custodes.Web.Alerting;

/// <summary>Webhook secrets encrypted with the installation's Data Protection keys (kept under <c>keys/data-protection</c>).</summary>
internal sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("Custodes.Alerting.WebhookSecret.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
