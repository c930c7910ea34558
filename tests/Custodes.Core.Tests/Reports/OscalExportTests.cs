using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Custodes.Assessments;
using Custodes.Catalogs;
using Custodes.Common;
using Custodes.Core.Tests.Assessments;
using Custodes.Reports;
using Custodes.Reports.Oscal;
using static Custodes.Core.Tests.Reports.ReportFixtures;

namespace Custodes.Core.Tests.Reports;

public sealed class OscalExportTests
{
    /// <summary>The sample plus one assessment per framework, with gaps, N/A, partial credit and a POA&amp;M.</summary>
    private static IEnumerable<(string Name, ReportData Data)> Documents()
    {
        yield return ("sample", SampleData);
        foreach (var framework in Frameworks.All)
        {
            var catalog = CatalogSet.Get(framework);
            var first = catalog.Requirements[0].Id;
            var last = catalog.Requirements[^1].Id;
            var a = SampleAssessments.AllMet(framework, true, (first, Status.NotMet), (last, Status.NotApplicable)) with
            {
                Assessor = "Independent Assessors LLC",
                Poam = [new PoamItem { Id = first, PlannedCompletion = new DateOnly(2027, 1, 15), Milestones = "Fix it", Owner = "IT" }],
            };
            yield return (framework, ReportData.From(a));
        }
        // Nothing assessed at all still gives valid documents.
        yield return ("empty", ReportData.From(new Custodes.Assessments.Assessment { Framework = Frameworks.NistR2, Organization = "Empty Co", AssessedOn = new DateOnly(2026, 1, 2) }));
    }

