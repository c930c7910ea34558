using System.CommandLine;
using Custodes.Application;
using Custodes.Application.Accounts;
using Custodes.Application.Assessments;
using Custodes.Application.Audit;
using Custodes.Application.Evidence;
using Custodes.Application.Organizations;

namespace Custodes.Cli;

/// <summary>The <c>--data-dir</c>/<c>--db</c> options of every command that uses stored data.</summary>
public sealed class InstallationOptions
{
    public Option<string?> DataDir { get; } = CommonOptions.DataDir();
    public Option<string?> Db { get; } = CommonOptions.Db();

    public void AddTo(Command command)
    {
        command.Options.Add(DataDir);
        command.Options.Add(Db);
    }

    /// <summary>Opens the installation, creating it or migrating its schema as needed.</summary>
    public async Task<Workspace> OpenAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var installation = Installation.Open(parse.GetValue(DataDir), parse.GetValue(Db));
        await installation.InitializeAsync(cancellationToken);
        return new Workspace(installation, TimeProvider.System);
    }
}

/// <summary>An open installation and its stores, wired the way the web app wires them.</summary>
public sealed class Workspace
{
    public Workspace(Installation installation, TimeProvider clock)
    {
        Installation = installation;
        Audit = new AuditTrail(clock);
        Organizations = new OrganizationStore(installation, Audit, clock);
        Accounts = new AccountStore(installation, Audit, clock);
        Assessments = new AssessmentStore(installation, Audit, clock);
        Evidence = new EvidenceStore(installation, Audit, clock);
        Attestation = new Attest.AttestationWorkspace(installation, Audit, Organizations, clock);
        var msps = new Application.Watch.WatchMspStore(installation, Audit, clock);
        var alerts = new Application.Watch.AlertStore(installation, Audit, clock);
        var log = new Application.Watch.WatchLog(installation, Attestation.LogKeys, clock);
        // Alerts raised at the command line go to the delivery outbox; the worker of a `custodes serve` on this installation sends them.
        var notifications = new Application.Alerting.AlertNotifications(installation, new Application.Alerting.AlertingOptions(), new Application.Alerting.DeliveryQueue(), Audit, clock);
        var publisher = new Application.Watch.AlertPublisher(alerts, [new Application.Alerting.DeliverAlerts(installation, notifications)]);
        Watch = new(msps, alerts, log, new Application.Watch.WatchPipeline(log, msps, publisher, clock));
    }

    /// <summary>The watch stores: MSP profiles and tenants, alerts, the per-MSP event log, and the ingestion pipeline.</summary>
    public sealed record WatchStores(Application.Watch.WatchMspStore Msps, Application.Watch.AlertStore Alerts, Application.Watch.WatchLog Log, Application.Watch.WatchPipeline Pipeline);

    public WatchStores Watch { get; }

    public Installation Installation { get; }
    public AuditTrail Audit { get; }
    public OrganizationStore Organizations { get; }
    public AccountStore Accounts { get; }
    public AssessmentStore Assessments { get; }
    public EvidenceStore Evidence { get; }
    public Attest.AttestationWorkspace Attestation { get; }

    /// <summary>The operator acting at the command line for an organization given by id or name.</summary>
    public async Task<Tenant> OperatorForAsync(string organization, CancellationToken cancellationToken) =>
        Tenant.Operator((await Organizations.ResolveAsync(organization, cancellationToken)).Id);

    /// <summary>The operator acting for whichever organization owns an assessment (the operator runs the installation).</summary>
    public async Task<Tenant> OperatorForAssessmentAsync(Guid assessmentId, CancellationToken cancellationToken)
    {
        await using var db = Installation.OpenDb();
        var owner = Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(
            db.Assessments.Where(a => a.Id == assessmentId).Select(a => (Guid?)a.OrganizationId), cancellationToken);
        return Tenant.Operator(await owner ?? throw new Common.BadInputException($"no assessment {assessmentId} in {Installation.DataDirectory}"));
    }
}
