using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Database;

// Supply-chain portfolios, one per owning organization (or one for the installation's operator), in normalized rows:
// organizations, tools, relationships and responsibility matrices. An import replaces a portfolio's rows whole and bumps
// its version (the key of the in-memory graph cache), and stores the version's query graph as one binary snapshot.
// Notices tell a customer organization what a provider's letter change did.

/// <summary>A portfolio: whose it is, and which version of it is stored.</summary>
internal sealed class PortfolioRow
{
    public Guid Id { get; set; }
    /// <summary>The organization that maintains the portfolio (a customer, an MSP, an assessor or insurer); null for the installation's own.</summary>
    public Guid? OwnerOrganizationId { get; set; }
    /// <summary>The owner's id as text, or <c>installation</c>: unique, so an owner has one portfolio.</summary>
    public required string OwnerKey { get; set; }
    /// <summary>Bumped by every import.</summary>
    public long Version { get; set; }
    public DateTime ImportedAt { get; set; }
    public required string ImportedBy { get; set; }
}

/// <summary>An organization of a portfolio (its id in the file is <see cref="Key"/>).</summary>
internal sealed class PortfolioOrganizationRow
{
    public Guid PortfolioId { get; set; }
    public required string Key { get; set; }
    /// <summary>Position in the file, so export and validation messages keep document order.</summary>
    public int Position { get; set; }
    public required string Name { get; set; }
    public required string Kind { get; set; }
    /// <summary><see cref="Custodes.SupplyChain.DataClasses"/> flags; null when not declared.</summary>
    public int? Data { get; set; }
    /// <summary>The tenants as JSON (<c>[{"id", "tool", "name"}]</c>), or null when none.</summary>
    public string? Tenants { get; set; }
    /// <summary>The Custodes organization this entry is, when it has an account here (its letters and assessments are found through it).</summary>
    public Guid? LinkedOrganizationId { get; set; }
    /// <summary>The provider's recovery capacity as JSON (<see cref="Custodes.SupplyChain.Recovery"/> in snake_case), or null when not stated.</summary>
    public string? Recovery { get; set; }
}

/// <summary>A tool instance of a portfolio.</summary>
internal sealed class PortfolioToolRow
{
    public Guid PortfolioId { get; set; }
    public required string Key { get; set; }
    public int Position { get; set; }
    public required string Product { get; set; }
    public required string Operator { get; set; }
    public string? Instance { get; set; }
    public string? Name { get; set; }
}

/// <summary>A provider serving a customer in a portfolio.</summary>
internal sealed class PortfolioRelationshipRow
{
    public Guid PortfolioId { get; set; }
    public int Position { get; set; }
    public string? Key { get; set; }
    public required string Customer { get; set; }
    public required string Provider { get; set; }
    /// <summary><see cref="Custodes.SupplyChain.Services"/> flags.</summary>
    public int Services { get; set; }
    /// <summary>Tool ids, newline-separated; null when none.</summary>
    public string? Tools { get; set; }
    /// <summary><see cref="Custodes.SupplyChain.AccessLevels"/> flags.</summary>
    public int Access { get; set; }
    public int? Endpoints { get; set; }
    public int? Data { get; set; }
    public DateOnly? ContractStart { get; set; }
    public DateOnly? ContractEnd { get; set; }
    public int? Servers { get; set; }
    /// <summary>The backup as JSON (<see cref="Custodes.SupplyChain.Backup"/> in snake_case), or null when none is described.</summary>
    public string? Backup { get; set; }
}

/// <summary>A portfolio version's query graph (<see cref="Custodes.SupplyChain.PortfolioGraph.ToSnapshot"/>), written with the rows it is built from.</summary>
/// <remarks>
/// Reading it is what the first query after an import or a restart costs, instead of reading every row and building the graph. The rows
/// stay the truth: a snapshot missing, of another version or unreadable is rebuilt from them (<see cref="Custodes.Application.SupplyChain.PortfolioGraphs"/>).
/// </remarks>
internal sealed class PortfolioGraphSnapshotRow
{
    public Guid PortfolioId { get; set; }
    /// <summary>The portfolio version the snapshot was built from; only a snapshot of the current version is used.</summary>
    public long Version { get; set; }
    public required byte[] Content { get; set; }
}

/// <summary>A provider's Customer Responsibility Matrix in a portfolio, kept as the validated <c>custodes.crm/v1</c> document.</summary>
internal sealed class ResponsibilityMatrixRow
{
    public Guid PortfolioId { get; set; }
    /// <summary>The provider's id in the portfolio.</summary>
    public required string Provider { get; set; }
    public required string Framework { get; set; }
    public string? Title { get; set; }
    public DateOnly? PublishedOn { get; set; }
    public required string Content { get; set; }
}

