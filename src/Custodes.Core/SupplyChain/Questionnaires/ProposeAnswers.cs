using Custodes.Assessments;
using Custodes.Catalogs;

namespace Custodes.SupplyChain.Questionnaires;

/// <summary>Proposes an answer to every question of a template from an assessment (and the letter attesting it, when there is one).</summary>
/// <remarks>
/// Per question, the statuses of the mapped requirements (effective status) and objectives (the objective's finding, else its requirement's status):
/// not-applicable ones are set aside; all remaining met → yes; none met → no (unassessed counts as not met, as in scoring); some met → partial;
/// all unassessed → unknown; all not applicable → not-applicable. Confidence: <c>stale</c> when the assessment is undated or older than the
/// template's months, or the letter does not hold; otherwise <c>no-evidence</c> when a yes or partial rests on no evidence reference, or the
/// answer is unknown; otherwise <c>ok</c>.
/// </remarks>
public static class ProposeAnswers
{
    /// <param name="recovery">The organization's recovery facts (its backups and how long each provider's compromise would keep it down), which answer the questions that ask for them (<see cref="Question.AnsweredFrom"/>).</param>
    public static QuestionnaireResponse For(QuestionnaireTemplate template, Assessment assessment, LetterState? letter, DateOnly asOf, int? staleAfterMonths = null, RecoveryFacts? recovery = null)
    {
        var resolution = Resolution.Resolve(assessment);
        var catalog = resolution.Catalog;
        if (Frameworks.IsR2Based(template.Framework) != Frameworks.IsR2Based(catalog.Framework))
            throw new Common.BadInputException($"template {template.Id} maps to {template.Framework} and cannot be answered from a {catalog.Framework} assessment");
        var months = staleAfterMonths ?? template.StaleAfterMonths;
        var letterHolds = letter?.Check(asOf) == InheritanceCause.Holds;
        var stale = assessment.AssessedOn is not { } on || on.AddMonths(months) < asOf || (letter is not null && !letterHolds);
        var answers = new List<QuestionAnswer>();
        foreach (var (section, question) in template.Questions)
        {
            if (question.AnsweredFrom is { } facts && recovery is not null && RecoveryAnswers.Answer(facts, recovery) is var (fromFacts, factEvidence, why))
            {
                answers.Add(new QuestionAnswer(section.Id, question.Id, question.Text, question.MapsTo, fromFacts,
                    fromFacts == Answer.Unknown ? Confidence.NoEvidence : Confidence.Ok, new Dictionary<string, string>(), factEvidence, why));
                continue;
            }
            var statuses = new Dictionary<string, string>(StringComparer.Ordinal);
            var evidence = new List<string>();
            int met = 0, unmet = 0, unassessed = 0;
            foreach (var id in question.MapsTo)
            {
                var status = StatusOf(id, assessment, resolution, catalog, evidence);
                statuses[id] = status.ToWire();
                switch (status)
                {
                    case Status.Met: met++; break;
                    case Status.NotMet: unmet++; break;
                    case Status.Unassessed: unassessed++; break;
                }
            }
            var considered = met + unmet + unassessed;
            var answer = considered == 0 ? Answer.NotApplicable
                : unassessed == considered ? Answer.Unknown
                : met == considered ? Answer.Yes
                : met == 0 ? Answer.No
                : Answer.Partial;
            evidence = evidence.Distinct(StringComparer.Ordinal).ToList();
            var confidence = stale ? Confidence.Stale
                : answer == Answer.Unknown || (answer is Answer.Yes or Answer.Partial && evidence.Count == 0) ? Confidence.NoEvidence
                : Confidence.Ok;
            var rationale = $"{met} of {considered} met{(unassessed > 0 ? $", {unassessed} unassessed" : "")}{(statuses.Count > considered ? $", {statuses.Count - considered} not applicable" : "")}" +
                $" in the assessment of {assessment.AssessedOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "an unknown date"}" +
                (letter is null ? " (not attested)" : letterHolds ? $", attested by letter {letter.LetterId}" : $"; letter {letter.LetterId}: {InheritanceNames.Name(letter.Check(asOf))}");
            answers.Add(new QuestionAnswer(section.Id, question.Id, question.Text, question.MapsTo, answer, confidence, statuses, evidence, rationale));
        }
        return new QuestionnaireResponse
        {
            TemplateId = template.Id,
            TemplateVersion = template.Version,
            Title = template.Title,
            Organization = assessment.Organization,
            AssessedOn = assessment.AssessedOn,
            LetterId = letter?.LetterId,
            Attested = letterHolds,
            GeneratedOn = asOf,
            Answers = answers,
        };
    }

    /// <summary>The status of a mapped requirement or objective; adds the evidence of the findings it rests on (a requirement's own and its objectives').</summary>
    private static Status StatusOf(string id, Assessment assessment, Resolution resolution, Catalog catalog, List<string> evidence)
    {
        if (catalog.FindObjective(id) is { } objective)
        {
            if (assessment.Objectives.TryGetValue(objective.Id, out var own) && own.Status != Status.Unassessed)
            {
                evidence.AddRange(own.Evidence);
                return own.Status;
            }
            id = objective.RequirementId;
        }
        var ordinal = catalog.OrdinalOf(id);
        if (ordinal < 0) return Status.Unassessed;
        var requirement = catalog.Requirements[ordinal];
        if (assessment.Requirements.TryGetValue(requirement.Id, out var finding)) evidence.AddRange(finding.Evidence);
        foreach (var o in requirement.Objectives)
            if (assessment.Objectives.TryGetValue(o, out var of)) evidence.AddRange(of.Evidence);
        return resolution.Statuses[ordinal];
    }
}
