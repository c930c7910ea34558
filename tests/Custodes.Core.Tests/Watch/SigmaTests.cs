using Custodes.Common;
using Custodes.Watch.Detection;
using Custodes.Watch.Events;
using Custodes.Watch.Sigma;
using static Custodes.Core.Tests.Watch.Ev;

namespace Custodes.Core.Tests.Watch;

public sealed class SigmaTests
{
    private const string CertutilRule = """
        title: Certutil decode pushed through an RMM
        id: 7d3c1f4e-2a41-4b8e-9a51-3c1f1e0b9a77
        level: high
        logsource: {product: custodes, service: rmm}
        detection:
          selection_action:
            action: script.run
          selection_cmd:
            detail.command_line|contains|all: [certutil, -decode]
          filter_lab:
            tenant|startswith: lab-
          condition: all of selection_* and not filter_lab
        """;

    private static SigmaRule One(string yaml) => Assert.Single(SigmaLoader.Parse(yaml, "rule.yml"));

    [Fact]
    public void A_rule_matches_normalized_fields_with_modifiers()
    {
        var rule = One(CertutilRule);
        Assert.Equal("sigma:7d3c1f4e-2a41-4b8e-9a51-3c1f1e0b9a77", rule.RuleId);
        Assert.Equal(Severity.High, rule.Level);
        Assert.True(rule.Matches(Command("dental-001", Day, @"C:\Windows\cert.exe -decode c:\kworking\agent.crt c:\kworking\agent.exe & certutil")));
        Assert.False(rule.Matches(Command("dental-001", Day, "certutil -hashfile x SHA256")));
        Assert.False(rule.Matches(Command("lab-001", Day, "certutil -decode a b")));
    }

    [Fact]
    public void A_match_becomes_an_alert_with_the_sigma_rule_id()
    {
        var rules = SigmaLoader.Parse(CertutilRule, "rule.yml");
        var engine = new DetectionEngine(sigma: rules);
        var alerts = engine.Run([Command("dental-001", Day, "certutil -decode a b"), Command("dental-002", Day.AddMinutes(1), "certutil.exe -decode c d")]);
        var alert = Assert.Single(alerts, a => a.Rule.StartsWith("sigma:", StringComparison.Ordinal));
        Assert.Equal(["dental-001", "dental-002"], alert.Tenants);
        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal("Certutil decode pushed through an RMM", alert.Subject);
    }

    [Theory]
    [InlineData("selection", "actor: tech7", true)]
    [InlineData("selection", "actor: TECH7", true)]
    [InlineData("selection", "actor|cased: TECH7", false)]
    [InlineData("selection", "actor: tech*", true)]
    [InlineData("selection", "actor: tech?", true)]
    [InlineData("selection", "actor: [alice, tech7]", true)]
    [InlineData("selection", "detail.script|endswith: '0829'", true)]
    [InlineData("selection", "script|startswith: maint", true)]
    [InlineData("selection", "detail.script|re: '^Maint-\\d{4}$'", true)]
    [InlineData("selection", "detail.script|re: '^maint'", false)]
    [InlineData("selection", "detail.script|re|i: '^maint'", true)]
    [InlineData("selection", "actor_ip|cidr: 203.0.113.0/24", true)]
    [InlineData("selection", "target: null", true)]
    [InlineData("selection", "tenant|exists: false", false)]
    [InlineData("selection", "detail.command_line|exists: false", true)]
    [InlineData("1 of selection*", "actor: nobody", false)]
    public void Field_modifiers_follow_the_sigma_specification(string condition, string field, bool matches)
    {
        var yaml = $"title: t\nid: x\ndetection:\n  selection_a:\n    {field}\n  selection:\n    {field}\n  condition: {condition}\n";
        var e = Make(EventActions.ScriptRun, Day, ip: "203.0.113.9", detail: (DetailKeys.Script, "Maint-0829"));
        Assert.Equal(matches, One(yaml).Matches(e));
    }

    [Theory]
    [InlineData("a or b", true)]
    [InlineData("a and b", false)]
    [InlineData("a and not b", true)]
    [InlineData("not (a or b)", false)]
    [InlineData("1 of them", true)]
    [InlineData("all of them", false)]
    [InlineData("(a and c) or b", true)]
    public void Conditions_combine_selections(string condition, bool matches)
    {
        var yaml = $"title: t\nid: x\ndetection:\n  a: {{action: script.run}}\n  b: {{action: login.success}}\n  c: {{actor: tech7}}\n  condition: {condition}\n";
        Assert.Equal(matches, One(yaml).Matches(Script("dental-001", Day)));
    }

    [Fact]
    public void A_list_of_maps_is_or_and_a_list_of_strings_is_keywords()
    {
        var yaml = "title: t\nid: x\ndetection:\n  sel:\n    - {actor: alice}\n    - {actor: tech7}\n  kw: [maint-08]\n  condition: sel and kw\n";
        Assert.True(One(yaml).Matches(Script("dental-001", Day)));
    }

    [Theory]
    [InlineData("detection:\n  sel: {actor|base64offset: x}\n  condition: sel", "modifier")]
    [InlineData("detection:\n  sel: {actor: x}\n  condition: sel | count() > 5", "aggregation")]
    [InlineData("detection:\n  sel: {actor: x}\n  condition: sel and other", "other")]
    [InlineData("detection:\n  sel: {actor: x}", "condition")]
    [InlineData("detection:\n  sel: {actor|re: '(unclosed'}\n  condition: sel", "re")]
    public void Unsupported_or_broken_rules_are_bad_input(string detection, string mentions)
    {
        var e = Assert.Throws<BadInputException>(() => SigmaLoader.Parse($"title: t\nid: x\n{detection}\n", "bad.yml"));
        Assert.Equal("bad.yml", e.File);
        Assert.Contains(mentions, e.Message + e.Path, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Rules_load_from_a_directory_and_ids_must_be_unique()
    {
        var dir = Directory.CreateTempSubdirectory("sigma");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "a.yml"), CertutilRule);
            File.WriteAllText(Path.Combine(dir.FullName, "b.yaml"), "title: Second\nid: second\ndetection:\n  s: {action: mfa.disabled}\n  condition: s\n");
            File.WriteAllText(Path.Combine(dir.FullName, "notes.txt"), "not a rule");
            Assert.Equal(2, DocumentFiles.ReadSigmaRules([dir.FullName]).Count);
            File.WriteAllText(Path.Combine(dir.FullName, "c.yml"), "title: Again\nid: second\ndetection:\n  s: {action: x}\n  condition: s\n");
            Assert.Throws<BadInputException>(() => DocumentFiles.ReadSigmaRules([dir.FullName]));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
