using System.Text.Json;
using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Application.Keys;
using Custodes.Application.Organizations;
using Custodes.Application.Transparency;
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
    /// <summary>The assessor firm (an organization of the installation; created as an assessor when new).</summary>
    public required string Issuer { get; init; }
    /// <summary>The signer's name for the key registry when the key is new; default: the issuer.</summary>
    public string? SignerName { get; init; }
    public int ValidDays { get; init; } = 365;
    public string? Limitations { get; init; }
    public string? Independence { get; init; }
    public required string Actor { get; init; }
}

/// <summary>An issued letter: its id, its place in the log and its file.</summary>
public sealed record IssuedLetter(Guid LetterId, long LogIndex, Guid IssuerOrganizationId, string KeyId, bool KeyRegistered, bool IssuerCreated, LetterBundle Bundle)
{
    public byte[] ToUtf8Bytes() => Bundle.ToUtf8Bytes();
}

/// <summary>
/// Issues a letter of attestation: refuses an assessment that cannot be attested, signs an in-toto statement of its result with the
/// firm's key, appends it to the transparency log, and stores the letter with its proof, in one transaction with the log entry.
/// </summary>
public sealed class IssueLetter(Installation installation, AuditTrail audit, TransparencyLog log, SigningKeyRegistry keys, OrganizationStore organizations, TimeProvider clock)
{
    public const int MaxValidDays = 3 * 366;

    public async Task<IssuedLetter> HandleAsync(IssueLetterRequest request, CancellationToken cancellationToken = default)
    {
        if (request.ValidDays is < 1 or > MaxValidDays) throw new BadInputException($"the validity must be 1 to {MaxValidDays} days, not {request.ValidDays}", path: "valid_days");
        if (string.IsNullOrWhiteSpace(request.Issuer)) throw new BadInputException("the issuer must name the assessor firm", path: "issuer");
        var assessment = request.Assessment.Assessment;
        var score = ScoreAssessment.Score(request.Assessment.Resolution, assessment.Ssp, assessment.AssessedOn);
        Refuse(request.Source, assessment, score);

        var (issuerId, issuer, issuerCreated) = await IssuerAsync(request.Issuer.Trim(), request.Actor, cancellationToken);
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
            Independence = request.Independence ?? LetterText.DefaultIndependence,
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
            batch.Db.Letters.Add(new LetterRow
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
            });
            audit.Record(batch.Db, new AuditEvent(issuerId, request.Actor, "letter.issued", "letter", predicate.LetterId.ToString(),
                After: new { subject = predicate.SubjectOrganization, predicate.Framework, score = score.Score, key_id = key.KeyId, log_index = index, valid_until = predicate.ValidUntil }));
            await AuditTrail.SaveAsync(batch.Db, ct);
        }, cancellationToken);
        return new IssuedLetter(predicate.LetterId, appended.FirstIndex, issuerId, key.KeyId, registered, issuerCreated, bundle!);
    }

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

    /// <summary>The issuing firm by organization id, or by name (created as an assessor firm when no organization has it).</summary>
    private async Task<(Guid Id, string Name, bool Created)> IssuerAsync(string issuer, string actor, CancellationToken cancellationToken)
    {
        await using (var db = installation.OpenDb())
        {
            if (Guid.TryParse(issuer, out var id))
                return await db.Organizations.AsNoTracking().Where(o => o.Id == id).Select(o => new { o.Id, o.Name }).FirstOrDefaultAsync(cancellationToken) is { } byId
                    ? (byId.Id, byId.Name, false)
                    : throw new BadInputException($"the issuer: no organization with id {id}", path: "issuer");
            var matches = await OrganizationStore.MatchNameAsync(db, issuer, cancellationToken);
            // The same name may belong to an assessor firm and, say, an MSP: the issuer is the firm.
            if (matches.Count > 1 && matches.Count(m => m.Kind == OrganizationKinds.Assessor) == 1) matches = [.. matches.Where(m => m.Kind == OrganizationKinds.Assessor)];
            if (matches.Count > 1) throw OrganizationStore.Ambiguous(issuer, matches, "give --issuer the id of the firm");
            if (matches.Count == 1) return (matches[0].Id, matches[0].Name, false);
        }
        return (await organizations.CreateAsync(issuer, OrganizationKinds.Assessor, actor, cancellationToken), OrganizationNames.Clean(issuer), true);
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
