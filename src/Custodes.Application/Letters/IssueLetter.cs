using System.Text.Json;
using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Application.Keys;
using Custodes.Application.Organizations;
using Custodes.Application.Transparency;
using Custodes.Application.Trust;
using Custodes.Assessments;
using Custodes.Assessments.Scoring;
using Custodes.Attestation;
using Custodes.Common;
using Custodes.Transparency;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Letters;

/// <summary>What to attest, who attests it and with which key.</summary>
public sealed record IssueLetterRequest
{
    public required ParsedAssessment Assessment { get; init; }
    /// <summary>Where the assessment came from, for messages (a file name, or "assessment &lt;id&gt;").</summary>
    public required string Source { get; init; }
    /// <summary>The stored assessment, when the letter is issued from one.</summary>
    public Guid? AssessmentId { get; init; }
    public required Ed25519SigningKey Key { get; init; }
    /// <summary>The assessor firm: the id or name of an existing organization of kind assessor, independent of the subject (contracts §10).</summary>
    public required string Issuer { get; init; }
    /// <summary>The signer's name for the key registry when the key is new; default: the issuer.</summary>
    public string? SignerName { get; init; }
    public int ValidDays { get; init; } = 365;
    public string? Limitations { get; init; }
    /// <summary>The independence statement the lead assessor confirmed; default: <see cref="LetterText.DefaultIndependence"/>.</summary>
    public string? Independence { get; init; }
    /// <summary>The lead assessor named in the predicate's <c>assessor</c>; default: the signer's name, else the actor.</summary>
    public string? LeadAssessor { get; init; }
    /// <summary>The firm member who signed off the quality review (engagements); none from the command line.</summary>
    public string? QaReviewer { get; init; }
    /// <summary>The firm's C3PAO identifier, for a CMMC assessment.</summary>
    public string? C3paoId { get; init; }
    /// <summary>More writes that belong to the issuance (an engagement's state change): run in the letter's transaction, so either all of it is stored or none.</summary>
    internal Func<CustodesDb, IssuedLetterFacts, CancellationToken, Task>? WithinTransaction { get; init; }
    /// <summary>The letter this one replaces (same subject and framework; e.g. the conditional letter a closeout assessment finalizes).</summary>
    public Guid? Supersedes { get; init; }
    /// <summary>The SHA-256 of the assessment's artifact hash list (<see cref="Custodes.Reports.Artifacts.ArtifactHashList"/>), carried in the predicate.</summary>
    public string? ArtifactsSha256 { get; init; }
    public required string Actor { get; init; }
}

/// <summary>What a letter being issued is, for writes in its transaction.</summary>
public sealed record IssuedLetterFacts(Guid LetterId, Guid IssuerOrganizationId, long LogIndex, DateTimeOffset IssuedAt);

/// <summary>An issued letter: its id, its place in the log and its file.</summary>
public sealed record IssuedLetter(Guid LetterId, long LogIndex, Guid IssuerOrganizationId, string KeyId, bool KeyRegistered, LetterBundle Bundle)
{
    public byte[] ToUtf8Bytes() => Bundle.ToUtf8Bytes();
}

/// <summary>
/// Issues a letter of attestation: refuses an assessment that cannot be attested, signs an in-toto statement of its result with the
/// firm's key, appends it to the transparency log, and stores the letter with its proof, in one transaction with the log entry.
/// </summary>
public sealed class IssueLetter(Installation installation, AuditTrail audit, TransparencyLog log, SigningKeyRegistry keys, TimeProvider clock)
{
    public const int MaxValidDays = 3 * 366;

