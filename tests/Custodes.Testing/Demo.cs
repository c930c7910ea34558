using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Application.Agreements;
using Custodes.Application.Assessments;
using Custodes.Application.Audit;
using Custodes.Application.Demo;
using Custodes.Application.Evidence;
using Custodes.Application.Keys;
using Custodes.Application.Letters;
using Custodes.Application.Organizations;
using Custodes.Application.SupplyChain;
using Custodes.Application.Transparency;
using Custodes.Application.Trust;

namespace Custodes.Testing;

/// <summary>The demo workspace (<c>custodes demo</c>) on a test installation, wired as the CLI wires it.</summary>
public static class Demo
{
    public static Task<DemoSummary> EnsureAsync(Installation installation)
    {
        var clock = TimeProvider.System;
        var audit = new AuditTrail(clock);
        var organizations = new OrganizationStore(installation, audit, clock);
        var log = new TransparencyLog(installation, new LogKeys(installation, new FileSigningKeyProvider(), new LogOptions()), clock);
        var issue = new IssueLetter(installation, audit, log, new SigningKeyRegistry(installation, audit, clock), clock);
        var check = new CheckAgreements(installation, new ProviderLetters(installation, new SigningKeyRegistry(installation, audit, clock)), clock);
        var portfolios = new PortfolioStore(installation, audit, clock, check);
        return new DemoWorkspace(installation, organizations, new AccountStore(installation, audit, clock), new AssessmentStore(installation, audit, clock),
            new EvidenceStore(installation, audit, clock), issue, portfolios, new TrustPages(installation, audit, clock), new ImportAgreement(installation, portfolios, check, audit, clock),
            clock: clock).EnsureAsync();
    }
}