    [Theory]
    [InlineData("ssp")]
    [InlineData("assessment-results")]
    [InlineData("poam")]
    public void Every_export_validates_against_the_OSCAL_1_2_1_schema(string model)
    {
        var dir = TempDir();
        try
        {
            var files = new List<string>();
            foreach (var (name, data) in Documents())
            {
                if (model == "poam" && data.Poam.Items.Count == 0) continue;
                var file = Path.Combine(dir, $"{name}-{model}.json");
                File.WriteAllBytes(file, Export(model, data));
                files.Add(file);
            }
            var results = ValidateOscal(Schema(model), files.ToArray());
            foreach (var file in files)
                Assert.True(results[file].Count == 0, $"{Path.GetFileName(file)}:\n{string.Join("\n", results[file].Take(20))}");
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void The_validator_rejects_a_broken_document()
    {
        var ar = JsonNode.Parse(OscalAssessmentResultsExport.Write(SampleData))!;
        ar["assessment-results"]!["metadata"]!.AsObject().Remove("title");
        ar["assessment-results"]!["uuid"] = "not-a-uuid";
        ar["assessment-results"]!["results"]![0]!["findings"]![0]!["target"]!["status"]!["state"] = "sort-of";
        var errors = ValidateOscal("assessment-results", JsonSerializer.SerializeToUtf8Bytes(ar));
        Assert.Contains(errors, e => e.Contains("title", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("not-a-uuid", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("sort-of", StringComparison.Ordinal));
    }

    [Fact]
    public void NISTs_own_examples_validate_with_the_same_validator()
    {
        var examples = Path.Combine(OscalReference, "examples");
        Assert.Empty(ValidateOscal(Schema("ssp"), Path.Combine(examples, "ssp-example.json")).Single().Value);
        Assert.Empty(ValidateOscal(Schema("assessment-results"), Path.Combine(examples, "ifa_assessment-results-example.json")).Single().Value);
        Assert.Empty(ValidateOscal(Schema("poam"), Path.Combine(examples, "ifa_plan-of-action-and-milestones.json")).Single().Value);
    }

    [Theory]
    [InlineData("ssp")]
    [InlineData("assessment-results")]
    [InlineData("poam")]
    public void Re_exporting_the_same_assessment_is_byte_identical(string model)
    {
        var first = Export(model, ReportData.From(DocumentFiles.ReadAssessment(SamplePath)));
        var second = Export(model, ReportData.From(DocumentFiles.ReadAssessment(SamplePath)));
        Assert.Equal(first, second);
    }

    [Fact]
    public void Uuids_are_version_5_and_change_with_the_organization()
    {
        var ar = Export("assessment-results", SampleData);
        var other = Export("assessment-results", ReportData.From(Sample.Assessment with { Organization = "Other MSP Inc" }));
        var uuid = JsonNode.Parse(ar)!["assessment-results"]!["uuid"]!.GetValue<string>();
        Assert.Equal('5', uuid[14]);
        Assert.NotEqual(uuid, JsonNode.Parse(other)!["assessment-results"]!["uuid"]!.GetValue<string>());
        Assert.Equal("2026-10-01T00:00:00Z", JsonNode.Parse(ar)!["assessment-results"]!["metadata"]!["last-modified"]!.GetValue<string>());
        Assert.Equal("3d1e4b0c-9c9b-5d74-a1a1-2a8a4a1b8bd0".Length, uuid.Length);
    }

    [Fact]
    public void Stable_uuid_matches_the_RFC_9562_version_5_test_vector()
    {
        // RFC 9562 appendix A.4: UUIDv5 of "www.example.com" in the DNS namespace.
        Assert.Equal("2ed6657d-e927-568b-95e1-2665a8aea6a2", StableUuid.Create(new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "www.example.com"));
    }

    [Fact]
    public void Assessment_results_carry_score_cmmc_findings_objectives_and_evidence()
    {
        var root = JsonNode.Parse(OscalAssessmentResultsExport.Write(SampleData))!["assessment-results"]!;
        var result = root["results"]![0]!;
        var props = result["props"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["value"]!.GetValue<string>());
        Assert.Equal("101", props["sprs-score"]);
        Assert.Equal("final", props["cmmc-level1-status"]);
        Assert.Equal("no-status", props["cmmc-level2-status"]);
        Assert.Equal(110, result["reviewed-controls"]!["control-selections"]![0]!["include-controls"]!.AsArray().Count);

        var findings = result["findings"]!.AsArray();
        var mfa = findings.Single(f => f!["target"]!["target-id"]!.GetValue<string>() == "SP_800_171_3.5.3_smt")!;
        Assert.Equal("not-satisfied", mfa["target"]!["status"]!["state"]!.GetValue<string>());
        Assert.Contains(mfa["target"]!["props"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "partial" && p["value"]!.GetValue<string>() == "mfa-remote-and-privileged-only");
        var objective = findings.Single(f => f!["target"]!["target-id"]!.GetValue<string>() == "SP_800_171_3.1.3_obj.d")!;
        Assert.Equal("objective-id", objective["target"]!["type"]!.GetValue<string>());
        Assert.Equal("not-satisfied", objective["target"]!["status"]!["state"]!.GetValue<string>());
        var na = findings.Single(f => f!["target"]!["target-id"]!.GetValue<string>() == "SP_800_171_3.1.22_smt")!;
        Assert.Equal("satisfied", na["target"]!["status"]!["state"]!.GetValue<string>());

        var observations = result["observations"]!.AsArray();
        Assert.Contains(observations, o => o!["relevant-evidence"] is JsonArray e && e.Any(x => x!["href"]?.GetValue<string>().StartsWith("sha256:", StringComparison.Ordinal) == true));
        Assert.All(observations, o => Assert.All(o!["methods"]!.AsArray(), m => Assert.Contains(m!.GetValue<string>(), new[] { "EXAMINE", "INTERVIEW", "TEST", "UNKNOWN" })));
        Assert.Equal(5, result["risks"]!.AsArray().Count);
    }

    [Fact]
    public void Poam_items_have_milestones_and_the_CMMC_closeout_as_deadline()
    {
        var root = JsonNode.Parse(OscalPoamExport.Write(SampleData))!["plan-of-action-and-milestones"]!;
        var unmet = SampleData.Score.Counts.NotMet + SampleData.Score.Counts.Unassessed;
        Assert.Equal(unmet, root["poam-items"]!.AsArray().Count);
        var risk = root["risks"]!.AsArray().Single(r => r!["title"]!.GetValue<string>().StartsWith("3.4.9", StringComparison.Ordinal))!;
        Assert.Equal("2027-03-30T00:00:00Z", risk["deadline"]!.GetValue<string>());
        Assert.Equal("2026-12-01T00:00:00Z", risk["remediations"]![0]!["tasks"]![0]!["timing"]!["on-date"]!["date"]!.GetValue<string>());
        var mfa = root["poam-items"]!.AsArray().Single(i => i!["title"]!.GetValue<string>().StartsWith("3.5.3", StringComparison.Ordinal))!;
        Assert.Contains(mfa["props"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "cmmc-poam-eligible" && p["value"]!.GetValue<string>() == "false");
        Assert.NotNull(mfa["related-findings"]);
        Assert.NotNull(mfa["related-risks"]);
    }

    [Fact]
    public void R3_control_ids_are_those_of_NISTs_r3_catalog()
    {
        var xml = XDocument.Load(Path.Combine(OscalReference, "NIST_SP800-171_rev3_catalog.xml"));
        var ids = xml.Descendants().Where(e => e.Name.LocalName == "control").Select(e => (string)e.Attribute("id")!).ToHashSet();
        var parts = xml.Descendants().Where(e => e.Name.LocalName == "part").Select(e => (string?)e.Attribute("id")).ToHashSet();
        var data = ReportData.From(SampleAssessments.AllMet(Frameworks.NistR3));
        var ssp = JsonNode.Parse(OscalSspExport.Write(data))!["system-security-plan"]!;
        var controlIds = ssp["control-implementation"]!["implemented-requirements"]!.AsArray().Select(r => r!["control-id"]!.GetValue<string>()).ToArray();
        Assert.Equal(97, controlIds.Length);
        Assert.All(controlIds, id => Assert.Contains(id, ids));
        Assert.Contains("SP_800_171_03.01.01", controlIds);
        var ar = JsonNode.Parse(OscalAssessmentResultsExport.Write(data))!["assessment-results"]!;
        Assert.All(ar["results"]![0]!["findings"]!.AsArray(), f => Assert.Contains(f!["target"]!["target-id"]!.GetValue<string>(), parts));
    }

    [Fact]
    public void Ssp_has_one_implemented_requirement_per_requirement_with_status_and_system_description()
    {
        var ssp = JsonNode.Parse(OscalSspExport.Write(SampleData))!["system-security-plan"]!;
        var reqs = ssp["control-implementation"]!["implemented-requirements"]!.AsArray();
        Assert.Equal(110, reqs.Count);
        var mfa = reqs.Single(r => r!["control-id"]!.GetValue<string>() == "SP_800_171_3.5.3")!;
        Assert.Equal("partial", mfa["by-components"]![0]!["implementation-status"]!["state"]!.GetValue<string>());
        Assert.StartsWith("Example MSP LLC provides managed IT services", ssp["system-characteristics"]!["description"]!.GetValue<string>());
        Assert.Equal("moderate", ssp["system-characteristics"]!["security-sensitivity-level"]!.GetValue<string>());
        Assert.Contains(ssp["metadata"]!["parties"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "Example MSP LLC");
    }

    [Fact]
    public void A_poam_export_of_an_assessment_with_everything_met_is_bad_input_because_OSCAL_requires_one_item()
    {
        var e = Assert.Throws<BadInputException>(() => OscalPoamExport.Write(ReportData.From(SampleAssessments.AllMet(Frameworks.NistR2))));
        Assert.Equal("$.requirements", e.Path);
    }

    [Fact]
    public void A_poam_export_without_written_plans_still_lists_every_unmet_requirement()
    {
        var root = JsonNode.Parse(OscalPoamExport.Write(ReportData.From(Sample.Assessment with { Poam = [] })))!["plan-of-action-and-milestones"]!;
        Assert.Equal(SampleData.Poam.Items.Count, root["poam-items"]!.AsArray().Count);
    }

    [Fact]
    public void An_assessment_without_a_date_cannot_be_exported_to_OSCAL()
    {
        var e = Assert.Throws<BadInputException>(() => OscalAssessmentResultsExport.Write(ReportData.From(Sample.Assessment with { AssessedOn = null })));
        Assert.Equal("$.assessed_on", e.Path);
    }

    internal static byte[] Export(string model, ReportData data) => model switch
    {
        "ssp" => OscalSspExport.Write(data),
        "assessment-results" => OscalAssessmentResultsExport.Write(data),
        _ => OscalPoamExport.Write(data),
    };
}
