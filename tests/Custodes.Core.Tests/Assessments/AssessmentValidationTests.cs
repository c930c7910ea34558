using System.Text.Json.Nodes;
using Custodes.Assessments;
using Custodes.Catalogs;
using Custodes.Common;

namespace Custodes.Core.Tests.Assessments;

/// <summary><see cref="AssessmentFile.Validate"/> checks an assessment made in code by the rules a parsed file meets — without
/// writing and re-reading it — and names where in the assessment's own terms: requirement, objective or POA&amp;M item, field.</summary>
public sealed class AssessmentValidationTests
{
    private static Assessment Sample(params (string Id, Finding Finding)[] overrides) => SampleAssessments.With(Frameworks.NistR2, true, overrides);

    private const string BadSha = "sha256:9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";

    public static TheoryData<string, string, string> Refusals => new()
    {
        { "partial on a requirement without partial credit", "$.requirements['3.1.1'].partial", "'partial' is allowed only on 3.5.3" },
        { "a partial value of another requirement", "$.requirements['3.5.3'].partial", "is not a partial value of 3.5.3" },
        { "partial on a met requirement", "$.requirements['3.5.3']", "'partial' applies only to a requirement that is not met" },
        { "an evidence reference that is almost SHA-256", "$.objectives['3.1.1[a]'].evidence[0]", "is not a SHA-256 evidence reference" },
        { "an unknown requirement", "$.requirements['3.99.1']", "unknown requirement '3.99.1'" },
        { "an unknown objective", "$.objectives['3.1.1[z]']", "unknown objective '3.1.1[z]'" },
        { "two POA&M items for one requirement", "$.poam[1].id", "requirement 3.1.2 has more than one POA&M item" },
        { "a status that contradicts its objectives", "$.requirements['3.1.1']", "contradicts its objectives" },
    };

    private static Assessment Bad(string name) => name switch
    {
        "partial on a requirement without partial credit" => Sample(("3.1.1", new Finding { Status = Status.NotMet, Partial = PartialValues.MfaRemoteAndPrivilegedOnly })),
        "a partial value of another requirement" => Sample(("3.5.3", new Finding { Status = Status.NotMet, Partial = PartialValues.EncryptionNotFipsValidated })),
        "partial on a met requirement" => Sample(("3.5.3", new Finding { Status = Status.Met, Partial = PartialValues.MfaRemoteAndPrivilegedOnly })),
        "an evidence reference that is almost SHA-256" => Sample() with
        {
            Objectives = new Dictionary<string, Finding> { ["3.1.1[a]"] = new() { Status = Status.Met, Evidence = [BadSha] } },
        },
        "an unknown requirement" => Sample(("3.99.1", Finding.Of(Status.Met))),
        "an unknown objective" => Sample() with { Objectives = new Dictionary<string, Finding> { ["3.1.1[z]"] = Finding.Of(Status.Met) } },
        "two POA&M items for one requirement" => Sample(("3.1.2", Finding.Of(Status.NotMet))) with
        {
            Poam = [new PoamItem { Id = "3.1.2" }, new PoamItem { Id = "3.1.2", Milestones = "again" }],
        },
        _ => Sample() with { Objectives = new Dictionary<string, Finding> { ["3.1.1[a]"] = Finding.Of(Status.NotMet) } },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Validate_refuses_what_a_file_may_not_say_and_names_the_requirement_objective_or_item_and_field(string name, string path, string message)
    {
        var e = Assert.Throws<BadInputException>(() => AssessmentFile.Validate(Bad(name), "assessment 42"));

        Assert.Equal("assessment 42", e.File);
        Assert.Equal(path, e.Path);
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_file_saying_the_same_is_refused_by_the_same_rule_at_the_same_place(string name, string path, string message)
    {
        if (name is "an unknown requirement" or "an unknown objective") return; // a file cannot be written with an id the catalog lacks
        var fromFile = Assert.Throws<BadInputException>(() => AssessmentFile.Parse(AssessmentFile.ToJson(Bad(name)), "file.json"));
        var inCode = Assert.Throws<BadInputException>(() => AssessmentFile.Validate(Bad(name), "file.json"));

        Assert.Equal(fromFile.Message, inCode.Message);
        Assert.Equal(fromFile.Path, inCode.Path);
        Assert.Contains(message, fromFile.Message);
        Assert.NotNull(fromFile.Line);
        Assert.Equal(path, inCode.Path);
    }

    [Fact]
    public void A_valid_assessment_resolves_as_its_file_would_and_its_document_is_the_file_it_would_write()
    {
        var assessment = Sample(("3.5.3", new Finding { Status = Status.NotMet, Partial = PartialValues.MfaRemoteAndPrivilegedOnly }), ("3.1.2", Finding.Of(Status.NotMet))) with
        {
            Objectives = new Dictionary<string, Finding> { ["3.1.1[a]"] = Finding.Of(Status.Met) },
            Poam = [new PoamItem { Id = "3.1.2", PlannedCompletion = new DateOnly(2027, 3, 1) }],
        };
        var parsed = AssessmentFile.Parse(AssessmentFile.ToJson(assessment), "assessment 42");

        var validated = AssessmentFile.Validate(assessment, "assessment 42");

        Assert.Same(assessment, validated.Assessment);
        Assert.Equal(parsed.Resolution.Statuses.ToArray(), validated.Resolution.Statuses.ToArray());
        Assert.Equal(parsed.Resolution.Partial.ToArray(), validated.Resolution.Partial.ToArray());
        Assert.True(JsonNode.DeepEquals(parsed.Document.ToJsonNode(), validated.Document.ToJsonNode()));
    }
}
