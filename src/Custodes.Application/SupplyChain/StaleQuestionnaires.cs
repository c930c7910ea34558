using System.Text.Json;
using Custodes.Application.Database;
using Custodes.Common;
using Custodes.SupplyChain.Questionnaires;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.SupplyChain;

/// <summary>A signed questionnaire some of whose answers rest on facts that changed since it was signed.</summary>
/// <param name="Changes">Each changed fact, the questions it affects, and why.</param>
/// <param name="NextRevision">The revision already started from it, if any (it is where the answers get corrected).</param>
public sealed record OutOfDate(Guid QuestionnaireId, string Title, int Revision, IReadOnlyList<StaleFact> Changes, IReadOnlyDictionary<string, string> Questions, Guid? NextRevision)
{
    /// <summary>Every question affected, once, in the questionnaire's order.</summary>
    public IReadOnlyList<string> Affected => [.. Questions.Keys.Where(q => Changes.Any(c => c.Questions.Contains(q)))];
}

/// <summary>
/// Tells which signed questionnaires are out of date: it compares the facts each answer rested on at sign-off (stored with it) with the
/// same facts now. Exact: a letter revoked, expired or replaced, a provider's score or coverage changed. Nothing is rewritten: the signed
/// questionnaire stays as it was signed; <see cref="ReviseQuestionnaire"/> starts a revision from the current facts.
/// </summary>
/// <remarks>A questionnaire signed before its basis was stored is compared on what it records itself: the letter it names, taken as in force
/// at sign-off when the questionnaire says it was attested.</remarks>
public sealed class StaleQuestionnaires(Installation installation, QuestionnaireBasis basis)
{
    /// <summary>The most signed questionnaires one check reads.</summary>
    public const int MaxChecked = 500;

    /// <summary>Whether one of the tenant's questionnaires is out of date (null: it is a draft, or nothing it rests on changed).</summary>
    public async Task<OutOfDate?> CheckAsync(Tenant tenant, Guid id, CancellationToken cancellationToken = default) =>
        (await CheckManyAsync(tenant, [id], cancellationToken)).GetValueOrDefault(id);

    /// <summary>The tenant's signed questionnaires that are out of date, newest first (at most <see cref="MaxChecked"/> read).</summary>
    public async Task<IReadOnlyList<OutOfDate>> ListAsync(Tenant tenant, CancellationToken cancellationToken = default) =>
        [.. (await CheckManyAsync(tenant, null, cancellationToken)).Values];

    /// <summary>Of the given questionnaires (all signed ones when null), those out of date.</summary>
    public async Task<IReadOnlyDictionary<Guid, OutOfDate>> CheckManyAsync(Tenant tenant, IReadOnlyCollection<Guid>? ids, CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<Guid, OutOfDate>();
        List<QuestionnaireResponseRow> rows;
        Dictionary<Guid, Guid> next;
        await using (var db = installation.OpenDb())
        {
            var query = db.QuestionnaireResponses.AsNoTracking().Include(r => r.Answers)
                .Where(r => r.OrganizationId == tenant.OrganizationId && r.Status == QuestionnaireStatuses.SignedOff);
            if (ids is not null) query = query.Where(r => ids.Contains(r.Id));
            rows = await query.OrderByDescending(r => r.SignedOffAt).ThenBy(r => r.Id).Take(MaxChecked).ToListAsync(cancellationToken);
            if (rows.Count == 0) return result;
            var signedIds = rows.Select(r => (Guid?)r.Id).ToArray();
            next = await db.QuestionnaireResponses.AsNoTracking().Where(r => r.OrganizationId == tenant.OrganizationId && signedIds.Contains(r.RevisionOf))
                .ToDictionaryAsync(r => r.RevisionOf!.Value, r => r.Id, cancellationToken);
        }
        var questionnaires = rows.Select(r => (Row: r, Questionnaire: QuestionnaireStore.ToDomain(r))).ToArray();
        var facts = await basis.CurrentAsync(tenant, questionnaires.Select(q => q.Questionnaire.LetterId), cancellationToken);
        foreach (var (row, questionnaire) in questionnaires)
        {
            var current = facts.For(questionnaire);
            // Signed before bases were stored: only what it recorded itself (its letter) can be compared; the rest was never known.
            if (row.Basis is null) current = [.. current.Where(f => f.Kind == BasisKinds.Letter)];
            var changes = AnswerBasis.Compare(SignedBasis(row, questionnaire), current);
            if (changes.Count == 0) continue;
            result[row.Id] = new OutOfDate(row.Id, row.Title, row.Revision, changes,
                questionnaire.Answers.ToDictionary(a => a.QuestionId, a => a.Text, StringComparer.Ordinal), next.TryGetValue(row.Id, out var n) ? n : null);
        }
        return result;
    }

    /// <summary>What a signed questionnaire rested on: its stored basis, or for one signed before bases were stored, the letter it names.</summary>
    internal static IReadOnlyList<BasisFact> SignedBasis(QuestionnaireResponseRow row, QuestionnaireResponse questionnaire)
    {
        if (row.Basis is { } json) return JsonSerializer.Deserialize<BasisFact[]>(json, Json.Options) ?? [];
        return row.LetterId is { } letter && row.Attested
            ? [new BasisFact(BasisKinds.Letter, letter, Letters.LetterStatuses.Valid, AnswerBasis.Asserted(questionnaire))]
            : [];
    }
}
