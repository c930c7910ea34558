using System.Text;
using Custodes.Assessments;
using Custodes.Assessments.Scoring;
using Custodes.Common;

namespace Custodes.Core.Tests.Assessments;

public sealed class AssessmentFileTests
{
    private const string ContractExample = """
        {
          "schema": "custodes.assessment/v1",
          "framework": "nist-sp800-171r2",
          "organization": "Example MSP LLC",
          "scope": "Corporate network, RMM platform, PSA, backup infrastructure",
          "assessed_on": "2026-10-01",
          "ssp": true,
          "requirements": {
            "3.1.1": "met",
            "3.1.2": "not-met",
            "3.1.22": "not-applicable",
            "3.5.3": {"status": "not-met", "partial": "mfa-remote-and-privileged-only"},
            "3.13.11": {"status": "not-met", "partial": "encryption-not-fips-validated"},
            "3.4.1": {"status": "met", "evidence": ["sha256:9f86d0…"], "note": "CMDB export"}
          },
          "objectives": {"3.1.3[a]": "met", "3.1.3[b]": "not-met"},
          "poam": [{"id": "3.1.2", "planned_completion": "2027-03-01", "milestones": "…"}]
        }
        """;

    private static ParsedAssessment Parse(string text, string file = "a.json") => AssessmentFile.Parse(Encoding.UTF8.GetBytes(text), file);

    private static BadInputException Rejects(string text, string file = "a.json") => Assert.Throws<BadInputException>(() => Parse(text, file));

    [Fact]
    public void The_contract_example_parses_with_derived_objective_status()
    {
        var parsed = Parse(ContractExample);
        var a = parsed.Assessment;
        Assert.Equal("Example MSP LLC", a.Organization);
        Assert.Equal(new DateOnly(2026, 10, 1), a.AssessedOn);
        Assert.Equal("mfa-remote-and-privileged-only", a.Requirements["3.5.3"].Partial);
        Assert.Equal(["sha256:9f86d0…"], a.Requirements["3.4.1"].Evidence);
        Assert.Equal(Status.NotMet, parsed.Resolution.StatusOf("3.1.3"));
        Assert.Equal(new DateOnly(2027, 3, 1), a.Poam[0].PlannedCompletion);
        var report = ScoreAssessment.Score(a);
        Assert.False(report.Complete);
    }

    [Fact]
    public void Yaml_and_json_of_the_same_assessment_read_the_same()
    {
        var yaml = """
            schema: custodes.assessment/v1
            framework: nist-sp800-171r2
            organization: Example MSP LLC
            assessed_on: 2026-10-01
            ssp: true
            requirements:
              3.1.1: met
              3.5.3: {status: not-met, partial: mfa-remote-and-privileged-only}
            objectives:
              "3.1.3[a]": met
            """;
        var fromYaml = Parse(yaml, "a.yaml").Assessment;
        Assert.Equal(new DateOnly(2026, 10, 1), fromYaml.AssessedOn);
        Assert.True(fromYaml.Ssp);
        Assert.Equal(Status.Met, fromYaml.Requirements["3.1.1"].Status);
        Assert.Equal(Status.Met, fromYaml.Objectives["3.1.3[a]"].Status);
        Assert.Equal(AssessmentFile.ToJson(fromYaml), AssessmentFile.ToJson(Parse(Encoding.UTF8.GetString(AssessmentFile.ToJson(fromYaml))).Assessment));
    }

    [Fact]
    public void Json_and_yaml_exports_round_trip_without_loss()
    {
        var original = Parse(ContractExample).Assessment with
        {
            Assessor = "Independent Assessors LLC",
            Objectives = new Dictionary<string, Finding>
            {
                ["3.1.3[a]"] = new() { Status = Status.Met, Note = "reviewed flow policy", Methods = [AssessmentMethod.Examine, AssessmentMethod.Interview], Evidence = ["sha256:" + new string('a', 64)] },
                ["3.1.3[b]"] = Finding.Of(Status.NotMet),
            },
            Poam = [new PoamItem { Id = "3.1.2", PlannedCompletion = new DateOnly(2027, 3, 1), Milestones = "M1; M2", Status = PoamStatus.InProgress, Owner = "CISO" }],
        };
        var json = AssessmentFile.ToJson(original);
        var fromJson = AssessmentFile.Parse(json, "x.json").Assessment;
        var fromYaml = AssessmentFile.Parse(AssessmentFile.ToYaml(original), "x.yaml").Assessment;
        Assert.Equal(json, AssessmentFile.ToJson(fromJson));
        Assert.Equal(json, AssessmentFile.ToJson(fromYaml));
        Assert.Equal([AssessmentMethod.Examine, AssessmentMethod.Interview], fromYaml.Objectives["3.1.3[a]"].Methods);
        Assert.Equal(PoamStatus.InProgress, fromYaml.Poam[0].Status);
    }

