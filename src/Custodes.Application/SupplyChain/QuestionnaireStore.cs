using System.Text.Json;
using Custodes.Application.Audit;
using Custodes.Application.Database;
using Custodes.Common;
using Custodes.SupplyChain;
using Custodes.SupplyChain.Questionnaires;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.SupplyChain;

/// <summary>The statuses of a stored questionnaire: a draft under review, then signed off for good.</summary>
public static class QuestionnaireStatuses
{
    public const string Draft = "draft";
    public const string SignedOff = "signed-off";
}

/// <summary>Where a stored questionnaire's answers came from.</summary>
public static class QuestionnaireSources
{
    /// <summary>Proposed from the organization's assessment and letter.</summary>
    public const string Proposed = "proposed";
    /// <summary>Read from a filled XLSX or CSV file.</summary>
    public const string Import = "import";
    /// <summary>Copied, reviews included, from the signed-off revision before it.</summary>
    public const string Revision = "revision";
    /// <summary>Proposed again from the current facts, reviews carried over where nothing they rested on changed (<see cref="ReviseQuestionnaire"/>).</summary>
    public const string CurrentFacts = "current-facts";
}

/// <summary>A questionnaire stored for an organization, with its review status and, once signed off, the hash that seals it.</summary>
public sealed record StoredQuestionnaire(
    Guid Id, int Version, int Revision, Guid? RevisionOf, string Status, string Source,
    DateTime CreatedAt, string CreatedBy, DateTime UpdatedAt, string? ContentSha256, QuestionnaireResponse Questionnaire)
{
    /// <summary>The HTTP entity tag: changes with every stored change.</summary>
    public string ETag => $"\"{Id:N}-{Version}\"";

    public bool SignedOff => Status == QuestionnaireStatuses.SignedOff;

    /// <summary>Recomputes the content hash: false when the stored questionnaire no longer is what was signed off; null while a draft.</summary>
    public bool? VerifyContent() => ContentSha256 is null ? null : QuestionnaireJson.Sha256(Questionnaire) == ContentSha256;
}

/// <summary>A line of the list of stored questionnaires.</summary>
public sealed record QuestionnaireSummary(
    Guid Id, string TemplateId, int TemplateVersion, string Title, string Subject, int Revision, Guid? RevisionOf, string Status,
    int Questions, int Reviewed, DateTime CreatedAt, DateTime UpdatedAt, string? SignedOffBy, DateTime? SignedOffAt, string? ContentSha256);

/// <summary>A reviewer's change to one answer: accept it as proposed (<c>reviewed</c>), replace it (<c>edited</c>, with the answer and why), or withdraw the review (<c>proposed</c>).</summary>
public sealed record AnswerReview(string QuestionId, ReviewState State, Answer? Answer = null, string? Comment = null);

/// <summary>
/// Stores questionnaires answered for an organization, always within one tenant: created from a proposal or a filled file, reviewed
/// answer by answer, signed off by a member with edit rights, then immutable (a correction is a new revision). Every change is in
/// the audit trail with its before and after.
/// </summary>
/// <remarks>With a <see cref="QuestionnaireBasis"/> (as the application wires it), a sign-off also stores what each answer rested on, so a
/// later change of those facts marks the questionnaire out of date (<see cref="StaleQuestionnaires"/>).</remarks>
public sealed class QuestionnaireStore(Installation installation, AuditTrail audit, TimeProvider clock, QuestionnaireBasis? basis = null)
{
    public const int MaxCommentLength = 4000;

