using Custodes.Catalogs;
using Custodes.Common;
using Custodes.Watch.Detection;
using Custodes.Watch.Sigma;
using static Custodes.Core.Tests.Watch.Ev;

namespace Custodes.Core.Tests.Watch;

public sealed class RuleRequirementsTests
{
    public static TheoryData<string> Rules => [.. RuleIds.All];

    [Theory, MemberData(nameof(Rules))]
    public void Every_rule_names_requirements_that_exist_in_the_catalog_each_with_why_and_plain_words(string rule)
    {
        var catalog = CatalogSet.Get(Frameworks.NistR2);
        var links = RuleRequirements.Explain(rule);
        Assert.NotEmpty(links);
        foreach (var link in links)
        {
            Assert.True(catalog.Find(link.Id) is not null, $"{rule} names {link.Id}, which is not in {Frameworks.NistR2}");
            Assert.False(string.IsNullOrWhiteSpace(link.Why));
        }
        Assert.Equal(links.Select(l => l.Id), RuleRequirements.For(rule));
        Assert.NotEqual(rule, RuleRequirements.Title(rule));
        Assert.DoesNotContain(rule, RuleRequirements.Meaning(rule), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RuleIds.MfaDisabled, new[] { "3.5.3" })]
    [InlineData(RuleIds.BackupDestruction, new[] { "3.8.9" })]
    [InlineData(RuleIds.UnapprovedRemoteTool, new[] { "3.4.8", "3.4.9" })]
    [InlineData(RuleIds.MassExecution, new[] { "3.1.7", "3.4.6" })]
    public void The_rules_the_issue_names_map_to_the_requirements_it_names(string rule, string[] requirements) =>
        Assert.Equal(requirements, RuleRequirements.For(rule));

    [Fact]
    public void An_alert_carries_the_requirements_of_its_rule()
    {
        var alert = Assert.Single(Detect([Make("mfa.disabled", Day)]).Rule(RuleIds.MfaDisabled));
        Assert.Equal(["3.5.3"], alert.Requirements);
        Assert.Contains("\"requirements\":[\"3.5.3\"]", System.Text.Json.JsonSerializer.Serialize(alert, Json.Options), StringComparison.Ordinal);
    }

    [Fact]
    public void A_sigma_rule_names_its_requirements_and_its_alerts_carry_them_in_catalog_order()
    {
        var rules = SigmaLoader.Parse("title: Certutil decode\nid: certutil\nlevel: high\nrequirements: [3.14.2, 3.4.8, 3.4.8]\ndetection:\n  sel:\n    command_line|contains: certutil\n  condition: sel\n", "rule.yml");
        Assert.Equal(["3.4.8", "3.14.2"], Assert.Single(rules).Requirements);
        var alert = Assert.Single(new DetectionEngine(sigma: rules).Run([Command("dental-001", Day, "certutil -decode a b")]), a => a.Rule == "sigma:certutil");
        Assert.Equal(["3.4.8", "3.14.2"], alert.Requirements);
    }

    [Theory]
    [InlineData("requirements: [3.5.3, 3.99.1]", "$.requirements[1]", "3.99.1")]
    [InlineData("requirements: {id: 3.5.3}", "$.requirements", "list")]
    public void A_sigma_rule_naming_an_unknown_requirement_is_refused_where_it_is_named(string line, string path, string said)
    {
        var e = Assert.Throws<BadInputException>(() => SigmaLoader.Parse($"title: T\n{line}\ndetection:\n  sel:\n    actor: x\n  condition: sel\n", "rule.yml"));
        Assert.Equal(("rule.yml", path), (e.File, e.Path));
        Assert.Contains(said, e.Message, StringComparison.Ordinal);
    }
}
