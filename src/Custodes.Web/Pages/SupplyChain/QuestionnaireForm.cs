using Custodes.Application.SupplyChain;
using Custodes.Common;
using Custodes.SupplyChain.Questionnaires;

namespace Custodes.Web.Pages.SupplyChain;

/// <summary>
/// The review fields the questionnaire pages post, one pair per question: <c>a_{question}</c> (<c>proposed</c> = not reviewed,
/// <c>accept</c> = as proposed, or an answer that replaces it) and <c>c_{question}</c> (the comment). Plain form fields, so a
/// review works without JavaScript.
/// </summary>
internal static class QuestionnaireForm
{
    public const string NotReviewed = "proposed";
    public const string Accept = "accept";

    /// <summary>The choice that shows an answer's current review.</summary>
    public static string Choice(QuestionAnswer answer) => answer.State switch
    {
        ReviewState.Proposed => NotReviewed,
        ReviewState.Reviewed => Accept,
        _ => QuestionnaireNames.Answers.Name(answer.Final!.Value),
    };

    /// <summary>The posted review of every question of <paramref name="questionnaire"/> that has a field in the form.</summary>
    public static IReadOnlyList<AnswerReview> Reviews(IFormCollection form, QuestionnaireResponse questionnaire)
    {
        var reviews = new List<AnswerReview>();
        foreach (var answer in questionnaire.Answers)
        {
            if (!form.TryGetValue($"a_{answer.QuestionId}", out var value)) continue;
            var choice = value.ToString();
            var comment = form[$"c_{answer.QuestionId}"].ToString();
            reviews.Add(choice switch
            {
                NotReviewed => new AnswerReview(answer.QuestionId, ReviewState.Proposed),
                Accept => new AnswerReview(answer.QuestionId, ReviewState.Reviewed, Comment: comment),
                _ when QuestionnaireNames.Answers.TryParse(choice, out var replaced) => new AnswerReview(answer.QuestionId, ReviewState.Edited, replaced, comment),
                _ => throw new BadInputException($"invalid choice '{choice}' for question {answer.QuestionId}"),
            });
        }
        return reviews;
    }

    /// <summary>Applies reviews to a questionnaire that is not stored (the proposal downloaded with its review filled in).</summary>
    public static QuestionnaireResponse Apply(QuestionnaireResponse questionnaire, IReadOnlyList<AnswerReview> reviews, string by, DateTimeOffset at)
    {
        foreach (var r in reviews)
        {
            var comment = string.IsNullOrWhiteSpace(r.Comment) ? null : r.Comment.Trim();
            questionnaire = r.State switch
            {
                ReviewState.Proposed => questionnaire,
                ReviewState.Reviewed => questionnaire.Review(r.QuestionId, by, at, comment),
                _ => questionnaire.Edit(r.QuestionId, r.Answer!.Value, comment, by, at),
            };
        }
        return questionnaire;
    }
}
