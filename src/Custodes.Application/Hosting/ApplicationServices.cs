using Custodes.Application.Accounts;
using Custodes.Application.Alerting;
using Custodes.Application.Assessments;
using Custodes.Application.Audit;
using Custodes.Application.Evidence;
using Custodes.Application.Keys;
using Custodes.Application.Letters;
using Custodes.Application.Organizations;
using Custodes.Application.Sharing;
using Custodes.Application.SupplyChain;
using Custodes.Application.Transparency;
using Custodes.Application.Watch;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Custodes.Application.Hosting;

/// <summary>
/// The one composition root of the application layer: every settings type, store and use case, wired the same way for every host.
/// The web app calls it and adds only what is the web's (pages, authentication, the delivery worker); the CLI calls it on the same
/// configuration sources and resolves the same handlers.
/// </summary>
public static class ApplicationServices
{
    public static IServiceCollection AddCustodesApplication(this IServiceCollection services, IConfiguration configuration)
    {
        // BindConfiguration reads the configuration the container holds; a host has registered its own already.
        services.TryAddSingleton(configuration);
        services.TryAddSingleton(TimeProvider.System);

        services.AddConfiguredOptions<DataOptions, DataOptionsValidator>(DataOptions.Section);
        services.AddConfiguredOptions<PublicAddressOptions, PublicAddressOptionsValidator>(PublicAddressOptions.Section, PublicAddressOptions.AliasSection);
        services.AddConfiguredOptions<EvidenceOptions, EvidenceOptionsValidator>(EvidenceOptions.Section);
        services.AddConfiguredOptions<LogOptions, LogOptionsValidator>(LogOptions.Section);
        services.AddConfiguredOptions<WatchOptions, WatchOptionsValidator>(WatchOptions.Section);
        services.AddConfiguredOptions<AlertingOptions, AlertingOptionsValidator>(AlertingOptions.Section);
        services.AddConfiguredOptions<SupplyChainOptions, SupplyChainOptionsValidator>(SupplyChainOptions.Section);
        services.AddConfiguredOptions<FirmKeyOptions, FirmKeyOptionsValidator>(FirmKeyOptions.Section);
        services.AddConfiguredOptions<Witness.CosignatureCollectorOptions, Witness.CosignatureCollectorOptionsValidator>(Witness.CosignatureCollectorOptions.Section);

        // A host that opened the installation itself (custodes serve, the tests' servers) registers it first.
        services.TryAddSingleton(sp =>
        {
            var data = sp.GetRequiredService<DataOptions>();
            return Installation.Open(data.Directory, data.Database);
        });
        services.TryAddSingleton<PublicAddress>();

        services.TryAddSingleton<AuditTrail>();
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton<OrganizationStore>();
        services.TryAddSingleton<OrganizationDirectory>();
        services.TryAddSingleton<AccountStore>();
        // Multi-factor sign-in (Accounts/, one file per use case).
        services.TryAddSingleton<BeginMfaEnrolment>();
        services.TryAddSingleton<ConfirmMfa>();
        services.TryAddSingleton<DisableMfa>();
        services.TryAddSingleton<ReadMfaStatus>();
        services.TryAddSingleton<InvitationStore>();
        services.TryAddSingleton<AssessmentStore>();
        services.TryAddSingleton<QuestionnaireBasis>();
        services.TryAddSingleton<QuestionnaireStore>();
        services.TryAddSingleton<StaleQuestionnaires>();
        services.TryAddSingleton<ReviseQuestionnaire>();
        services.TryAddSingleton<ShareStore>();
        services.TryAddSingleton<Deliverables.CmmcDeliverables>();
        services.TryAddSingleton(sp => new EvidenceStore(sp.GetRequiredService<Installation>(), sp.GetRequiredService<AuditTrail>(), sp.GetRequiredService<TimeProvider>())
        {
            MaxBytes = sp.GetRequiredService<EvidenceOptions>().EvidenceMaxBytes,
        });

        // Letters and the transparency log.
        services.TryAddSingleton<ISigningKeyProvider>(_ => new FileSigningKeyProvider());
        services.TryAddSingleton<LogKeys>();
        services.TryAddSingleton<TransparencyLog>();
        services.TryAddSingleton<SigningKeyRegistry>();
        services.TryAddSingleton<LetterStore>();
        services.TryAddSingleton<IssueLetter>();
        services.TryAddSingleton<FirmKeys>();

        // Engagements (docs/engagements.md): from an organization's request to the letter the firm issues.
        services.TryAddSingleton<Engagements.EngagementQueries>();
        services.TryAddSingleton<Engagements.RequestEngagement>();
        services.TryAddSingleton<Engagements.AcceptEngagement>();
        services.TryAddSingleton<Engagements.DeclineEngagement>();
        services.TryAddSingleton<Engagements.AdvanceEngagement>();
        services.TryAddSingleton<Engagements.EngagementMaterials>();
        services.TryAddSingleton<Engagements.SignOffQuality>();
        services.TryAddSingleton<Engagements.IssueEngagementLetter>();
        services.TryAddSingleton<LogAudit>();
        // The witnessed log (contracts §12): this installation as a witness, and the witnesses its own log asks for cosignatures.
        services.TryAddSingleton<Witness.WitnessKeys>();
        services.TryAddSingleton<Witness.CheckpointWitness>();
        services.TryAddSingleton<Witness.LogWitnesses>();
        services.TryAddSingleton(sp => new RevokeLetter(sp.GetRequiredService<Installation>(), sp.GetRequiredService<AuditTrail>(), sp.GetRequiredService<TransparencyLog>(),
            sp.GetRequiredService<SigningKeyRegistry>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<LetterChanges>()));

        // Supply chain: portfolios, providers' letters, and what follows when a letter changes.
        services.TryAddSingleton<PortfolioStore>();
        services.TryAddSingleton(sp => new PortfolioGraphs(sp.GetRequiredService<PortfolioStore>(), sp.GetService<ILogger<PortfolioGraphs>>()));
        services.TryAddSingleton<ProviderLetters>();
        services.TryAddSingleton<LetterChanges>();
        services.TryAddSingleton<CustomerInheritance>();
        services.TryAddSingleton<SupplyChainQueries>();
        // Switching providers: candidates read from trust pages here or verified from another installation's.
        services.TryAddSingleton(sp => new Trust.RemoteTrustPages(sp.GetRequiredService<SigningKeyRegistry>()));
        services.TryAddSingleton<SwitchingProviders>();

        // Agreements (contracts §14): what each provider promised, re-checked whenever a fact changes.
        services.TryAddSingleton<Agreements.CheckAgreements>();
        services.TryAddSingleton<Agreements.ImportAgreement>();
        services.TryAddSingleton<Agreements.ListAgreements>();
        services.TryAddSingleton<Agreements.SetObligationStatus>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertSink, Agreements.RecheckOnAlert>());
        services.TryAddSingleton<NotifyCustomerOfAlert>();
        // The organization's providers edited from forms, stored as an import is; providers found by their published trust pages.
        services.TryAddSingleton<ProviderDirectory>();
        services.TryAddSingleton<CustomerProviders>();
        services.TryAddSingleton<SaveProvider>();
        services.TryAddSingleton<RemoveProvider>();
        // Recovery capacity (contracts §13): restore schedules, their what-ifs and the forms' edits.
        services.TryAddSingleton<RecoveryPlanning>();
        services.TryAddSingleton<RecoveryEdits>();