    [Fact]
    public void Unknown_requirement_is_rejected_with_path_and_line()
    {
        var error = Rejects("""
            {"schema": "custodes.assessment/v1", "framework": "nist-sp800-171r2", "organization": "X",
             "requirements": {
               "3.1.99": "met"}}
            """);
        Assert.Equal("a.json", error.File);
        Assert.Equal("$.requirements['3.1.99']", error.Path);
        Assert.Equal(3, error.Line);
        Assert.Contains("unknown requirement '3.1.99'", error.Message);
    }

    [Fact]
    public void Partial_on_another_requirement_is_rejected()
    {
        var error = Rejects("""{"schema": "custodes.assessment/v1", "framework": "nist-sp800-171r2", "organization": "X", "requirements": {"3.1.1": {"status": "not-met", "partial": "mfa-remote-and-privileged-only"}}}""");
        Assert.Equal("$.requirements['3.1.1'].partial", error.Path);
        Assert.Contains("only on 3.5.3", error.Message);
    }

    [Fact]
    public void Partial_with_the_other_requirements_value_is_rejected()
    {
        var error = Rejects("""{"schema": "custodes.assessment/v1", "framework": "nist-sp800-171r2", "organization": "X", "requirements": {"3.5.3": {"status": "not-met", "partial": "encryption-not-fips-validated"}}}""");
        Assert.Contains("expected 'mfa-remote-and-privileged-only'", error.Message);
    }

    [Fact]
    public void Partial_on_a_met_requirement_is_rejected()
    {
        var error = Rejects("""{"schema": "custodes.assessment/v1", "framework": "nist-sp800-171r2", "organization": "X", "requirements": {"3.5.3": {"status": "met", "partial": "mfa-remote-and-privileged-only"}}}""");
        Assert.Contains("not met", error.Message);
    }

    [Fact]
    public void Requirement_status_contradicting_its_objectives_is_rejected_at_its_line()
    {
        var error = Rejects("""
            {"schema": "custodes.assessment/v1", "framework": "nist-sp800-171r2", "organization": "X",
             "requirements": {"3.1.1": "met",
               "3.1.3": "met"},
             "objectives": {"3.1.3[a]": "met", "3.1.3[b]": "not-met"}}
            """);
        Assert.Equal(3, error.Line);
        Assert.Contains("contradicts", error.Message);
        Assert.Contains("3.1.3[b]", error.Message);
    }

    [Fact]
    public void Not_met_requirement_whose_objectives_are_all_met_is_rejected()
    {
        var objectives = string.Join(", ", "abcde".Select(c => $"\"3.1.3[{c}]\": \"met\""));
        var error = Rejects("""{"schema": "custodes.assessment/v1", "framework": "nist-sp800-171r2", "organization": "X", "requirements": {"3.1.3": "not-met"}, "objectives": {""" + objectives + "}}");
        Assert.Contains("contradicts", error.Message);
    }

