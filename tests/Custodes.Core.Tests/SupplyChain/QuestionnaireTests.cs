using System.Text;
using Custodes.Assessments;
using Custodes.Catalogs;
using Custodes.Common;
using Custodes.Core.Tests.Assessments;
using Custodes.SupplyChain;
using Custodes.SupplyChain.Questionnaires;

namespace Custodes.Core.Tests.SupplyChain;

public sealed class QuestionnaireTests
{
    private static readonly DateOnly Today = new(2026, 12, 1);
    private static readonly DateTimeOffset ReviewTime = new(2026, 12, 2, 14, 30, 0, TimeSpan.Zero);
    private static readonly QuestionnaireTemplate Msp = QuestionnaireTemplates.Find("msp-security")!;

    private static LetterState Letter(bool revoked = false) => new()
    {
        LetterId = "L1", Provider = "msp", Revoked = revoked, ValidUntil = new DateOnly(2027, 10, 1), Framework = Frameworks.NistR2,
        MetRequirements = CatalogSet.NistR2.Requirements.Select(r => r.Id).ToHashSet(),
    };

    private static Custodes.Assessments.Assessment WithEvidence(params (string Id, Status Status)[] overrides)
    {
        var a = SampleAssessments.AllMet(Frameworks.NistR2, true, overrides);
        return a with { Requirements = a.Requirements.ToDictionary(r => r.Key, r => r.Value with { Evidence = ["sha256:" + new string('a', 64)] }) };
    }

    private static QuestionAnswer Answer(QuestionnaireResponse r, string id) => r.Answers.Single(a => a.QuestionId == id);

    [Fact]
    public void Built_in_templates_map_every_question_to_known_requirements()
    {
        foreach (var id in QuestionnaireTemplates.BuiltIn)
        {
            var template = QuestionnaireTemplates.Find(id)!;
            Assert.NotEmpty(template.Questions);
            Assert.All(template.Questions, q => Assert.All(q.Question.MapsTo, m => Assert.True(CatalogSet.NistR2.Find(m) is not null || CatalogSet.NistR2.FindObjective(m) is not null)));
        }
        Assert.Contains(Msp.Questions, q => q.Question.Id == "rmm-mfa" && q.Question.MapsTo.Contains("3.5.3"));
    }

    [Fact]
    public void All_mapped_requirements_met_with_evidence_and_a_valid_letter_answers_yes_with_confidence()
    {
        var r = ProposeAnswers.For(Msp, WithEvidence(), Letter(), Today);
        Assert.All(r.Answers, a => Assert.Equal(Custodes.SupplyChain.Questionnaires.Answer.Yes, a.Proposed));
        Assert.All(r.Answers, a => Assert.Equal(Confidence.Ok, a.Confidence));
        Assert.True(r.Attested);
        Assert.Contains("attested by letter L1", Answer(r, "rmm-mfa").Rationale);
    }

    [Fact]
    public void Some_mapped_requirements_not_met_answers_partial_and_none_met_answers_no()
    {
        var r = ProposeAnswers.For(Msp, WithEvidence(("3.7.5", Status.NotMet), ("3.9.1", Status.NotMet)), Letter(), Today);
        var mfa = Answer(r, "rmm-mfa");
        Assert.Equal(Custodes.SupplyChain.Questionnaires.Answer.Partial, mfa.Proposed);
        Assert.Equal("not-met", mfa.Statuses["3.7.5"]);
        Assert.Equal(Custodes.SupplyChain.Questionnaires.Answer.No, Answer(r, "personnel-screening").Proposed);
    }

    [Fact]
    public void Unassessed_requirements_answer_unknown_without_evidence()
    {
        var r = ProposeAnswers.For(Msp, WithEvidence(("3.9.1", Status.Unassessed)), null, Today);
        var q = Answer(r, "personnel-screening");
        Assert.Equal(Custodes.SupplyChain.Questionnaires.Answer.Unknown, q.Proposed);
        Assert.Equal(Confidence.NoEvidence, q.Confidence);
    }

    [Fact]
    public void Yes_without_evidence_references_is_flagged_no_evidence()
    {
        var r = ProposeAnswers.For(Msp, SampleAssessments.AllMet(), null, Today);
        Assert.All(r.Answers, a => Assert.Equal(Confidence.NoEvidence, a.Confidence));
    }

    [Fact]
    public void Revoked_letter_or_old_assessment_makes_answers_stale()
    {
        Assert.All(ProposeAnswers.For(Msp, WithEvidence(), Letter(revoked: true), Today).Answers, a => Assert.Equal(Confidence.Stale, a.Confidence));
        var old = WithEvidence() with { AssessedOn = new DateOnly(2025, 11, 30) };
        Assert.All(ProposeAnswers.For(Msp, old, Letter(), Today).Answers, a => Assert.Equal(Confidence.Stale, a.Confidence));
        Assert.All(ProposeAnswers.For(Msp, old, Letter(), Today, staleAfterMonths: 24).Answers, a => Assert.Equal(Confidence.Ok, a.Confidence));
    }

