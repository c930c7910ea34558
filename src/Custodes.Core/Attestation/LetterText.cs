using System.Globalization;
using System.Text;
using System.Text.Json;
using Custodes.Transparency;

namespace Custodes.Attestation;

/// <summary>The human text of a letter of attestation, written from its facts so that the signed words and numbers always agree.</summary>
public static class LetterText
{
    public const string DefaultLimitations =
        "This letter reports the result of an assessment at a point in time, based on the evidence examined, the personnel interviewed " +
        "and the mechanisms tested during the assessment within the stated scope. It does not guarantee that the organization's " +
        "controls will operate effectively in the future, does not cover systems outside the scope, and is not a CMMC certification " +
        "issued through the CMMC eMASS by a C3PAO unless the assessor states so.";

    public const string DefaultIndependence =
        "The assessor is independent of the assessed organization: it has no ownership interest in it, did not design, implement or " +
        "operate the controls it assessed, and its fee does not depend on the result.";

    /// <summary>Framework ids as a person reads them.</summary>
    public static string FrameworkTitle(string framework) => framework switch
    {
        "nist-sp800-171r2" => "NIST SP 800-171 Revision 2 (110 security requirements, assessed with the objectives of SP 800-171A)",
        "nist-sp800-171r3" => "NIST SP 800-171 Revision 3 (97 security requirements)",
        "cmmc-l1" => "CMMC Level 1 (the 17 requirements of FAR 52.204-21)",
        "cmmc-l2" => "CMMC Level 2 (the 110 requirements of NIST SP 800-171 Revision 2)",
        _ => framework,
    };

    /// <summary>CMMC status in words, from the <c>cmmc</c> JSON of the score.</summary>
    public static string CmmcSummary(JsonElement cmmc)
    {
        string Level(string name) => cmmc.ValueKind == JsonValueKind.Object && cmmc.TryGetProperty(name, out var level)
            && level.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String ? status.GetString()! : "no-status";
        var level1 = Level("level1");
        var level2 = Level("level2");
        var closeout = cmmc.ValueKind == JsonValueKind.Object && cmmc.TryGetProperty("level2", out var l2) && l2.TryGetProperty("closeout_due", out var due) && due.ValueKind == JsonValueKind.String ? due.GetString() : null;
        var one = level1 == "final" ? "Level 1: Final (all 17 Level 1 requirements met)" : "Level 1: no status (not every Level 1 requirement is met)";
        var two = level2 switch
        {
            "final" => "Level 2: Final (all 110 requirements met)",
            "conditional" => $"Level 2: Conditional (open POA&M items must be closed{(closeout is null ? "" : $" by {closeout}")})",
            _ => "Level 2: no status",
        };
        return $"{one}; {two}.";
    }

    /// <summary>The letter's statement: who attests what about whom, the result, its period, its limits and the firm's independence.</summary>
    public static string Compose(LetterPredicate facts)
    {
        var counts = facts.Counts;
        int Count(string name) => counts.ValueKind == JsonValueKind.Object && counts.TryGetProperty(name, out var v) && v.TryGetInt32(out var n) ? n : 0;
        var score = facts.Score.ValueKind == JsonValueKind.Number ? facts.Score.GetInt32().ToString(CultureInfo.InvariantCulture) : "none";
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{facts.Issuer} (the assessor) assessed {facts.SubjectOrganization} against {FrameworkTitle(facts.Framework)}, ");
        text.Append(CultureInfo.InvariantCulture, $"completing the assessment on {facts.AssessedOn:yyyy-MM-dd}.\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Scope: {facts.Scope}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Result: a score of {score} out of 110 under the DoD Assessment Methodology v1.2.1 ");
        text.Append(CultureInfo.InvariantCulture, $"({Count("met")} requirements met, {Count("not_met")} not met, {Count("not_applicable")} not applicable).\n\n");
        text.Append(CultureInfo.InvariantCulture, $"CMMC status: {CmmcSummary(facts.Cmmc)}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Period: this letter was issued on {facts.IssuedAt.UtcDateTime:yyyy-MM-dd} and is valid until {facts.ValidUntil.UtcDateTime:yyyy-MM-dd} unless the assessor revokes it earlier; ");
        text.Append("its current status is public in the assessor's transparency log.\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Limitations: {facts.Limitations ?? DefaultLimitations}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Independence: {facts.Independence ?? DefaultIndependence}");
        return text.ToString();
    }
}
