using Custodes.Common;

namespace Custodes.SupplyChain.Questionnaires;

/// <summary>A questionnaire answered from an assessment: proposed answers, then a person's review and sign-off (<c>custodes.questionnaire/v1</c>).</summary>
/// <remarks>Review state: each answer goes proposed → reviewed (accepted as proposed) or edited (answer changed); the whole is signed off, by whom and when, once every answer is reviewed or edited. A signed-off questionnaire no longer changes.</remarks>
public sealed record QuestionnaireResponse
{
    public const string Schema = "custodes.questionnaire/v1";

    public required string TemplateId { get; init; }
    public required int TemplateVersion { get; init; }
    public required string Title { get; init; }
    /// <summary>The organization whose assessment answers the questions.</summary>
    public required string Organization { get; init; }
    public DateOnly? AssessedOn { get; init; }
    public string? LetterId { get; init; }
    /// <summary>True when the answers rest on an assessment attested by a letter that holds.</summary>
    public bool Attested { get; init; }
    public required DateOnly GeneratedOn { get; init; }
    public required IReadOnlyList<QuestionAnswer> Answers { get; init; }
    public SignOff? SignOff { get; init; }

    /// <summary>Accepts a proposed answer as it is (the comment, if any, says what was checked).</summary>
    public QuestionnaireResponse Review(string questionId, string by, DateTimeOffset at, string? comment = null) =>
        Change(questionId, a => a with { State = ReviewState.Reviewed, Final = a.Proposed, ReviewedBy = Required(by), ReviewedAt = at, Comment = comment });

    /// <summary>Replaces a proposed answer; the comment says why.</summary>
    public QuestionnaireResponse Edit(string questionId, Answer answer, string? comment, string by, DateTimeOffset at) =>
        Change(questionId, a => a with { State = ReviewState.Edited, Final = answer, Comment = comment, ReviewedBy = Required(by), ReviewedAt = at });

    /// <summary>Withdraws the review of an answer: it is proposed again, as if nobody had looked at it.</summary>
    public QuestionnaireResponse Reopen(string questionId) =>
        Change(questionId, a => a with { State = ReviewState.Proposed, Final = null, ReviewedBy = null, ReviewedAt = null, Comment = null });

    /// <summary>Signs off the questionnaire; every answer must have been reviewed or edited.</summary>
    public QuestionnaireResponse SignOffBy(string by, DateTimeOffset at)
    {
        if (SignOff is not null) throw new BadInputException($"the questionnaire was already signed off by {SignOff.By}");
        var pending = Answers.Where(a => a.State == ReviewState.Proposed).Select(a => a.QuestionId).ToArray();
        if (pending.Length > 0) throw new BadInputException($"cannot sign off: {pending.Length} answer(s) not reviewed yet ({string.Join(", ", pending.Take(5))}{(pending.Length > 5 ? ", …" : "")})");
        return this with { SignOff = new SignOff(Required(by), at) };
    }

    private QuestionnaireResponse Change(string questionId, Func<QuestionAnswer, QuestionAnswer> change)
    {
        if (SignOff is not null) throw new BadInputException($"the questionnaire was signed off by {SignOff.By} on {SignOff.At:yyyy-MM-dd}; it can no longer change");
        var index = Answers.ToList().FindIndex(a => a.QuestionId == questionId);
        if (index < 0) throw new BadInputException($"no question '{questionId}' in this questionnaire");
        var answers = Answers.ToArray();
        answers[index] = change(answers[index]);
        return this with { Answers = answers };
    }

    private static string Required(string by) => string.IsNullOrWhiteSpace(by) ? throw new BadInputException("a review needs the reviewer's name") : by;
}

/// <summary>One question with its proposed answer, what it rests on, and its review.</summary>
/// <param name="Statuses">Each mapped requirement or objective and its status in the assessment.</param>
/// <param name="Evidence">Evidence references of the mapped findings.</param>
/// <param name="Final">The answer after review (null while proposed).</param>
public sealed record QuestionAnswer(
    string SectionId,
    string QuestionId,
    string Text,
    IReadOnlyList<string> MapsTo,
    Answer Proposed,
    Confidence Confidence,
    IReadOnlyDictionary<string, string> Statuses,
    IReadOnlyList<string> Evidence,
    string Rationale,
    ReviewState State = ReviewState.Proposed,
    Answer? Final = null,
    string? ReviewedBy = null,
    DateTimeOffset? ReviewedAt = null,
    string? Comment = null);

public enum Answer
{
    Yes,
    No,
    Partial,
    /// <summary>Nothing the question maps to was assessed.</summary>
    Unknown,
    /// <summary>Everything the question maps to is not applicable.</summary>
    NotApplicable,
}

/// <summary>How far a proposed answer can be relied on.</summary>
public enum Confidence
{
    Ok,
    /// <summary>The assessment is older than the template allows, or the letter is expired, revoked or has a bad signature.</summary>
    Stale,
    /// <summary>No evidence reference supports a yes or partial, or nothing was assessed.</summary>
    NoEvidence,
}

public enum ReviewState
{
    Proposed,
    Reviewed,
    Edited,
}

/// <summary>Who signed the questionnaire off, and when.</summary>
public sealed record SignOff(string By, DateTimeOffset At);

/// <summary>Wire names of answers, confidences and review states (the same as their JSON).</summary>
public static class QuestionnaireNames
{
    public static readonly WireNames<Answer> Answers = new(
        (Answer.Yes, "yes"), (Answer.No, "no"), (Answer.Partial, "partial"), (Answer.Unknown, "unknown"), (Answer.NotApplicable, "not-applicable"));

    public static readonly WireNames<Confidence> Confidences = new(
        (Confidence.Ok, "ok"), (Confidence.Stale, "stale"), (Confidence.NoEvidence, "no-evidence"));

    public static readonly WireNames<ReviewState> States = new(
        (ReviewState.Proposed, "proposed"), (ReviewState.Reviewed, "reviewed"), (ReviewState.Edited, "edited"));
}