    public async Task<IssuedLetter> HandleAsync(IssueLetterRequest request, CancellationToken cancellationToken = default)
    {
        if (request.ValidDays is < 1 or > MaxValidDays) throw new BadInputException($"the validity must be 1 to {MaxValidDays} days, not {request.ValidDays}", path: "valid_days");
        if (string.IsNullOrWhiteSpace(request.Issuer)) throw new BadInputException("the issuer must name the assessor firm", path: "issuer");
        var assessment = request.Assessment.Assessment;
        var score = ScoreAssessment.Score(request.Assessment.Resolution, assessment.Ssp, assessment.AssessedOn);
        Refuse(request.Source, assessment, score);

        var superseded = request.Supersedes is { } old ? await SupersededAsync(old, assessment, cancellationToken) : null;
        if (request.ArtifactsSha256 is { } artifacts && !IsSha256Hex(artifacts))
            throw new BadInputException($"the artifact list hash must be 64 lowercase hexadecimal characters (a SHA-256), not '{artifacts}'", path: "artifacts_sha256");
        var (issuerId, issuer) = await IssuerAsync(request.Issuer.Trim(), assessment.Organization, request.AssessmentId, cancellationToken);
        var issuedAt = Seconds(clock.GetUtcNow());
        var (key, registered) = await keys.EnsureAsync(request.Key.PublicKey, issuerId, request.SignerName ?? issuer, issuedAt, request.Actor, cancellationToken);

        var facts = new LetterPredicate
        {
            LetterId = Guid.NewGuid(),
            Issuer = issuer,
            SubjectOrganization = assessment.Organization,
            Framework = assessment.Framework,
            Scope = assessment.Scope ?? "",
            AssessedOn = assessment.AssessedOn!.Value,
            IssuedAt = issuedAt,
            ValidUntil = issuedAt.AddDays(request.ValidDays),
            Score = JsonSerializer.SerializeToElement(score.Score, Json.Options),
            Cmmc = JsonSerializer.SerializeToElement(score.Cmmc, Json.Options),
            Counts = JsonSerializer.SerializeToElement(score.Counts, Json.Options),
            Statement = "",
            Limitations = request.Limitations ?? LetterText.DefaultLimitations,
            Independence = string.IsNullOrWhiteSpace(request.Independence) ? LetterText.DefaultIndependence : request.Independence.Trim(),
            Assessor = new LetterAssessor
            {
                Organization = issuer,
                C3paoId = string.IsNullOrWhiteSpace(request.C3paoId) ? null : request.C3paoId.Trim(),
                LeadAssessor = (request.LeadAssessor ?? request.SignerName ?? request.Actor).Trim(),
                QaReviewer = string.IsNullOrWhiteSpace(request.QaReviewer) ? null : request.QaReviewer.Trim(),
            },
            Supersedes = request.Supersedes,
            // A conditional status lasts until its POA&M closes out, at most 180 days (32 CFR 170.21(b)); the date is signed so offline readers see it.
            PoamCloseoutDue = score.Cmmc.Level2.Status == CmmcStatuses.Conditional ? score.Cmmc.Level2.CloseoutDue : null,
            ArtifactsSha256 = request.ArtifactsSha256,
        };
        var predicate = facts with { Statement = LetterText.Compose(facts) };
        var document = JsonSerializer.SerializeToElement(request.Assessment.Document.ToJsonNode(), Json.Options);
        var envelope = Letter.Sign(Letter.CreateStatement(predicate, document), request.Key);
        var entry = Letter.LogEntry(envelope);

        LetterBundle? bundle = null;
        var appended = await log.AppendAsync(entry, async (batch, ct) =>
        {
            var index = batch.Result.FirstIndex;
            var proof = await MerkleLog.ProveInclusionAsync(batch.Result.Size, index, batch.Hashes, ct);
            bundle = Letter.Bundle(envelope, (await log.Keys.GetAsync(ct)).Origin, index, proof, batch.Result.SignedCheckpoint);
            var issued = new LetterRow
            {
                Id = predicate.LetterId,
                IssuerOrganizationId = issuerId,
                Issuer = issuer,
                Subject = predicate.SubjectOrganization,
                AssessmentId = request.AssessmentId,
                Framework = predicate.Framework,
                Score = score.Score,
                KeyId = key.KeyId,
                LogIndex = index,
                IssuedAt = issuedAt.UtcDateTime,
                ValidUntil = predicate.ValidUntil.UtcDateTime,
                Status = LetterStatuses.Valid,
                Bundle = bundle.ToUtf8Bytes(),
                AttestedAssessment = CanonicalJson.Serialize(document),
                Supersedes = request.Supersedes,
                CloseoutDue = predicate.PoamCloseoutDue,
            };
            batch.Db.Letters.Add(issued);
            // Subscribers of the organization's trust page hear of it: stored with the letter, sent by the delivery worker.
            await TrustNotices.EnqueueAsync(batch.Db, issued, TrustNotices.Issued, issued.IssuedAt, clock, ct);
            if (superseded is not null)
            {
                // Under the log's lock: a letter superseded or revoked meanwhile is refused here, and nothing is appended.
                var old = await batch.Db.Letters.FirstAsync(l => l.Id == superseded.Id, ct);
                RefuseSuperseding(old);
                old.SupersededBy = predicate.LetterId;
                old.SupersededAt = issuedAt.UtcDateTime;
                await TrustNotices.EnqueueAsync(batch.Db, old, TrustNotices.Superseded, issuedAt.UtcDateTime, clock, ct);
                audit.Record(batch.Db, new AuditEvent(old.IssuerOrganizationId, request.Actor, "letter.superseded", "letter", old.Id.ToString(),
                    After: new { superseded_by = predicate.LetterId, log_index = index }));
            }
            audit.Record(batch.Db, new AuditEvent(issuerId, request.Actor, "letter.issued", "letter", predicate.LetterId.ToString(),
                After: new { subject = predicate.SubjectOrganization, predicate.Framework, score = score.Score, key_id = key.KeyId, log_index = index, valid_until = predicate.ValidUntil,
                    lead_assessor = predicate.Assessor.LeadAssessor, qa_reviewer = predicate.Assessor.QaReviewer,
                    supersedes = request.Supersedes, closeout_due = predicate.PoamCloseoutDue, artifacts_sha256 = request.ArtifactsSha256 }));
            if (request.WithinTransaction is { } more) await more(batch.Db, new IssuedLetterFacts(predicate.LetterId, issuerId, index, issuedAt), ct);
            await AuditTrail.SaveAsync(batch.Db, ct);
        }, cancellationToken);
        return new IssuedLetter(predicate.LetterId, appended.FirstIndex, issuerId, key.KeyId, registered, bundle!);
    }