    [Fact]
    public void Sign_off_needs_every_answer_reviewed_and_freezes_the_questionnaire()
    {
        var r = ProposeAnswers.For(Msp, WithEvidence(), Letter(), Today);
        Assert.Throws<BadInputException>(() => r.SignOffBy("Dana Reviewer", ReviewTime));
        foreach (var a in r.Answers) r = r.Review(a.QuestionId, "Dana Reviewer", ReviewTime);
        r = r.Edit("backups-protected", Custodes.SupplyChain.Questionnaires.Answer.Partial, "no immutable copy yet", "Dana Reviewer", ReviewTime);
        var signed = r.SignOffBy("Dana Reviewer", ReviewTime);
        Assert.Equal(new SignOff("Dana Reviewer", ReviewTime), signed.SignOff);
        Assert.Equal(ReviewState.Edited, Answer(signed, "backups-protected").State);
        Assert.Throws<BadInputException>(() => signed.Review("rmm-mfa", "Someone", ReviewTime));
    }

    [Fact]
    public void Reopening_an_answer_withdraws_its_review_and_sign_off_waits_for_it_again()
    {
        var r = ProposeAnswers.For(Msp, WithEvidence(), Letter(), Today);
        foreach (var a in r.Answers) r = r.Review(a.QuestionId, "Dana", ReviewTime, comment: "checked the RMM console");
        Assert.Equal("checked the RMM console", Answer(r, "rmm-mfa").Comment);
        r = r.Reopen("rmm-mfa");
        var reopened = Answer(r, "rmm-mfa");
        Assert.Equal((ReviewState.Proposed, (Custodes.SupplyChain.Questionnaires.Answer?)null, (string?)null, (DateTimeOffset?)null, (string?)null), (reopened.State, reopened.Final, reopened.ReviewedBy, reopened.ReviewedAt, reopened.Comment));
        var e = Assert.Throws<BadInputException>(() => r.SignOffBy("Dana", ReviewTime));
        Assert.Contains("rmm-mfa", e.Message);
    }

