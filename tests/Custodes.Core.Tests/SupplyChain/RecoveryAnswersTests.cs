using System.Text;
using Custodes.Assessments;
using Custodes.Catalogs;
using Custodes.Core.Tests.Assessments;
using Custodes.SupplyChain;
using Custodes.SupplyChain.Questionnaires;
using QAnswer = Custodes.SupplyChain.Questionnaires.Answer;

namespace Custodes.Core.Tests.SupplyChain;

/// <summary>The insurer's recovery questions answered from the portfolio's backup and restore facts, each with the facts it rests on.</summary>
public sealed class RecoveryAnswersTests
{
    private static readonly DateOnly AsOf = new(2026, 12, 1);
    private static readonly QuestionnaireTemplate Insurance = QuestionnaireTemplates.Find("cyber-insurance-msp")!;

    /// <summary>The dental sample's practice, as the schedule of Front Range's compromise sees it.</summary>
    private static RecoveryFacts Facts(string practice)
    {
        var schedule = ScheduleRecovery.For(PortfolioGraph.Build(Samples.DentalMsp()), "frontrange-it", new RecoveryOptions { AsOf = AsOf });
        return new RecoveryFacts("portfolio version 3", [("Front Range Dental IT", schedule.Customers.Single(c => c.Id == practice))]);
    }

    private static QuestionnaireResponse Propose(RecoveryFacts? facts) =>
        ProposeAnswers.For(Insurance, SampleAssessments.AllMet(Frameworks.NistR2, true), null, AsOf, recovery: facts);

    [Fact]
    public void A_sound_backup_answers_yes_citing_the_portfolio()
    {
        // dental-001: immutable, offsite with Vaultline, tested 1 Aug 2026, back at 61.5 h against 72 h.
        var r = Propose(Facts("dental-001"));
        var protectedAnswer = r.Answers.Single(a => a.QuestionId == "backups-protected");
        Assert.Equal((QAnswer.Yes, Confidence.Ok), (protectedAnswer.Proposed, protectedAnswer.Confidence));
        var evidence = Assert.Single(protectedAnswer.Evidence);
        Assert.Contains("portfolio version 3: if Front Range Dental IT were compromised", evidence, StringComparison.Ordinal);
        Assert.Contains("immutable, offsite, run by vaultline, restore test 2026-08-01", evidence, StringComparison.Ordinal);
        Assert.Equal(QAnswer.Yes, r.Answers.Single(a => a.QuestionId == "backups-tested").Proposed);
        Assert.Equal(QAnswer.Yes, r.Answers.Single(a => a.QuestionId == "recovery-time").Proposed);
    }

    [Theory]
    [InlineData("dental-003", QAnswer.No, QAnswer.No, QAnswer.Unknown)] // no backup, no objective
    [InlineData("dental-002", QAnswer.Partial, QAnswer.Yes, QAnswer.No)] // offsite but deletable; 96 h against 48 h
    [InlineData("dental-006", QAnswer.Partial, QAnswer.Yes, QAnswer.No)] // immutable on site; 106.5 h against 24 h
    [InlineData("dental-004", QAnswer.Yes, QAnswer.No, QAnswer.Unknown)] // tested more than 180 days ago
    public void Weak_backups_answer_as_the_facts_say(string practice, QAnswer protectedAnswer, QAnswer tested, QAnswer inTime)
    {
        var r = Propose(Facts(practice));
        Assert.Equal((protectedAnswer, tested, inTime),
            (r.Answers.Single(a => a.QuestionId == "backups-protected").Proposed, r.Answers.Single(a => a.QuestionId == "backups-tested").Proposed,
                r.Answers.Single(a => a.QuestionId == "recovery-time").Proposed));
    }

    [Fact]
    public void Without_recovery_facts_the_mapped_requirements_answer()
    {
        var r = ProposeAnswers.For(Insurance, SampleAssessments.AllMet(Frameworks.NistR2, true, ("3.8.9", Status.NotMet)), null, AsOf);
        var a = r.Answers.Single(x => x.QuestionId == "backups-protected");
        Assert.Equal(QAnswer.No, a.Proposed);
        Assert.Equal("not-met", a.Statuses["3.8.9"]);
        // No provider would restore the organization: the facts say nothing, the requirements answer.
        var fallback = Propose(new RecoveryFacts("portfolio", [])).Answers.Single(x => x.QuestionId == "backups-protected");
        Assert.Equal((QAnswer.Yes, "met"), (fallback.Proposed, fallback.Statuses["3.8.9"]));
    }

    [Fact]
    public void Answers_from_facts_survive_csv_and_json()
    {
        var r = Propose(Facts("dental-002"));
        var back = QuestionnaireCsv.Read(QuestionnaireCsv.Write(r), "q.csv").ToResponse(id => QuestionnaireTemplates.Find(id)!);
        Assert.Equal(Encoding.UTF8.GetString(QuestionnaireJson.Write(r)), Encoding.UTF8.GetString(QuestionnaireJson.Write(back)));
    }

    [Fact]
    public void A_template_naming_unknown_facts_is_refused()
    {
        var yaml = """
            schema: custodes.questionnaire-template/v1
            id: t
            version: 1
            title: T
            framework: nist-sp800-171r2
            sections:
              - id: s
                title: S
                questions:
                  - {id: q, text: Q?, maps_to: ["3.8.9"], answered_from: backups-magic}
            """;
        var e = Assert.Throws<Custodes.Common.BadInputException>(() => QuestionnaireTemplates.Parse(Encoding.UTF8.GetBytes(yaml), "t.yaml"));
        Assert.Contains("backups-immutable-offsite", e.Message, StringComparison.Ordinal);
        Assert.Equal(10, e.Line);
    }
}
