using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Database;

// Questionnaire responses: a questionnaire answered for one organization, its answers proposed from the assessment and letter
// (or read from a filled file), reviewed answer by answer and signed off by a member. The proposal columns are written once,
// so what was proposed at the time stays visible next to the review; the review columns change until the sign-off, after
// which nothing does (a correction is a new revision). Question texts and mappings are copied from the template, so a
// response still reads the same after its template changes.

/// <summary>A questionnaire answered for one organization: a draft under review, or signed off and sealed by its content hash.</summary>
internal sealed class QuestionnaireResponseRow
{
    public Guid Id { get; set; }
    public Guid OrganizationId { get; set; }
    public required string TemplateId { get; set; }
    public int TemplateVersion { get; set; }
    public required string Title { get; set; }
    /// <summary>The organization whose assessment answers, as named in it.</summary>
    public required string Subject { get; set; }
    public DateOnly? AssessedOn { get; set; }
    public string? LetterId { get; set; }
    public bool Attested { get; set; }
    public DateOnly GeneratedOn { get; set; }
    /// <summary>1 for a new questionnaire; one more than <see cref="RevisionOf"/>'s for a revision started from a signed-off one.</summary>
    public int Revision { get; set; }
    /// <summary>The signed-off response this one revises (at most one revision each: unique).</summary>
    public Guid? RevisionOf { get; set; }
    /// <summary><c>draft</c> or <c>signed-off</c>.</summary>
    public required string Status { get; set; }
    /// <summary>Where the answers came from: <c>proposed</c>, <c>import</c> (a filled file) or <c>revision</c>.</summary>
    public required string Source { get; set; }
    /// <summary>Bumped on every change; the ETag, and the optimistic-concurrency token.</summary>
    public int Version { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }
    /// <summary>The signer's email and user id: a member with edit rights at the time.</summary>
    public string? SignedOffBy { get; set; }
    public Guid? SignedOffByUserId { get; set; }
    public DateTime? SignedOffAt { get; set; }
    /// <summary>SHA-256 (hex) of the signed-off document's canonical JSON (<c>QuestionnaireJson.Sha256</c>); null while a draft.</summary>
    public string? ContentSha256 { get; set; }
    /// <summary>What the answers rested on at sign-off (JSON list of <c>BasisFact</c>); null for a draft, or one signed before it was stored.</summary>
    public string? Basis { get; set; }
    public List<QuestionnaireAnswerRow> Answers { get; set; } = [];
}

/// <summary>One question of a response: what was proposed and why (written once), and its review.</summary>
internal sealed class QuestionnaireAnswerRow
{
    public Guid ResponseId { get; set; }
    public required string QuestionId { get; set; }
    /// <summary>Position in the template, so the response reads in the template's order.</summary>
    public int Position { get; set; }
    public required string SectionId { get; set; }
    public required string Text { get; set; }
    /// <summary>JSON array of the requirement and objective ids the question maps to.</summary>
    public required string MapsTo { get; set; }
    public required string Proposed { get; set; }
    public required string Confidence { get; set; }
    /// <summary>JSON object: each mapped id and its status in the assessment.</summary>
    public required string Statuses { get; set; }
    /// <summary>JSON array of evidence references.</summary>
    public required string Evidence { get; set; }
    public required string Rationale { get; set; }
    /// <summary><c>proposed</c>, <c>reviewed</c> or <c>edited</c>.</summary>
    public required string State { get; set; }
    public string? Final { get; set; }
    public string? ReviewedBy { get; set; }
    public DateTime? ReviewedAt { get; set; }
    public string? Comment { get; set; }
}

/// <summary>The model of the questionnaire tables, applied by <see cref="CustodesDb"/>.</summary>
internal static class QuestionnaireModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<QuestionnaireResponseRow>(e =>
        {
            e.ToTable("questionnaire_responses");
            e.HasKey(x => x.Id);
            e.Property(x => x.TemplateId).HasMaxLength(100);
            e.Property(x => x.Title).HasMaxLength(400);
            e.Property(x => x.LetterId).HasMaxLength(100);
            e.Property(x => x.Status).HasMaxLength(20);
            e.Property(x => x.Source).HasMaxLength(20);
            e.Property(x => x.CreatedBy).HasMaxLength(320);
            e.Property(x => x.SignedOffBy).HasMaxLength(320);
            e.Property(x => x.ContentSha256).HasMaxLength(64);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasIndex(x => new { x.OrganizationId, x.UpdatedAt });
            e.HasIndex(x => x.RevisionOf).IsUnique();
            e.HasOne<OrganizationRow>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<QuestionnaireResponseRow>().WithMany().HasForeignKey(x => x.RevisionOf).OnDelete(DeleteBehavior.NoAction);
            e.HasMany(x => x.Answers).WithOne().HasForeignKey(x => x.ResponseId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<QuestionnaireAnswerRow>(e =>
        {
            e.ToTable("questionnaire_answers");
            e.HasKey(x => new { x.ResponseId, x.QuestionId });
            e.Property(x => x.QuestionId).HasMaxLength(200);
            e.Property(x => x.SectionId).HasMaxLength(200);
            e.Property(x => x.Proposed).HasMaxLength(20);
            e.Property(x => x.Confidence).HasMaxLength(20);
            e.Property(x => x.State).HasMaxLength(20);
            e.Property(x => x.Final).HasMaxLength(20);
            e.Property(x => x.ReviewedBy).HasMaxLength(320);
        });
    }
}
