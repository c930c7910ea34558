using System.Diagnostics;
using System.Text;
using Custodes.Assessments;
using Custodes.Common;
using Custodes.Common.Documents;
using Custodes.Watch.Detection;
using Custodes.Watch.Sigma;

namespace Custodes.Core.Tests.Common;

/// <summary>Every reader that builds a tree by recursion stops at <see cref="DocumentReader.MaxDepth"/>, before the stack runs out;
/// YAML aliases are refused, so a small file cannot expand into a huge tree. These bodies ended the process before the limit.</summary>
public sealed class DocumentLimitsTests
{
    // The attack from the security report: 'a: ' followed by 25,000 '[' and 25,000 ']'.
    private static readonly string DeepFlowYaml = "a: " + new string('[', 25_000) + new string(']', 25_000);

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string BlockYaml(int levels)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < levels; i++) sb.Append(' ', 2 * i).Append("k:\n");
        return sb.Append(' ', 2 * levels).Append("v: 1\n").ToString();
    }

    [Fact]
    public void Deeply_nested_flow_yaml_is_bad_input_naming_the_depth_the_path_and_the_line()
    {
        var e = Assert.Throws<BadInputException>(() => DocumentReader.Read(Utf8(DeepFlowYaml), "n.yaml"));
        Assert.Contains("nested more than 64 levels deep", e.Message);
        Assert.Equal("n.yaml", e.File);
        Assert.Equal(1, e.Line);
        // The root mapping is level 1, so the 64th '[' is the one too deep.
        Assert.Equal("$.a" + string.Concat(Enumerable.Repeat("[0]", 63)), e.Path);
    }

    [Fact]
    public void Flow_yaml_nested_exactly_64_levels_is_read()
    {
        var root = DocumentReader.Read(Utf8("a: " + new string('[', 63) + "x" + new string(']', 63)), "ok.yaml");
        DocNode node = root.AsMap().Get("a")!;
        for (var i = 0; i < 63; i++) node = Assert.Single(node.AsList().Items);
        Assert.Equal("x", node.AsString());
    }

    [Fact]
    public void Block_yaml_stops_at_64_levels_with_the_line_of_the_level_too_deep()
    {
        Assert.NotNull(DocumentReader.Read(Utf8(BlockYaml(63)), "ok.yaml"));
        var e = Assert.Throws<BadInputException>(() => DocumentReader.Read(Utf8(BlockYaml(64)), "deep.yaml"));
        Assert.Contains("64 levels", e.Message);
        // The 65th mapping is the one under the 64th 'k:'; it starts on the next line.
        Assert.Equal(65, e.Line);
        Assert.Equal("$" + string.Concat(Enumerable.Repeat(".k", 64)), e.Path);
        Assert.Throws<BadInputException>(() => DocumentReader.Read(Utf8(BlockYaml(1_000)), "deeper.yaml"));
    }

    [Fact]
    public void Json_has_the_same_limit_and_names_the_path_of_the_level_too_deep()
    {
        Assert.NotNull(DocumentReader.Read(Utf8(new string('[', 64) + new string(']', 64)), "ok.json"));
        var e = Assert.Throws<BadInputException>(() => DocumentReader.Read(Utf8("{\"a\": " + new string('[', 25_000) + new string(']', 25_000) + "}"), "n.json"));
        Assert.Contains("nested more than 64 levels deep", e.Message);
        Assert.Equal("$.a" + string.Concat(Enumerable.Repeat("[0]", 63)), e.Path);
        Assert.Equal(1, e.Line);
    }

    [Fact]
    public void An_assessment_file_nested_too_deeply_is_bad_input_not_a_crash()
    {
        var e = Assert.Throws<BadInputException>(() => AssessmentFile.Parse(Utf8(DeepFlowYaml), "n.yaml"));
        Assert.Contains("64 levels", e.Describe());
        Assert.StartsWith("n.yaml:1: $.a[0]", e.Describe());
    }

    [Fact]
    public void Anchors_are_read_and_aliases_are_refused_naming_the_alias()
    {
        var root = DocumentReader.Read(Utf8("a: &first [1, 2]\nb: 3\n"), "anchors.yaml").AsMap();
        Assert.Equal(2, root.Get("a")!.AsList().Items.Count);
        var e = Assert.Throws<BadInputException>(() => DocumentReader.Read(Utf8("a: &first [1, 2]\nb: *first\n"), "alias.yaml"));
        Assert.Contains("*first", e.Message);
        Assert.Equal("$.b", e.Path);
        Assert.Equal(2, e.Line);
    }

    // Nine levels of ten aliases each: a 1 KB file that names a billion strings when its aliases are expanded.
    private static string BillionLaughs()
    {
        var sb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var level = 'b'; level <= 'i'; level++)
        {
            var previous = (char)(level - 1);
            sb.Append(level).Append(": &").Append(level).Append(" [").Append(string.Join(",", Enumerable.Repeat($"*{previous}", 10))).Append("]\n");
        }
        return sb.ToString();
    }

    [Fact]
    public void A_billion_laughs_document_is_refused_at_its_first_alias()
    {
        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<BadInputException>(() => DocumentReader.Read(Utf8(BillionLaughs()), "lol.yaml"));
        Assert.Contains("aliases", e.Message);
        Assert.Equal(2, e.Line);
        var settings = Assert.Throws<BadInputException>(() => WatchSettings.Parse("approved_scripts: []\n" + BillionLaughs(), "settings.yaml"));
        Assert.Contains("aliases", settings.Message);
        var sigma = Assert.Throws<BadInputException>(() => SigmaLoader.Parse("title: t\ndetection:\n  condition: sel\n  sel:\n    x:\n" + Indent(BillionLaughs(), 6), "lol.yml"));
        Assert.Contains("aliases", sigma.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    private static string Indent(string text, int spaces) => string.Concat(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => new string(' ', spaces) + l + "\n"));

    [Fact]
    public void Watch_settings_nested_too_deeply_are_bad_input_in_yaml_and_in_json()
    {
        var yaml = Assert.Throws<BadInputException>(() => WatchSettings.Parse(DeepFlowYaml, "settings.yaml"));
        Assert.Contains("nested more than 64 levels deep", yaml.Message);
        Assert.Equal("settings.yaml", yaml.File);
        Assert.Equal(1, yaml.Line);
        Assert.StartsWith("$.a[0][0]", yaml.Path);
        Assert.Throws<BadInputException>(() => WatchSettings.Parse(BlockYaml(500), "settings.yaml"));
        var json = Assert.Throws<BadInputException>(() => WatchSettings.Parse("{\"a\": " + new string('[', 25_000) + new string(']', 25_000) + "}", "settings.json"));
        Assert.Contains("64", json.Message);
    }

    [Fact]
    public void Sigma_rules_nested_too_deeply_are_bad_input()
    {
        var rule = "title: deep\ndetection:\n  condition: sel\n  sel:\n    x: " + new string('[', 25_000) + new string(']', 25_000) + "\n";
        var e = Assert.Throws<BadInputException>(() => SigmaLoader.Parse(rule, "deep.yml"));
        Assert.Contains("nested more than 64 levels deep", e.Message);
        Assert.Equal(5, e.Line);
    }

    [Fact]
    public void A_sigma_condition_nested_too_deeply_is_bad_input()
    {
        const string Selection = "  sel:\n    action: script.run\n";
        Assert.Single(SigmaLoader.Parse($"title: ok\ndetection:\n  condition: {new string('(', 60)}not sel{new string(')', 60)}\n{Selection}", "ok.yml"));
        var parens = Assert.Throws<BadInputException>(() =>
            SigmaLoader.Parse($"title: deep\ndetection:\n  condition: \"{new string('(', 25_000)}sel{new string(')', 25_000)}\"\n{Selection}", "deep.yml"));
        Assert.Contains("more than 64 levels deep", parens.Message);
        Assert.Equal("$.detection.condition", parens.Path);
        var nots = Assert.Throws<BadInputException>(() =>
            SigmaLoader.Parse($"title: deep\ndetection:\n  condition: {string.Concat(Enumerable.Repeat("not ", 25_000))}sel\n{Selection}", "deep.yml"));
        Assert.Contains("more than 64 levels deep", nots.Message);
    }
}