    [Theory]
    [InlineData("""{"schema": "custodes.assessment/v1", "framework": "nist-sp800-171r2", "organization": "X", "requirements": {"3.1.1": "met", "3.1.1": "not-met"}}""", "duplicate key '3.1.1'")]
    [InlineData("""{"schema": "custodes.assessment/v1", "framework": "nist-sp800-171r2", "organization": "X", "requirments": {}}""", "unknown field 'requirments'")]
    [InlineData("""{"schema": "custodes.assessment/v2", "framework": "nist-sp800-171r2", "organization": "X"}""", "expected 'custodes.assessment/v1'")]
    [InlineData("""{"schema": "custodes.assessment/v1", "framework": "nist-800-171", "organization": "X"}""", "unknown framework")]
    [InlineData("""{"schema": "custodes.assessment/v1", "framework": "nist-sp800-171r2"}""", "missing required field 'organization'")]
    [InlineData("""{"schema": "custodes.assessment/v1", "framework": "nist-sp800-171r2", "organization": "X", "requirements": {"3.1.1": "done"}}""", "expected one of met, not-met")]
    [InlineData("""{"schema": "custodes.assessment/v1", "framework": "nist-sp800-171r2", "organization": "X", "assessed_on": "10/01/2026"}""", "YYYY-MM-DD")]
    [InlineData("""{"schema": "custodes.assessment/v1", "framework": "nist-sp800-171r2", "organization": "X", "objectives": {"3.1.1[z]": "met"}}""", "unknown objective '3.1.1[z]'")]
    [InlineData("""{"schema": "custodes.assessment/v1", "framework": "cmmc-l1", "organization": "X", "requirements": {"3.1.3": "met"}}""", "not a CMMC Level 1 requirement")]
    [InlineData("""{"schema": "custodes.assessment/v1", "framework": "nist-sp800-171r2", "organization": "X", "poam": [{"id": "3.1.2"}, {"id": "3.1.2"}]}""", "more than one POA&M item")]
    [InlineData("""{"schema": "custodes.assessment/v1", "framework": "nist-sp800-171r2", "organization": "X", "ssp": "yes"}""", "expected true or false")]
    public void Bad_input_is_rejected_with_a_reason(string json, string expected) =>
        Assert.Contains(expected, Rejects(json).Message);

    [Fact]
    public void Malformed_json_names_the_line()
    {
        var error = Rejects("{\n \"schema\": \"custodes.assessment/v1\",\n \"framework\": \n}");
        Assert.Equal(4, error.Line);
        Assert.StartsWith("malformed JSON", error.Message);
    }

    [Fact]
    public void Duplicate_yaml_keys_are_rejected_with_their_line()
    {
        var error = Rejects("schema: custodes.assessment/v1\nframework: nist-sp800-171r2\norganization: X\nrequirements:\n  3.1.1: met\n  3.1.1: not-met\n", "a.yaml");
        Assert.Equal(6, error.Line);
        Assert.Contains("duplicate key", error.Message);
    }

    [Fact]
    public void Malformed_yaml_names_the_line()
    {
        var error = Rejects("schema: custodes.assessment/v1\nframework: [unclosed\norganization: X\n", "a.yaml");
        Assert.StartsWith("malformed YAML", error.Message);
        Assert.NotNull(error.Line);
    }

    [Fact]
    public void Oversized_documents_are_rejected()
    {
        var big = new byte[AssessmentFile.MaxBytes + 1];
        var error = Assert.Throws<BadInputException>(() => AssessmentFile.Parse(big, "big.json"));
        Assert.Contains("at most", error.Message);
    }

    [Fact]
    public void Cmmc_practice_ids_are_accepted_and_normalized()
    {
        var a = Parse("""{"schema": "custodes.assessment/v1", "framework": "cmmc-l2", "organization": "X", "requirements": {"AC.L2-3.1.1": "met"}}""").Assessment;
        Assert.Equal(Status.Met, a.Requirements["3.1.1"].Status);
    }

    [Fact]
    public void The_same_requirement_under_two_ids_is_rejected()
    {
        var error = Rejects("""{"schema": "custodes.assessment/v1", "framework": "cmmc-l2", "organization": "X", "requirements": {"AC.L2-3.1.1": "met", "3.1.1": "met"}}""");
        Assert.Contains("given twice", error.Message);
    }

    [Fact]
    public void Describe_puts_file_line_and_path_first()
    {
        var error = Rejects("""{"schema": "custodes.assessment/v1", "framework": "nist-sp800-171r2", "organization": "X", "requirements": {"3.1.99": "met"}}""", "msp.json");
        Assert.StartsWith("msp.json:1: $.requirements['3.1.99']: unknown requirement", error.Describe());
    }
}
