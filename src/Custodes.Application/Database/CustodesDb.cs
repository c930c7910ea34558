using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Database;

/// <summary>The one EF Core model of an installation. Provider-specific subclasses only exist to keep two migration sets apart.</summary>
internal abstract class CustodesDb(DbContextOptions options) : DbContext(options)
{
    public DbSet<OrganizationRow> Organizations => Set<OrganizationRow>();
    public DbSet<UserRow> Users => Set<UserRow>();
    public DbSet<MembershipRow> Memberships => Set<MembershipRow>();
    public DbSet<ApiKeyRow> ApiKeys => Set<ApiKeyRow>();
    public DbSet<SessionRow> Sessions => Set<SessionRow>();
    public DbSet<SignInThrottleRow> SignInThrottles => Set<SignInThrottleRow>();
    public DbSet<PasswordResetRow> PasswordResets => Set<PasswordResetRow>();
    public DbSet<InvitationRow> Invitations => Set<InvitationRow>();
    public DbSet<ExternalLoginRow> ExternalLogins => Set<ExternalLoginRow>();
    public DbSet<AssessmentRow> Assessments => Set<AssessmentRow>();
    public DbSet<DeterminationRow> Determinations => Set<DeterminationRow>();
    public DbSet<PoamItemRow> PoamItems => Set<PoamItemRow>();
    public DbSet<EvidenceRow> Evidence => Set<EvidenceRow>();
    public DbSet<EvidenceLinkRow> EvidenceLinks => Set<EvidenceLinkRow>();
    public DbSet<AuditRow> Audit => Set<AuditRow>();
    public DbSet<PortfolioRow> Portfolios => Set<PortfolioRow>();
    public DbSet<PortfolioOrganizationRow> PortfolioOrganizations => Set<PortfolioOrganizationRow>();
    public DbSet<PortfolioToolRow> PortfolioTools => Set<PortfolioToolRow>();
    public DbSet<PortfolioRelationshipRow> PortfolioRelationships => Set<PortfolioRelationshipRow>();
    public DbSet<ResponsibilityMatrixRow> ResponsibilityMatrices => Set<ResponsibilityMatrixRow>();
    public DbSet<PortfolioGraphSnapshotRow> PortfolioGraphSnapshots => Set<PortfolioGraphSnapshotRow>();
    public DbSet<SupplyChainNoticeRow> SupplyChainNotices => Set<SupplyChainNoticeRow>();
    public DbSet<LetterChangeRow> LetterChanges => Set<LetterChangeRow>();
    public DbSet<QuestionnaireResponseRow> QuestionnaireResponses => Set<QuestionnaireResponseRow>();
    public DbSet<QuestionnaireAnswerRow> QuestionnaireAnswers => Set<QuestionnaireAnswerRow>();
    public DbSet<LogEntryRow> LogEntries => Set<LogEntryRow>();
    public DbSet<LogHashRow> LogHashes => Set<LogHashRow>();
    public DbSet<LogCheckpointRow> LogCheckpoints => Set<LogCheckpointRow>();
    public DbSet<LogStateRow> LogState => Set<LogStateRow>();
    public DbSet<WitnessLogRow> WitnessLogs => Set<WitnessLogRow>();
    public DbSet<LogWitnessRow> LogWitnesses => Set<LogWitnessRow>();
    public DbSet<LogCosignatureRow> LogCosignatures => Set<LogCosignatureRow>();
    public DbSet<LogWitnessPolicyRow> LogWitnessPolicy => Set<LogWitnessPolicyRow>();
    public DbSet<SigningKeyRow> SigningKeys => Set<SigningKeyRow>();
    public DbSet<LetterRow> Letters => Set<LetterRow>();
    public DbSet<TrustPageRow> TrustPages => Set<TrustPageRow>();
    public DbSet<TrustSubscriptionRow> TrustSubscriptions => Set<TrustSubscriptionRow>();
    public DbSet<ShareRow> Shares => Set<ShareRow>();
    public DbSet<EngagementRow> Engagements => Set<EngagementRow>();
    public DbSet<FirmKeyRow> FirmKeys => Set<FirmKeyRow>();
    public DbSet<EngagementEvidenceRow> EngagementEvidence => Set<EngagementEvidenceRow>();
    public DbSet<AlertChannelRow> AlertChannels => Set<AlertChannelRow>();
    public DbSet<AlertDeliveryRow> AlertDeliveries => Set<AlertDeliveryRow>();
    public DbSet<AlertAttemptRow> AlertAttempts => Set<AlertAttemptRow>();
    public DbSet<WatchMspRow> WatchMsps => Set<WatchMspRow>();
    public DbSet<WatchEventRow> WatchEvents => Set<WatchEventRow>();
    public DbSet<WatchBatchRow> WatchBatches => Set<WatchBatchRow>();
    public DbSet<WatchLogHashRow> WatchLogHashes => Set<WatchLogHashRow>();
    public DbSet<WatchCheckpointRow> WatchCheckpoints => Set<WatchCheckpointRow>();
    public DbSet<WatchQuarantineRow> WatchQuarantine => Set<WatchQuarantineRow>();
    public DbSet<WatchInboxRow> WatchInbox => Set<WatchInboxRow>();
    public DbSet<WatchTenantRow> WatchTenants => Set<WatchTenantRow>();
    public DbSet<WatchConsentRow> WatchConsents => Set<WatchConsentRow>();
    public DbSet<WatchAlertRow> WatchAlerts => Set<WatchAlertRow>();
    public DbSet<WatchAlertTenantRow> WatchAlertTenants => Set<WatchAlertTenantRow>();
    public DbSet<WatchAlertEventRow> WatchAlertEvents => Set<WatchAlertEventRow>();
    public DbSet<WatchAlertNoticeRow> WatchAlertNotices => Set<WatchAlertNoticeRow>();
    public DbSet<AgreementRow> Agreements => Set<AgreementRow>();
    public DbSet<ObligationStatusRow> ObligationStatuses => Set<ObligationStatusRow>();
    public DbSet<ObligationManualStatusRow> ObligationManualStatuses => Set<ObligationManualStatusRow>();
    public DbSet<AgreementNoticeRow> AgreementNotices => Set<AgreementNoticeRow>();