/// <summary>What a provider's letter change did to a customer organization: the score and CMMC status before and after, and why.</summary>
internal sealed class SupplyChainNoticeRow
{
    public Guid Id { get; set; }
    /// <summary>The organization the notice is for (the customer, or the portfolio's owner when the customer has no account here).</summary>
    public Guid OrganizationId { get; set; }
    public Guid PortfolioId { get; set; }
    /// <summary>The customer's and the provider's ids in the portfolio, and their names.</summary>
    public required string Customer { get; set; }
    public required string CustomerName { get; set; }
    public required string Provider { get; set; }
    public required string ProviderName { get; set; }
    public Guid LetterId { get; set; }
    /// <summary><c>revoked</c> or <c>expired</c>.</summary>
    public required string Change { get; set; }
    /// <summary>When the letter was revoked, or expired.</summary>
    public DateTime ChangedAt { get; set; }
    public string? Reason { get; set; }
    public int? ScoreBefore { get; set; }
    public int? ScoreAfter { get; set; }
    public required string CmmcLevel1Before { get; set; }
    public required string CmmcLevel1After { get; set; }
    public required string CmmcLevel2Before { get; set; }
    public required string CmmcLevel2After { get; set; }
    /// <summary>The requirements whose effective status changed, comma-separated.</summary>
    public required string Requirements { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A letter change (revocation or expiry) whose dependents were recomputed: each is processed once.</summary>
internal sealed class LetterChangeRow
{
    public Guid LetterId { get; set; }
    public required string Change { get; set; }
    public DateTime ProcessedAt { get; set; }
    public int Notices { get; set; }
}

/// <summary>The model of the supply-chain tables, applied by <see cref="CustodesDb"/>.</summary>
internal static class SupplyChainModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<PortfolioRow>(e =>
        {
            e.ToTable("supply_chain_portfolios");
            e.HasKey(x => x.Id);
            e.Property(x => x.OwnerKey).HasMaxLength(40);
            e.HasIndex(x => x.OwnerKey).IsUnique();
            e.Property(x => x.ImportedBy).HasMaxLength(320);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.OwnerOrganizationId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<PortfolioOrganizationRow>(e =>
        {
            e.ToTable("portfolio_organizations");
            e.HasKey(x => new { x.PortfolioId, x.Key });
            e.Property(x => x.Key).HasMaxLength(200);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Kind).HasMaxLength(20);
            e.HasIndex(x => x.LinkedOrganizationId);
            e.HasOne<PortfolioRow>().WithMany().HasForeignKey(x => x.PortfolioId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.LinkedOrganizationId).OnDelete(DeleteBehavior.SetNull);
        });
        model.Entity<PortfolioToolRow>(e =>
        {
            e.ToTable("portfolio_tools");
            e.HasKey(x => new { x.PortfolioId, x.Key });
            e.Property(x => x.Key).HasMaxLength(200);
            e.Property(x => x.Product).HasMaxLength(40);
            e.Property(x => x.Operator).HasMaxLength(200);
            e.HasOne<PortfolioRow>().WithMany().HasForeignKey(x => x.PortfolioId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<PortfolioRelationshipRow>(e =>
        {
            e.ToTable("portfolio_relationships");
            e.HasKey(x => new { x.PortfolioId, x.Position });
            e.Property(x => x.Position).ValueGeneratedNever();
            e.Property(x => x.Key).HasMaxLength(200);
            e.Property(x => x.Customer).HasMaxLength(200);
            e.Property(x => x.Provider).HasMaxLength(200);
            e.HasIndex(x => new { x.PortfolioId, x.Provider });
            e.HasIndex(x => new { x.PortfolioId, x.Customer });
            e.HasOne<PortfolioRow>().WithMany().HasForeignKey(x => x.PortfolioId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<PortfolioGraphSnapshotRow>(e =>
        {
            e.ToTable("portfolio_graph_snapshots");
            e.HasKey(x => x.PortfolioId);
            e.HasOne<PortfolioRow>().WithMany().HasForeignKey(x => x.PortfolioId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<ResponsibilityMatrixRow>(e =>
        {
            e.ToTable("responsibility_matrices");
            e.HasKey(x => new { x.PortfolioId, x.Provider });
            e.Property(x => x.Provider).HasMaxLength(200);
            e.Property(x => x.Framework).HasMaxLength(40);
            e.Property(x => x.Title).HasMaxLength(400);
            e.HasOne<PortfolioRow>().WithMany().HasForeignKey(x => x.PortfolioId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<SupplyChainNoticeRow>(e =>
        {
            e.ToTable("supply_chain_notices");
            e.HasKey(x => x.Id);
            e.Property(x => x.Customer).HasMaxLength(200);
            e.Property(x => x.CustomerName).HasMaxLength(200);
            e.Property(x => x.Provider).HasMaxLength(200);
            e.Property(x => x.ProviderName).HasMaxLength(200);
            e.Property(x => x.Change).HasMaxLength(20);
            e.Property(x => x.CmmcLevel1Before).HasMaxLength(20);
            e.Property(x => x.CmmcLevel1After).HasMaxLength(20);
            e.Property(x => x.CmmcLevel2Before).HasMaxLength(20);
            e.Property(x => x.CmmcLevel2After).HasMaxLength(20);
            e.HasIndex(x => new { x.OrganizationId, x.CreatedAt });
            e.HasIndex(x => new { x.LetterId, x.Change, x.PortfolioId, x.Customer, x.OrganizationId }).IsUnique();
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<PortfolioRow>().WithMany().HasForeignKey(x => x.PortfolioId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<LetterChangeRow>(e =>
        {
            e.ToTable("letter_changes");
            e.HasKey(x => new { x.LetterId, x.Change });
            e.Property(x => x.Change).HasMaxLength(20);
            e.HasOne<LetterRow>().WithMany().HasForeignKey(x => x.LetterId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