        // Watch: MSP profiles and tenants, alerts, the per-MSP event log, the inbox and the ingestion pipeline.
        services.TryAddSingleton<WatchMspStore>();
        services.TryAddSingleton<WatchConsentStore>();
        services.TryAddSingleton<AlertStore>();
        services.TryAddSingleton<PostureDrifts>();
        services.TryAddSingleton<WatchLog>();
        services.TryAddSingleton<WatchInbox>();
        services.TryAddSingleton(sp => new AlertPublisher(sp.GetRequiredService<AlertStore>(), sp.GetServices<IAlertSink>(),
            sp.GetService<ILogger<AlertPublisher>>() is { } log ? (sink, e) => log.LogError(e, "alert sink {Sink} failed", sink.GetType().Name) : null));
        services.TryAddSingleton(sp => new WatchPipeline(sp.GetRequiredService<WatchLog>(), sp.GetRequiredService<WatchMspStore>(),
            sp.GetRequiredService<AlertPublisher>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<WatchOptions>().MaxDetectors));

        // Alert delivery: what is raised goes to the outbox of every channel that wants it, in any process; a server's worker sends it.
        services.TryAddSingleton<DeliveryQueue>();
        services.TryAddSingleton(sp => new AlertChannelStore(sp.GetRequiredService<Installation>(), sp.GetRequiredService<AuditTrail>(),
            sp.GetRequiredService<ISecretProtector>(), sp.GetRequiredService<TimeProvider>()) { AllowHttpWebhooks = sp.GetRequiredService<AlertingOptions>().AllowHttpWebhooks });
        services.TryAddSingleton<AlertOutbox>();
        services.TryAddSingleton<AlertNotifications>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertSink, DeliverAlerts>());

        // Trust pages: what an organization publishes about itself, edited by the web app and the CLI alike.
        services.TryAddSingleton<Trust.TrustPages>();
        services.TryAddSingleton<Trust.TrustPageReader>();
        // Subscriptions to trust pages (the web's public forms); their notices go out through the delivery outbox above.
        services.AddConfiguredOptions<Trust.TrustSubscriptionOptions, Trust.TrustSubscriptionOptionsValidator>(Trust.TrustSubscriptionOptions.Section);
        services.TryAddSingleton<Trust.TrustSubscriptions>();

        // Home pages (docs/web.md "Home pages"): one per organization kind, and the first-run checklist.
        services.TryAddSingleton<Home.CustomerHome>();
        services.TryAddSingleton<Home.MspHome>();
        services.TryAddSingleton<Home.AssessorHome>();
        services.TryAddSingleton<Home.FirstRunChecklist>();

        services.TryAddSingleton<Demo.DemoWorkspace>();
        return services;
    }
}
