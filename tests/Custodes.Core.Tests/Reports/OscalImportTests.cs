using System.Text;
using System.Text.Json.Nodes;
using Custodes.Assessments;
using Custodes.Catalogs;
using Custodes.Common;
using Custodes.Reports;
using Custodes.Reports.Oscal;
using static Custodes.Core.Tests.Reports.ReportFixtures;

namespace Custodes.Core.Tests.Reports;

public sealed class OscalImportTests
{
    private static string Json(Custodes.Assessments.Assessment a) => Encoding.UTF8.GetString(AssessmentFile.ToJson(a));

    private static Custodes.Assessments.Assessment Import(byte[] bytes) => OscalImport.Read(bytes, "in.json");

    private static BadInputException Rejects(string json) => Assert.Throws<BadInputException>(() => Import(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void Assessment_results_import_back_to_the_same_findings_objectives_evidence_and_methods()
    {
        var imported = Import(OscalAssessmentResultsExport.Write(SampleData));
        // Assessment results carry no POA&M; everything else comes back exactly.
        Assert.Equal(Json(Sample.Assessment with { Poam = [] }), Json(imported));
    }

    [Fact]
    public void Ssp_imports_statuses_partial_credit_notes_scope_and_system_description()
    {
        var imported = Import(OscalSspExport.Write(SampleData));
        var resolution = Resolution.Resolve(imported);
        for (var i = 0; i < SampleData.Rows.Count; i++)
            Assert.Equal(SampleData.Rows[i].Status, resolution.Statuses[i]);
        Assert.Equal(PartialValues.MfaRemoteAndPrivilegedOnly, imported.Requirements["3.5.3"].Partial);
        Assert.Equal(Sample.Assessment.Requirements["3.4.9"].Note, imported.Requirements["3.4.9"].Note);
        Assert.Equal(Sample.Assessment.Scope, imported.Scope);
        Assert.Equal(Sample.Assessment.System, imported.System);
        Assert.Equal("Independent Assessors LLC", imported.Assessor);
        Assert.Equal(new DateOnly(2026, 10, 1), imported.AssessedOn);
        Assert.True(imported.Ssp);
        Assert.Equal(101, Custodes.Assessments.Scoring.ScoreAssessment.Score(imported).Score);
    }

    [Theory]
    [InlineData(Frameworks.NistR3)]
    [InlineData(Frameworks.CmmcL1)]
    [InlineData(Frameworks.CmmcL2)]
    public void Every_framework_round_trips_through_assessment_results(string framework)
    {
        var a = Core.Tests.Assessments.SampleAssessments.AllMet(framework, true, (CatalogSet.Get(framework).Requirements[2].Id, Status.NotMet));
        var imported = Import(OscalAssessmentResultsExport.Write(ReportData.From(a)));
        Assert.Equal(framework, imported.Framework);
        Assert.Equal(Json(a), Json(imported));
    }

    [Fact]
    public void A_foreign_ssp_without_custodes_properties_reads_OSCAL_implementation_status()
    {
        var json = """
            {"system-security-plan": {"uuid": "0b0d2f52-3b5f-4a6a-9d53-8c3a7e1d6f10",
              "metadata": {"title": "SSP", "last-modified": "2026-05-04T10:00:00-04:00", "version": "3", "oscal-version": "1.1.2",
                "parties": [{"uuid": "a7f0b1c2-1111-4222-8333-944455556666", "type": "organization", "name": "Acme Defense Parts"}]},
              "import-profile": {"href": "#x"},
              "system-characteristics": {"system-ids": [{"id": "x"}], "system-name": "Acme", "description": "Shop floor network.",
                "system-information": {"information-types": []}, "status": {"state": "operational"},
                "authorization-boundary": {"description": "Plant 2 OT and IT"}},
              "system-implementation": {"components": []},
              "control-implementation": {"description": "x", "implemented-requirements": [
                {"uuid": "1", "control-id": "3.1.1", "by-components": [{"component-uuid": "c", "uuid": "2", "description": "AD", "implementation-status": {"state": "implemented"}}]},
                {"uuid": "3", "control-id": "SP_800_171_3.1.2", "by-components": [{"component-uuid": "c", "uuid": "4", "description": "x", "implementation-status": {"state": "planned"}}]},
                {"uuid": "5", "control-id": "AC.L2-3.1.22", "props": [{"name": "implementation-status", "value": "not-applicable"}]},
                {"uuid": "6", "control-id": "3.1.3", "by-components": [{"component-uuid": "c", "uuid": "7", "description": "x", "implementation-status": {"state": "alternative"}}]},
                {"uuid": "8", "control-id": "3.1.4"}
              ]}}}
            """;
        var a = Import(Encoding.UTF8.GetBytes(json));
        Assert.Equal(Frameworks.NistR2, a.Framework);
        Assert.Equal("Acme Defense Parts", a.Organization);
        Assert.Equal("Plant 2 OT and IT", a.Scope);
        Assert.Equal(new DateOnly(2026, 5, 4), a.AssessedOn);
        Assert.Equal(Status.Met, a.Requirements["3.1.1"].Status);
        Assert.Equal(Status.NotMet, a.Requirements["3.1.2"].Status);
        Assert.Equal(Status.NotApplicable, a.Requirements["3.1.22"].Status);
        Assert.Equal(Status.Met, a.Requirements["3.1.3"].Status);
        Assert.Contains("alternative", a.Requirements["3.1.3"].Note);
        Assert.False(a.Requirements.ContainsKey("3.1.4"));
    }

    [Fact]
    public void Another_OSCAL_model_is_rejected_naming_it()
    {
        var e = Assert.Throws<BadInputException>(() => Import(OscalPoamExport.Write(SampleData)));
        Assert.Equal("$['plan-of-action-and-milestones']", e.Path);
        Assert.Contains("plan-of-action-and-milestones", e.Message);
        Assert.Equal("in.json", e.File);
    }

    [Fact]
    public void A_document_that_is_not_OSCAL_is_rejected_at_the_root()
    {
        var e = Rejects("""{"schema": "custodes.assessment/v1"}""");
        Assert.Equal("$", e.Path);
    }

    [Theory]
    [InlineData("2.0.0")]
    [InlineData("1.0.0-milestone3")]
    [InlineData("0.9")]
    public void An_unsupported_OSCAL_version_is_rejected_at_its_path(string version)
    {
        var doc = JsonNode.Parse(OscalAssessmentResultsExport.Write(SampleData))!;
        doc["assessment-results"]!["metadata"]!["oscal-version"] = version;
        var e = Rejects(doc.ToJsonString());
        Assert.Equal("$['assessment-results'].metadata['oscal-version']", e.Path);
        Assert.Contains(version, e.Message);
    }

    [Fact]
    public void NISTs_1_1_2_examples_are_read_but_their_800_53_controls_are_not_800_171_requirements()
    {
        var e = Assert.Throws<BadInputException>(() => DocumentFiles.ReadOscal(Path.Combine(OscalReference, "examples", "ssp-example.json")));
        Assert.EndsWith("['control-id']", e.Path);
        Assert.Contains("unknown control", e.Message);
        Assert.NotNull(e.Line);
        var ar = Assert.Throws<BadInputException>(() => DocumentFiles.ReadOscal(Path.Combine(OscalReference, "examples", "ifa_assessment-results-example.json")));
        Assert.EndsWith("['target-id']", ar.Path);
    }

    [Fact]
    public void An_unknown_target_or_bad_status_is_rejected_and_nothing_is_returned()
    {
        var doc = JsonNode.Parse(OscalAssessmentResultsExport.Write(SampleData))!;
        var findings = doc["assessment-results"]!["results"]![0]!["findings"]!;
        findings[3]!["target"]!["target-id"] = "SP_800_171_3.99.1_smt";
        var e = Rejects(doc.ToJsonString());
        Assert.Equal("$['assessment-results'].results[0].findings[3].target['target-id']", e.Path);

        doc = JsonNode.Parse(OscalAssessmentResultsExport.Write(SampleData))!;
        doc["assessment-results"]!["results"]![0]!["findings"]![5]!["target"]!["props"]![0]!["value"] = "kind-of";
        Assert.Contains("kind-of", Rejects(doc.ToJsonString()).Message);
    }

    [Fact]
    public void A_requirement_contradicting_its_objectives_is_rejected_at_the_finding()
    {
        var doc = JsonNode.Parse(OscalAssessmentResultsExport.Write(SampleData))!;
        var findings = doc["assessment-results"]!["results"]![0]!["findings"]!.AsArray();
        var index = findings.ToList().FindIndex(f => f!["target"]!["target-id"]!.GetValue<string>() == "SP_800_171_3.1.3_smt");
        var target = findings[index]!["target"]!;
        target["props"] = new JsonArray(new JsonObject { ["name"] = "assessment-status", ["ns"] = OscalNames.Ns, ["value"] = "met" });
        var e = Rejects(doc.ToJsonString());
        Assert.Contains("contradicts", e.Message);
        Assert.Equal($"$['assessment-results'].results[0].findings[{index}]", e.Path);
    }
}
