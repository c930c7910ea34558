using Custodes.Common;
using Custodes.SupplyChain.Questionnaires;

namespace Custodes.Application.SupplyChain;

/// <summary>
/// "Revise from current facts": starts the next revision of a signed questionnaire with every answer proposed again from the organization's
/// assessment, inheritance and letters as they are now. A reviewer's decision is carried over where nothing it rested on changed and the
/// proposal is the same; every other answer waits for review. The signed questionnaire is never touched.
/// </summary>
public sealed class ReviseQuestionnaire(QuestionnaireStore store, SupplyChainQueries queries, StaleQuestionnaires stale)
{
    public async Task<StoredQuestionnaire> HandleAsync(Tenant tenant, Guid id, CancellationToken cancellationToken = default)
    {
        tenant.RequireEdit();
        var signed = await store.GetAsync(tenant, id, cancellationToken);
        if (!signed.SignedOff)
            throw new ConflictException($"questionnaire {id} is a draft: change it in place; a revision starts from a signed-off questionnaire");
        var templateId = signed.Questionnaire.TemplateId;
        if (QuestionnaireTemplates.Find(templateId) is null)
            throw new ConflictException($"questionnaire {id} answers template '{templateId}', which is not built in, so its answers cannot be proposed again; start a revision and correct them by hand");
        var affected = (await stale.CheckAsync(tenant, id, cancellationToken))?.Affected.ToHashSet(StringComparer.Ordinal) ?? [];
        var fresh = await queries.ProposeAsync(tenant, templateId, cancellationToken);
        var before = signed.Questionnaire.Answers.ToDictionary(a => a.QuestionId, StringComparer.Ordinal);
        var answers = fresh.Answers.Select(a =>
            before.TryGetValue(a.QuestionId, out var old) && !affected.Contains(a.QuestionId) && old.Proposed == a.Proposed && old.State != ReviewState.Proposed
                ? a with { State = old.State, Final = old.Final, ReviewedBy = old.ReviewedBy, ReviewedAt = old.ReviewedAt, Comment = old.Comment }
                : a).ToArray();
        return await store.StartRevisionAsync(tenant, id, fresh with { Answers = answers }, QuestionnaireSources.CurrentFacts, [.. affected], cancellationToken);
    }
}