    // SQLite returns DateTime values without a kind; every timestamp here is UTC, so say so on the way out.
    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        configuration.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configuration.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<OrganizationRow>(e =>
        {
            e.ToTable("organizations");
            e.HasKey(x => x.Id);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Kind).HasMaxLength(20);
        });
        model.Entity<UserRow>(e =>
        {
            e.ToTable("users");
            e.HasKey(x => x.Id);
            e.Property(x => x.Email).HasMaxLength(320);
            e.HasIndex(x => x.Email).IsUnique();
        });
        model.Entity<MembershipRow>(e =>
        {
            e.ToTable("memberships");
            e.HasKey(x => new { x.UserId, x.OrganizationId });
            e.Property(x => x.Role).HasMaxLength(20);
            e.HasOne<UserRow>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<ApiKeyRow>(e =>
        {
            e.ToTable("api_keys");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.Hash).IsUnique();
            e.HasOne<UserRow>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<AssessmentRow>(e =>
        {
            e.ToTable("assessments");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.OrganizationId);
            e.Property(x => x.Framework).HasMaxLength(40);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Determinations).WithOne().HasForeignKey(x => x.AssessmentId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.Poam).WithOne().HasForeignKey(x => x.AssessmentId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<DeterminationRow>(e =>
        {
            e.ToTable("determinations");
            e.HasKey(x => new { x.AssessmentId, x.TargetId });
            e.Property(x => x.TargetId).HasMaxLength(20);
            e.Property(x => x.Status).HasMaxLength(20);
        });
        model.Entity<PoamItemRow>(e =>
        {
            e.ToTable("poam_items");
            e.HasKey(x => new { x.AssessmentId, x.RequirementId });
            e.Property(x => x.RequirementId).HasMaxLength(20);
            e.Property(x => x.Status).HasMaxLength(20);
        });
        model.Entity<EvidenceRow>(e =>
        {
            e.ToTable("evidence");
            e.HasKey(x => x.Id);
            e.Property(x => x.Sha256).HasMaxLength(64);
            e.HasIndex(x => new { x.OrganizationId, x.Name, x.Version }).IsUnique();
            e.HasIndex(x => new { x.OrganizationId, x.Sha256 });
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        });
        model.Entity<EvidenceLinkRow>(e =>
        {
            e.ToTable("evidence_links");
            e.HasKey(x => new { x.EvidenceId, x.AssessmentId, x.TargetId });
            e.HasOne<EvidenceRow>().WithMany().HasForeignKey(x => x.EvidenceId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<AssessmentRow>().WithMany().HasForeignKey(x => x.AssessmentId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<ShareRow>(e =>
        {
            e.ToTable("assessment_shares");
            e.HasKey(x => new { x.AssessmentId, x.OrganizationId });
            e.HasIndex(x => x.OrganizationId);
            e.HasOne<AssessmentRow>().WithMany().HasForeignKey(x => x.AssessmentId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<AuditRow>(e =>
        {
            e.ToTable("audit_log");
            e.HasKey(x => x.Sequence);
            e.Property(x => x.Sequence).ValueGeneratedOnAdd();
            e.HasIndex(x => x.PreviousHash).IsUnique();
            e.HasIndex(x => new { x.OrganizationId, x.Sequence });
            e.HasIndex(x => new { x.EntityId, x.Sequence });
        });
        AttestationModel.Configure(model);
        WitnessModel.Configure(model);
        AlertingModel.Configure(model);
        WatchModel.Configure(model);
        SupplyChainModel.Configure(model);
        QuestionnaireModel.Configure(model);
        CredentialModel.Configure(model);
        MembershipModel.Configure(model);
        TrustModel.Configure(model);
        EngagementModel.Configure(model);
        AgreementModel.Configure(model);
    }
}

/// <summary>The model on the embedded SQLite database (its own migrations).</summary>
internal sealed class SqliteCustodesDb(DbContextOptions<SqliteCustodesDb> options) : CustodesDb(options);

/// <summary>The model on PostgreSQL (its own migrations).</summary>
internal sealed class PostgresCustodesDb(DbContextOptions<PostgresCustodesDb> options) : CustodesDb(options);