    /// <summary>The letter to supersede: it exists, is about the same organization and framework, and is neither revoked nor superseded.</summary>
    private async Task<LetterRow> SupersededAsync(Guid id, Assessment assessment, CancellationToken cancellationToken)
    {
        await using var db = installation.OpenDb();
        var old = await db.Letters.AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, cancellationToken)
            ?? throw new BadInputException($"no letter {id} to supersede in this installation", path: SupersedesField);
        if (!string.Equals(old.Subject, assessment.Organization, StringComparison.Ordinal))
            throw new BadInputException($"letter {id} is about '{old.Subject}', not '{assessment.Organization}'; a letter supersedes one about the same organization", path: SupersedesField);
        if (!string.Equals(old.Framework, assessment.Framework, StringComparison.Ordinal))
            throw new BadInputException($"letter {id} attests {old.Framework}, not {assessment.Framework}; a letter supersedes one of the same framework", path: SupersedesField);
        RefuseSuperseding(old);
        return old;
    }

    private static void RefuseSuperseding(LetterRow old)
    {
        if (old.Status == LetterStatuses.Revoked)
            throw new ConflictException($"letter {old.Id} was revoked at {old.RevokedAt:yyyy-MM-dd HH:mm:ss}Z; a revoked letter cannot be superseded (issue the new letter without naming it)");
        if (old.SupersededBy is { } by)
            throw new ConflictException($"letter {old.Id} is already superseded by letter {by}; name that letter instead");
    }

    /// <summary>The name of the superseded letter's field in the API body (the CLI calls it <c>--supersedes</c>).</summary>
    public const string SupersedesField = "supersedes";

    private static bool IsSha256Hex(string value) => value.Length == 64 && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    /// <summary>A letter attests a complete, scored assessment; anything less is refused with the reason.</summary>
    private static void Refuse(string source, Assessment assessment, ScoreReport score)
    {
        if (score.Score is null)
            throw new BadInputException($"no letter can attest this assessment: it has no score ({string.Join("; ", score.Errors)})", source);
        if (!score.Complete)
        {
            var unassessed = score.Requirements.Where(r => r.Value == "unassessed").Select(r => r.Key).ToList();
            throw new BadInputException($"the assessment is incomplete: {unassessed.Count} requirement(s) are unassessed ({string.Join(", ", unassessed.Take(10))}{(unassessed.Count > 10 ? ", …" : "")}); a letter attests a complete assessment", source);
        }
        if (assessment.AssessedOn is null) throw new BadInputException("the assessment has no assessed_on date; a letter says when the assessment was done", source, "$.assessed_on");
        if (string.IsNullOrWhiteSpace(assessment.Scope)) throw new BadInputException("the assessment has no scope; a letter says what was assessed", source, "$.scope");
    }

    /// <summary>
    /// The issuing firm by organization id or by name: an existing assessor firm, independent of the subject (contracts §10). The subject is
    /// the stored assessment's linked organization when issued from one, and the organization the assessment names.
    /// </summary>
    private async Task<(Guid Id, string Name)> IssuerAsync(string issuer, string subjectName, Guid? assessmentId, CancellationToken cancellationToken)
    {
        await using var db = installation.OpenDb();
        OrganizationRow firm;
        if (Guid.TryParse(issuer, out var id))
            firm = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, cancellationToken)
                ?? throw new BadInputException($"no organization with id {id} is here to issue the letter; the issuer is an existing assessor firm", path: "issuer");
        else
        {
            var matches = await OrganizationStore.MatchNameAsync(db, issuer, cancellationToken);
            // The same name may belong to an assessor firm and, say, an MSP: the issuer is the firm.
            if (matches.Count > 1 && matches.Count(m => m.Kind == OrganizationKinds.Assessor) == 1) matches = [.. matches.Where(m => m.Kind == OrganizationKinds.Assessor)];
            if (matches.Count > 1) throw OrganizationStore.Ambiguous(issuer, matches, "give --issuer the id of the firm");
            firm = matches.Count == 1 ? matches[0]
                : throw new BadInputException($"no organization named '{issuer}' is here to issue the letter: the issuer is an existing assessor firm; create it first as an organization of kind assessor", path: "issuer");
        }
        Independence.RequireAssessor(firm);
        Guid? subjectId = assessmentId is { } stored
            ? await db.Assessments.AsNoTracking().Where(a => a.Id == stored).Select(a => a.SubjectOrganizationId).FirstOrDefaultAsync(cancellationToken)
            : null;
        await Independence.RequireIndependentAsync(db, new IndependenceParty(firm.Id, firm.Name), new IndependenceParty(subjectId, subjectName), cancellationToken);
        return (firm.Id, firm.Name);
    }

    private static DateTimeOffset Seconds(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
}

/// <summary>The statuses a letter answers with (the status API's <c>status</c>).</summary>
public static class LetterStatuses
{
    public const string Valid = "valid";
    public const string Revoked = "revoked";
    public const string Expired = "expired";
    public const string Unknown = "unknown";
}