    /// <summary>Stores a questionnaire as a draft. A sign-off written in a filled file is not carried over (a stored questionnaire is signed off here, by a member); it is kept in the audit entry.</summary>
    /// <param name="source">One of <see cref="QuestionnaireSources"/>.</param>
    /// <param name="origin">What the answers came from (a file's name), recorded with the change.</param>
    public async Task<StoredQuestionnaire> CreateAsync(Tenant tenant, QuestionnaireResponse questionnaire, string source, string? origin = null, CancellationToken cancellationToken = default)
    {
        tenant.RequireEdit();
        foreach (var a in questionnaire.Answers) CheckComment(a.Comment, a.QuestionId);
        await using var db = installation.OpenDb();
        if (!await db.Organizations.AnyAsync(o => o.Id == tenant.OrganizationId, cancellationToken))
            throw new BadInputException($"no organization with id {tenant.OrganizationId}");
        var person = await PersonAsync(db, tenant, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var row = new QuestionnaireResponseRow
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = tenant.OrganizationId,
            TemplateId = questionnaire.TemplateId,
            TemplateVersion = questionnaire.TemplateVersion,
            Title = questionnaire.Title,
            Subject = questionnaire.Organization,
            AssessedOn = questionnaire.AssessedOn,
            LetterId = questionnaire.LetterId,
            Attested = questionnaire.Attested,
            GeneratedOn = questionnaire.GeneratedOn,
            Revision = 1,
            Status = QuestionnaireStatuses.Draft,
            Source = source,
            Version = 1,
            CreatedAt = now,
            CreatedBy = person.Name,
            UpdatedAt = now,
        };
        row.Answers = questionnaire.Answers.Select((a, i) => ToRow(row.Id, i, a)).ToList();
        db.QuestionnaireResponses.Add(row);
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, source == QuestionnaireSources.Import ? "questionnaire.imported" : "questionnaire.created", "questionnaire", row.Id.ToString(),
            After: new
            {
                template = row.TemplateId, template_version = row.TemplateVersion, subject = row.Subject, row.AssessedOn, row.LetterId, source, origin,
                proposed = Count(questionnaire.Answers, a => QuestionnaireNames.Answers.Name(a.Proposed)),
                confidence = Count(questionnaire.Answers, a => QuestionnaireNames.Confidences.Name(a.Confidence)),
                states = Count(questionnaire.Answers, a => QuestionnaireNames.States.Name(a.State)),
                signed_off_in_file = questionnaire.SignOff,
            }));
        await AuditTrail.SaveAsync(db, cancellationToken);
        return ToStored(row);
    }

    /// <summary>The tenant's questionnaires, most recently changed first, a page at a time.</summary>
    public async Task<IReadOnlyList<QuestionnaireSummary>> ListAsync(Tenant tenant, int skip = 0, int take = 50, CancellationToken cancellationToken = default)
    {
        var proposed = QuestionnaireNames.States.Name(ReviewState.Proposed);
        await using var db = installation.OpenDb();
        return await db.QuestionnaireResponses.AsNoTracking()
            .Where(r => r.OrganizationId == tenant.OrganizationId)
            .OrderByDescending(r => r.UpdatedAt).ThenBy(r => r.Id)
            .Skip(Math.Max(skip, 0)).Take(Math.Clamp(take, 1, 500))
            .Select(r => new QuestionnaireSummary(r.Id, r.TemplateId, r.TemplateVersion, r.Title, r.Subject, r.Revision, r.RevisionOf, r.Status,
                r.Answers.Count, r.Answers.Count(a => a.State != proposed), r.CreatedAt, r.UpdatedAt, r.SignedOffBy, r.SignedOffAt, r.ContentSha256))
            .ToListAsync(cancellationToken);
    }

    /// <summary>A questionnaire of the tenant; another tenant's id is "not found".</summary>
    public async Task<StoredQuestionnaire> GetAsync(Tenant tenant, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = installation.OpenDb();
        var row = await db.QuestionnaireResponses.AsNoTracking().Include(r => r.Answers)
            .FirstOrDefaultAsync(r => r.Id == id && r.OrganizationId == tenant.OrganizationId, cancellationToken)
            ?? throw new NotFoundException($"no questionnaire {id}");
        return ToStored(row);
    }

    /// <summary>Applies review changes to a draft, all or none, as one new version; refuses a stale version and a signed-off questionnaire.</summary>
    /// <remarks>A change that leaves an answer as it is (same state, answer and comment) is skipped, so it keeps who reviewed it and when.</remarks>
    public async Task<StoredQuestionnaire> ReviewAsync(Tenant tenant, Guid id, IReadOnlyList<AnswerReview> changes, int? expectedVersion, CancellationToken cancellationToken = default)
    {
        tenant.RequireEdit();
        await using var db = installation.OpenDb();
        var row = await LoadForChangeAsync(db, tenant, id, expectedVersion, cancellationToken);
        var by = (await PersonAsync(db, tenant, cancellationToken)).Name;
        var at = Now();
        var questionnaire = ToDomain(row);
        var changed = new List<(QuestionAnswer Before, QuestionAnswer After)>();
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            var before = questionnaire.Answers.FirstOrDefault(a => a.QuestionId == change.QuestionId)
                ?? throw new BadInputException($"no question '{change.QuestionId}' in this questionnaire", path: $"$.answers[{i}].question_id");
            var comment = string.IsNullOrWhiteSpace(change.Comment) ? null : change.Comment.Trim();
            CheckComment(comment, change.QuestionId);
            var final = change.State switch
            {
                ReviewState.Proposed when change.Answer is not null || comment is not null =>
                    throw new BadInputException($"question '{change.QuestionId}': a withdrawn review has no answer or comment", path: $"$.answers[{i}]"),
                ReviewState.Proposed => (Answer?)null,
                ReviewState.Reviewed when change.Answer is { } a && a != before.Proposed =>
                    throw new BadInputException($"question '{change.QuestionId}': the answer differs from the proposed '{QuestionnaireNames.Answers.Name(before.Proposed)}'; set the state to 'edited'", path: $"$.answers[{i}].answer"),
                ReviewState.Reviewed => before.Proposed,
                _ => change.Answer ?? throw new BadInputException($"question '{change.QuestionId}': an edited answer needs the answer", path: $"$.answers[{i}].answer"),
            };
            if (before.State == change.State && before.Final == final && before.Comment == comment) continue;
            questionnaire = change.State switch
            {
                ReviewState.Proposed => questionnaire.Reopen(change.QuestionId),
                ReviewState.Reviewed => questionnaire.Review(change.QuestionId, by, at, comment),
                _ => questionnaire.Edit(change.QuestionId, final!.Value, comment, by, at),
            };
            changed.Add((before, questionnaire.Answers.First(a => a.QuestionId == change.QuestionId)));
        }
        if (changed.Count == 0) return ToStored(row);
        foreach (var (before, after) in changed)
        {
            var answer = row.Answers.First(a => a.QuestionId == after.QuestionId);
            answer.State = QuestionnaireNames.States.Name(after.State);
            answer.Final = after.Final is { } f ? QuestionnaireNames.Answers.Name(f) : null;
            answer.ReviewedBy = after.ReviewedBy;
            answer.ReviewedAt = after.ReviewedAt?.UtcDateTime;
            answer.Comment = after.Comment;
            var action = after.State switch { ReviewState.Proposed => "reopened", ReviewState.Reviewed => "reviewed", _ => "edited" };
            audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, $"questionnaire.answer_{action}", "questionnaire", id.ToString(), Review(before), Review(after)));
        }
        row.Version++;
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await SaveConcurrentAsync(db, id, cancellationToken);
        return ToStored(row);
    }

    /// <summary>Signs a draft off as the acting member, who must hold edit rights in the organization; every answer must be reviewed. Seals it with its content hash.</summary>
    public async Task<StoredQuestionnaire> SignOffAsync(Tenant tenant, Guid id, int? expectedVersion, CancellationToken cancellationToken = default)
    {
        tenant.RequireEdit();
        await using var db = installation.OpenDb();
        var row = await LoadForChangeAsync(db, tenant, id, expectedVersion, cancellationToken);
        var person = await PersonAsync(db, tenant, cancellationToken);
        // The role is read again here, not taken from the sign-in: a member demoted since then no longer signs.
        if (person.UserId is null || person.Role is null)
            throw new ForbiddenException("a questionnaire is signed off by a person: a member of the organization, signed in or with their own API key");
        if (!Roles.CanEdit(person.Role)) throw new ForbiddenException($"the {person.Role} role cannot sign off a questionnaire");
        var at = Now();
        var signed = ToDomain(row).SignOffBy(person.Name, at);
        var facts = basis is null ? null : (await basis.CurrentAsync(tenant, [signed.LetterId], cancellationToken)).For(signed);
        row.Basis = facts is null ? null : JsonSerializer.Serialize(facts, Json.Options);
        row.Status = QuestionnaireStatuses.SignedOff;
        row.SignedOffBy = person.Name;
        row.SignedOffByUserId = person.UserId;
        row.SignedOffAt = at.UtcDateTime;
        row.ContentSha256 = QuestionnaireJson.Sha256(signed);
        row.Version++;
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "questionnaire.signed_off", "questionnaire", id.ToString(),
            Before: new { status = QuestionnaireStatuses.Draft },
            After: new
            {
                status = row.Status, signed_off_by = row.SignedOffBy, signed_off_at = at, content_sha256 = row.ContentSha256,
                answers = Count(signed.Answers, a => QuestionnaireNames.Answers.Name(a.Final!.Value)),
                edited = signed.Answers.Where(a => a.State == ReviewState.Edited).Select(a => a.QuestionId).ToArray(),
                rests_on = facts?.Select(f => new { f.Kind, f.Subject, f.Value }).ToArray(),
            }));
        await SaveConcurrentAsync(db, id, cancellationToken);
        return ToStored(row);
    }

    /// <summary>Starts the next revision of a signed-off questionnaire: a draft with the same proposals and reviews, to correct and sign off again.</summary>
    public Task<StoredQuestionnaire> StartRevisionAsync(Tenant tenant, Guid id, CancellationToken cancellationToken = default) =>
        StartRevisionAsync(tenant, id, null, QuestionnaireSources.Revision, [], cancellationToken);

    /// <summary>Starts the next revision of a signed-off questionnaire from <paramref name="from"/> (null: a copy of the signed one).</summary>
    /// <param name="affected">The questions proposed again because what they rested on changed (recorded with the change).</param>
    internal async Task<StoredQuestionnaire> StartRevisionAsync(Tenant tenant, Guid id, QuestionnaireResponse? from, string source, IReadOnlyList<string> affected,
        CancellationToken cancellationToken)
    {
        tenant.RequireEdit();
        await using var db = installation.OpenDb();
        var signed = await db.QuestionnaireResponses.AsNoTracking().Include(r => r.Answers)
            .FirstOrDefaultAsync(r => r.Id == id && r.OrganizationId == tenant.OrganizationId, cancellationToken)
            ?? throw new NotFoundException($"no questionnaire {id}");
        if (signed.Status != QuestionnaireStatuses.SignedOff)
            throw new ConflictException($"questionnaire {id} is a draft: change it in place; a revision starts from a signed-off questionnaire");
        await RefuseSecondRevisionAsync(db, signed, cancellationToken);
        var person = await PersonAsync(db, tenant, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var row = new QuestionnaireResponseRow
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = tenant.OrganizationId,
            TemplateId = signed.TemplateId,
            TemplateVersion = from?.TemplateVersion ?? signed.TemplateVersion,
            Title = from?.Title ?? signed.Title,
            Subject = from?.Organization ?? signed.Subject,
            AssessedOn = from is null ? signed.AssessedOn : from.AssessedOn,
            LetterId = from is null ? signed.LetterId : from.LetterId,
            Attested = from?.Attested ?? signed.Attested,
            GeneratedOn = from?.GeneratedOn ?? signed.GeneratedOn,
            Revision = signed.Revision + 1,
            RevisionOf = signed.Id,
            Status = QuestionnaireStatuses.Draft,
            Source = source,
            Version = 1,
            CreatedAt = now,
            CreatedBy = person.Name,
            UpdatedAt = now,
        };
        row.Answers = (from ?? ToDomain(signed)).Answers.Select((a, i) => ToRow(row.Id, i, a)).ToList();
        db.QuestionnaireResponses.Add(row);
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "questionnaire.revision_started", "questionnaire", row.Id.ToString(),
            After: new { template = row.TemplateId, revision = row.Revision, revision_of = signed.Id, revision_of_sha256 = signed.ContentSha256, source,
                proposed_again = from is null ? null : affected }));
        try
        {
            await AuditTrail.SaveAsync(db, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two revisions started at once: the unique index lets one through; the other learns which.
            await using var again = installation.OpenDb();
            await RefuseSecondRevisionAsync(again, signed, cancellationToken);
            throw;
        }
        return ToStored(row);
    }

    /// <summary>Deletes a draft (an abandoned revision, a proposal nobody will review); a signed-off questionnaire is kept for good.</summary>
    public async Task DeleteAsync(Tenant tenant, Guid id, int? expectedVersion, CancellationToken cancellationToken = default)
    {
        tenant.RequireEdit();
        await using var db = installation.OpenDb();
        var row = await db.QuestionnaireResponses.Include(r => r.Answers)
            .FirstOrDefaultAsync(r => r.Id == id && r.OrganizationId == tenant.OrganizationId, cancellationToken)
            ?? throw new NotFoundException($"no questionnaire {id}");
        if (row.Status == QuestionnaireStatuses.SignedOff)
            throw new ConflictException($"questionnaire {id} was signed off by {row.SignedOffBy}; a signed-off questionnaire is kept and cannot be deleted");
        if (expectedVersion is { } expected && expected != row.Version)
            throw new PreconditionFailedException($"questionnaire {id} is at version {row.Version}, not {expected}: it changed since you read it");
        var questionnaire = ToDomain(row);
        db.QuestionnaireResponses.Remove(row);
        audit.Record(db, new AuditEvent(tenant.OrganizationId, tenant.Actor, "questionnaire.deleted", "questionnaire", id.ToString(),
            Before: new { template = row.TemplateId, revision = row.Revision, status = row.Status, states = Count(questionnaire.Answers, a => QuestionnaireNames.States.Name(a.State)) }));
        await SaveConcurrentAsync(db, id, cancellationToken);
    }

    private static async Task<QuestionnaireResponseRow> LoadForChangeAsync(CustodesDb db, Tenant tenant, Guid id, int? expectedVersion, CancellationToken cancellationToken)
    {
        var row = await db.QuestionnaireResponses.Include(r => r.Answers)
            .FirstOrDefaultAsync(r => r.Id == id && r.OrganizationId == tenant.OrganizationId, cancellationToken)
            ?? throw new NotFoundException($"no questionnaire {id}");
        // Signed off is final whatever version the caller read: say so rather than "read it again".
        if (row.Status == QuestionnaireStatuses.SignedOff)
            throw new ConflictException($"questionnaire {id} was signed off by {row.SignedOffBy} on {row.SignedOffAt:yyyy-MM-dd}; it no longer changes (start a new revision to correct it)");
        if (expectedVersion is { } expected && expected != row.Version)
            throw new PreconditionFailedException($"questionnaire {id} is at version {row.Version}, not {expected}: it changed since you read it");
        return row;
    }

    private static async Task RefuseSecondRevisionAsync(CustodesDb db, QuestionnaireResponseRow signed, CancellationToken cancellationToken)
    {
        var next = await db.QuestionnaireResponses.AsNoTracking().Where(r => r.RevisionOf == signed.Id).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(cancellationToken);
        if (next is { } existing)
            throw new ConflictException($"revision {signed.Revision + 1} of questionnaire {signed.Id} was already started ({existing}); continue that one");
    }

    /// <summary>The acting person as reviews and sign-offs name them: a member's email and role, or the actor's name when no member acts (the command line).</summary>
    private static async Task<(Guid? UserId, string Name, string? Role)> PersonAsync(CustodesDb db, Tenant tenant, CancellationToken cancellationToken)
    {
        if (tenant.UserId is { } userId)
        {
            var member = await (from m in db.Memberships
                                join u in db.Users on m.UserId equals u.Id
                                where m.UserId == userId && m.OrganizationId == tenant.OrganizationId
                                select new { u.Email, m.Role }).AsNoTracking().FirstOrDefaultAsync(cancellationToken);
            if (member is not null) return (userId, member.Email, member.Role);
        }
        return (null, tenant.Actor, null);
    }

    // Whole seconds, as the XLSX and CSV files write times: a questionnaire read back from its export then hashes the same.
    private DateTimeOffset Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }

    private static void CheckComment(string? comment, string questionId)
    {
        if (comment is { Length: > MaxCommentLength }) throw new BadInputException($"question '{questionId}': a comment is at most {MaxCommentLength} characters");
    }

    private static async Task SaveConcurrentAsync(CustodesDb db, Guid id, CancellationToken cancellationToken)
    {
        try
        {
            await AuditTrail.SaveAsync(db, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new PreconditionFailedException($"questionnaire {id} changed while you were saving; reload it and try again");
        }
    }

    private static Dictionary<string, int> Count(IEnumerable<QuestionAnswer> answers, Func<QuestionAnswer, string> key) =>
        answers.GroupBy(key).ToDictionary(g => g.Key, g => g.Count());

    private static object Review(QuestionAnswer a) => new
    {
        question = a.QuestionId,
        state = QuestionnaireNames.States.Name(a.State),
        answer = a.Final is { } f ? QuestionnaireNames.Answers.Name(f) : null,
        comment = a.Comment,
        reviewed_by = a.ReviewedBy,
    };

    private static QuestionnaireAnswerRow ToRow(Guid responseId, int position, QuestionAnswer a) => new()
    {
        ResponseId = responseId,
        QuestionId = a.QuestionId,
        Position = position,
        SectionId = a.SectionId,
        Text = a.Text,
        MapsTo = JsonSerializer.Serialize(a.MapsTo, Json.Options),
        Proposed = QuestionnaireNames.Answers.Name(a.Proposed),
        Confidence = QuestionnaireNames.Confidences.Name(a.Confidence),
        Statuses = JsonSerializer.Serialize(a.Statuses, Json.Options),
        Evidence = JsonSerializer.Serialize(a.Evidence, Json.Options),
        Rationale = a.Rationale,
        State = QuestionnaireNames.States.Name(a.State),
        Final = a.Final is { } f ? QuestionnaireNames.Answers.Name(f) : null,
        ReviewedBy = a.ReviewedBy,
        ReviewedAt = a.ReviewedAt?.UtcDateTime,
        Comment = a.Comment,
    };

    internal static QuestionnaireResponse ToDomain(QuestionnaireResponseRow row) => new()
    {
        TemplateId = row.TemplateId,
        TemplateVersion = row.TemplateVersion,
        Title = row.Title,
        Organization = row.Subject,
        AssessedOn = row.AssessedOn,
        LetterId = row.LetterId,
        Attested = row.Attested,
        GeneratedOn = row.GeneratedOn,
        Answers = row.Answers.OrderBy(a => a.Position).Select(a => new QuestionAnswer(
            a.SectionId, a.QuestionId, a.Text,
            JsonSerializer.Deserialize<string[]>(a.MapsTo, Json.Options)!,
            Parse(QuestionnaireNames.Answers, a.Proposed),
            Parse(QuestionnaireNames.Confidences, a.Confidence),
            JsonSerializer.Deserialize<Dictionary<string, string>>(a.Statuses, Json.Options)!,
            JsonSerializer.Deserialize<string[]>(a.Evidence, Json.Options)!,
            a.Rationale,
            Parse(QuestionnaireNames.States, a.State),
            a.Final is null ? null : Parse(QuestionnaireNames.Answers, a.Final),
            a.ReviewedBy,
            a.ReviewedAt is { } at ? new DateTimeOffset(at, TimeSpan.Zero) : null,
            a.Comment)).ToArray(),
        SignOff = row.SignedOffBy is { } by && row.SignedOffAt is { } signedAt ? new SignOff(by, new DateTimeOffset(signedAt, TimeSpan.Zero)) : null,
    };

    private static T Parse<T>(WireNames<T> names, string name) where T : struct, Enum =>
        names.TryParse(name, out var value) ? value : throw new InvalidOperationException($"stored value '{name}' is not {names.Expected}");

    private static StoredQuestionnaire ToStored(QuestionnaireResponseRow row) => new(
        row.Id, row.Version, row.Revision, row.RevisionOf, row.Status, row.Source, row.CreatedAt, row.CreatedBy, row.UpdatedAt, row.ContentSha256, ToDomain(row));
}