    [Fact]
    public void The_content_hash_is_of_the_canonical_json_and_survives_an_xlsx_round_trip()
    {
        var r = ProposeAnswers.For(Msp, WithEvidence(("3.7.5", Status.NotMet)), Letter(), Today);
        foreach (var a in r.Answers) r = r.Review(a.QuestionId, "Dana", ReviewTime);
        r = r.SignOffBy("Dana", ReviewTime);
        var hash = QuestionnaireJson.Sha256(r);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Custodes.Attestation.CanonicalJson.Canonicalize(QuestionnaireJson.Write(r)))), hash);
        using var stream = new MemoryStream(QuestionnaireXlsx.Write(r));
        Assert.Equal(hash, QuestionnaireJson.Sha256(QuestionnaireXlsx.Read(stream, "q.xlsx").ToResponse(id => QuestionnaireTemplates.Find(id)!)));
        Assert.NotEqual(hash, QuestionnaireJson.Sha256(r with { SignOff = r.SignOff! with { By = "Someone else" } }));
    }

    [Fact]
    public void Xlsx_export_and_import_round_trip_a_signed_off_questionnaire()
    {
        var r = ProposeAnswers.For(Msp, WithEvidence(("3.7.5", Status.NotMet)), Letter(), Today);
        foreach (var a in r.Answers) r = r.Review(a.QuestionId, "Dana", ReviewTime);
        r = r.Edit("rmm-mfa", Custodes.SupplyChain.Questionnaires.Answer.No, "MFA missing on the API account", "Dana", ReviewTime).SignOffBy("Dana", ReviewTime);
        using var stream = new MemoryStream(QuestionnaireXlsx.Write(r));
        var back = QuestionnaireXlsx.Read(stream, "q.xlsx").ToResponse(id => QuestionnaireTemplates.Find(id)!);
        Assert.Equal(r.SignOff, back.SignOff);
        Assert.Equal(r.Answers.Select(a => (a.QuestionId, a.Proposed, a.Final, a.State, a.ReviewedAt, a.Comment, a.Confidence)),
                     back.Answers.Select(a => (a.QuestionId, a.Proposed, a.Final, a.State, a.ReviewedAt, a.Comment, a.Confidence)));
        Assert.Equal(r.Answers[0].Statuses, back.Answers[0].Statuses);
        Assert.Equal(Encoding.UTF8.GetString(QuestionnaireJson.Write(r)), Encoding.UTF8.GetString(QuestionnaireJson.Write(back)));
    }

    [Fact]
    public void Csv_export_and_import_round_trip()
    {
        var r = ProposeAnswers.For(QuestionnaireTemplates.Find("cyber-insurance-msp")!, WithEvidence(("3.8.9", Status.NotMet)), null, Today);
        r = r.Edit("backups-protected", Custodes.SupplyChain.Questionnaires.Answer.Partial, "offline copy, \"weekly\", since 2026", "Dana", ReviewTime);
        var back = QuestionnaireCsv.Read(QuestionnaireCsv.Write(r), "q.csv").ToResponse(id => QuestionnaireTemplates.Find(id)!);
        Assert.Equal(Encoding.UTF8.GetString(QuestionnaireJson.Write(r)), Encoding.UTF8.GetString(QuestionnaireJson.Write(back)));
    }

    [Fact]
    public void Import_rejects_an_answer_changed_without_marking_it_edited_naming_the_cell()
    {
        var csv = Encoding.UTF8.GetString(QuestionnaireCsv.Write(ProposeAnswers.For(Msp, WithEvidence(), null, Today)));
        var lines = csv.Split("\r\n").ToList();
        var row = lines.FindIndex(l => l.StartsWith("remote-access,rmm-mfa,", StringComparison.Ordinal));
        lines[row] = lines[row].Replace(",,proposed,,,", ",no,reviewed,Dana,2026-12-02T14:30:00Z,", StringComparison.Ordinal);
        var e = Assert.Throws<BadInputException>(() => QuestionnaireCsv.Read(Encoding.UTF8.GetBytes(string.Join("\r\n", lines)), "q.csv").ToResponse(id => QuestionnaireTemplates.Find(id)!));
        Assert.Contains("set the state to 'edited'", e.Message);
        Assert.Equal("row 2, column answer", e.Path);
        Assert.Equal(row + 1, e.Line);
    }

    [Theory]
    [InlineData(",,proposed,,,", ",maybe,edited,Dana,2026-12-02T14:30:00Z,", "invalid answer 'maybe'")]
    [InlineData(",,proposed,,,", ",yes,reviewed,,2026-12-02T14:30:00Z,", "needs the reviewer's name")]
    [InlineData(",,proposed,,,", ",yes,reviewed,Dana,yesterday,", "expected a time in ISO 8601")]
    [InlineData(",,proposed,,,", ",yes,proposed,,,", "the state is 'proposed'")]
    [InlineData("remote-access,rmm-mfa,", "remote-access,rmm-mfa-2,", "unknown question 'rmm-mfa-2'")]
    public void Import_rejects_bad_rows_whole(string from, string to, string message)
    {
        var csv = Encoding.UTF8.GetString(QuestionnaireCsv.Write(ProposeAnswers.For(Msp, WithEvidence(), null, Today)));
        var lines = csv.Split("\r\n").ToList();
        var row = lines.FindIndex(l => l.StartsWith("remote-access,rmm-mfa,", StringComparison.Ordinal));
        lines[row] = lines[row].Replace(from, to, StringComparison.Ordinal);
        var e = Assert.Throws<BadInputException>(() => QuestionnaireCsv.Read(Encoding.UTF8.GetBytes(string.Join("\r\n", lines)), "q.csv").ToResponse(id => QuestionnaireTemplates.Find(id)!));
        Assert.Contains(message, e.Message);
        Assert.Equal("q.csv", e.File);
    }

    [Fact]
    public void Import_rejects_a_missing_question_and_a_workbook_that_is_not_one()
    {
        var csv = Encoding.UTF8.GetString(QuestionnaireCsv.Write(ProposeAnswers.For(Msp, WithEvidence(), null, Today)));
        var without = string.Join("\r\n", csv.Split("\r\n").Where(l => !l.StartsWith("encryption,", StringComparison.Ordinal)));
        var e = Assert.Throws<BadInputException>(() => QuestionnaireCsv.Read(Encoding.UTF8.GetBytes(without), "q.csv").ToResponse(id => QuestionnaireTemplates.Find(id)!));
        Assert.Contains("questions missing from the file: encryption", e.Message);
        Assert.Throws<BadInputException>(() => QuestionnaireXlsx.Read(new MemoryStream("not a zip"u8.ToArray()), "q.xlsx"));
    }

    [Fact]
    public void Template_file_with_an_unknown_requirement_is_rejected_with_its_line()
    {
        var yaml = """
            schema: custodes.questionnaire-template/v1
            id: custom
            version: 1
            title: Custom
            framework: nist-sp800-171r2
            sections:
              - id: s
                title: S
                questions:
                  - {id: q1, text: Q?, maps_to: ["3.5.3", "3.5.33"]}
            """;
        var e = Assert.Throws<BadInputException>(() => QuestionnaireTemplates.Parse(Encoding.UTF8.GetBytes(yaml), "t.yaml"));
        Assert.Contains("unknown requirement or objective '3.5.33'", e.Message);
        Assert.Equal(10, e.Line);
    }
}
