using Custodes.SupplyChain.Questionnaires;

namespace Custodes.Core.Tests.SupplyChain;

public sealed class AnswerBasisTests
{
    private static BasisFact Fact(string kind, string subject, string value, params string[] questions) => new(kind, subject, value, questions, "Granite Peak");

    [Fact]
    public void Nothing_changed_is_not_out_of_date()
    {
        BasisFact[] facts = [Fact(BasisKinds.Letter, "L1", "valid", "msp-mfa"), Fact(BasisKinds.ProviderScore, "granite", "97", "msp-mfa")];
        Assert.Empty(AnswerBasis.Compare(facts, facts));
    }

    [Fact]
    public void A_changed_fact_names_its_questions_before_after_and_why()
    {
        var stale = Assert.Single(AnswerBasis.Compare(
            [Fact(BasisKinds.ProviderLetter, "granite", "0f1e2d3c-aaaa-bbbb-cccc-000000000001 holds", "msp-mfa")],
            [Fact(BasisKinds.ProviderLetter, "granite", "0f1e2d3c-aaaa-bbbb-cccc-000000000001 letter-revoked", "msp-mfa")]));
        Assert.Equal(["msp-mfa"], stale.Questions);
        Assert.Equal("Granite Peak's attestation letter: letter 0f1e2d3c… in force when the questionnaire was signed, now letter 0f1e2d3c… revoked", stale.Why);
    }

    [Fact]
    public void A_change_no_answer_rests_on_does_not_count()
    {
        Assert.Empty(AnswerBasis.Compare([Fact(BasisKinds.ProviderScore, "granite", "97")], [Fact(BasisKinds.ProviderScore, "granite", "80")]));
    }

    [Fact]
    public void A_provider_gone_from_the_portfolio_is_none_now_and_a_new_one_covering_answers_counts()
    {
        var changes = AnswerBasis.Compare(
            [Fact(BasisKinds.ProviderCoverage, "granite", "3.5.3 provider", "msp-mfa")],
            [Fact(BasisKinds.ProviderCoverage, "cloudvault", "3.8.9 provider", "backups-protected")]);
        Assert.Equal(2, changes.Count);
        Assert.Equal(("granite", "none"), (changes[0].Subject, changes[0].After));
        Assert.Contains("no longer covers", changes[0].Why, StringComparison.Ordinal);
        Assert.Equal(("cloudvault", "none"), (changes[1].Subject, changes[1].Before));
        Assert.Equal(["backups-protected"], changes[1].Questions);
    }

    [Fact]
    public void The_own_letter_props_up_only_the_answers_that_assert_something()
    {
        var q = new QuestionnaireResponse
        {
            TemplateId = "t", TemplateVersion = 1, Title = "T", Organization = "O", GeneratedOn = new DateOnly(2026, 12, 1),
            Answers =
            [
                new QuestionAnswer("s", "yes", "Q", ["3.5.3"], Answer.Yes, Confidence.Ok, new Dictionary<string, string>(), [], ""),
                new QuestionAnswer("s", "no", "Q", ["3.5.3"], Answer.No, Confidence.Ok, new Dictionary<string, string>(), [], ""),
                new QuestionAnswer("s", "edited-to-partial", "Q", ["3.5.3"], Answer.No, Confidence.Ok, new Dictionary<string, string>(), [], "", ReviewState.Edited, Answer.Partial),
            ],
        };
        Assert.Equal(["yes", "edited-to-partial"], AnswerBasis.Asserted(q));
    }
}
