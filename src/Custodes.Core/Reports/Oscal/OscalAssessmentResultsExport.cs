using System.Globalization;
using Custodes.Assessments.Scoring;

namespace Custodes.Reports.Oscal;

/// <summary>Writes OSCAL 1.2.1 <c>assessment-results</c>: one result with the reviewed controls, observations (methods, evidence), risks and findings, and the SPRS score and CMMC status as properties.</summary>
public static class OscalAssessmentResultsExport
{
    public static byte[] Write(ReportData data)
    {
        using var o = new OscalWriter(data);
        var w = o.W;
        var a = data.Assessment;
        var score = data.Score;
        w.WriteStartObject();
        w.WriteStartObject("assessment-results");
        w.WriteString("uuid", o.Uuid("assessment-results"));
        o.Metadata($"Assessment Results: {OscalWriter.Clean(a.Organization)}, {data.Catalog.Title}");
        w.WriteStartObject("import-ap");
        w.WriteString("href", "#" + o.Uuid("resource/assessment-plan"));
        w.WriteString("remarks", "The assessment followed the SP 800-171A procedures and the DoD Assessment Methodology v1.2.1; the plan is described in back-matter.");
        w.WriteEndObject();

        w.WriteStartArray("results");
        w.WriteStartObject();
        w.WriteString("uuid", o.Uuid("result"));
        w.WriteString("title", OscalWriter.Clean($"{data.Catalog.Title} assessment of {a.Organization}"));
        w.WriteString("description", $"Assessment of {a.Organization.Trim()} against {data.Catalog.Title} on {o.AssessedOn:yyyy-MM-dd}." +
            (string.IsNullOrWhiteSpace(a.Scope) ? "" : $"\n\nScope: {a.Scope.Trim()}"));
        w.WriteString("start", o.Timestamp);
        w.WriteString("end", o.Timestamp);
        w.WriteStartArray("props");
        ScoreProps(o, score);
        w.WriteEndArray();

        // The assessed system, which observations name as their subject.
        var ssp = new Ssp.SspContent(data);
        w.WriteStartObject("local-definitions");
        w.WriteStartArray("components");
        w.WriteStartObject();
        w.WriteString("uuid", o.ThisSystemComponent);
        w.WriteString("type", "this-system");
        w.WriteString("title", OscalWriter.Clean(ssp.SystemName));
        w.WriteString("description", ssp.Description);
        if (ssp.DescriptionIsDerived)
        {
            w.WriteStartArray("props");
            o.Prop("derived", "true");
            w.WriteEndArray();
        }
        w.WriteStartObject("status");
        w.WriteString("state", "operational");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();

        w.WriteStartObject("reviewed-controls");
        w.WriteStartArray("control-selections");
        w.WriteStartObject();
        w.WriteStartArray("include-controls");
        foreach (var r in data.Catalog.Requirements)
        {
            w.WriteStartObject();
            w.WriteString("control-id", OscalNames.ControlId(r));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();

        if (data.Rows.Any(r => OscalFindings.HasObservation(r.Finding) || r.Objectives.Any(x => OscalFindings.HasObservation(x.Finding))))
        {
            w.WriteStartArray("observations");
            OscalFindings.Observations(o, data.Rows);
            w.WriteEndArray();
        }
        if (data.Rows.Any(r => r.Status == Assessments.Status.NotMet))
        {
            w.WriteStartArray("risks");
            OscalFindings.Risks(o, data.Rows, poam: false);
            w.WriteEndArray();
        }
        if (data.Rows.Any(r => r.Status != Assessments.Status.Unassessed || r.Objectives.Any(x => x.Status != Assessments.Status.Unassessed)))
        {
            w.WriteStartArray("findings");
            OscalFindings.Findings(o, data.Rows);
            w.WriteEndArray();
        }
        if (score.Errors.Count > 0) w.WriteString("remarks", string.Join("\n\n", score.Errors));
        w.WriteEndObject();
        w.WriteEndArray();

        o.BackMatter(() =>
        {
            w.WriteStartObject();
            w.WriteString("uuid", o.Uuid("resource/assessment-plan"));
            w.WriteString("title", "Assessment plan: NIST SP 800-171A procedures and DoD Assessment Methodology v1.2.1");
            w.WriteString("description", "Each requirement was assessed by examining documents and artifacts, interviewing personnel and testing mechanisms (SP 800-171A), and scored by the DoD Assessment Methodology v1.2.1; CMMC status follows 32 CFR 170.21 and 170.24.");
            o.Rlinks((OscalNames.Sp800171AUrl, "text/html"));
            w.WriteEndObject();
        });
        w.WriteEndObject();
        w.WriteEndObject();
        return o.ToBytes();
    }

    private static void ScoreProps(OscalWriter o, ScoreReport score)
    {
        string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
        if (score.Score is { } s) o.Prop("sprs-score", Int(s), @class: "dod-assessment-methodology-v1.2.1");
        o.Prop("sprs-score-max", Int(score.Max));
        o.Prop("score-complete", score.Complete ? "true" : "false");
        o.Prop("met", Int(score.Counts.Met));
        o.Prop("not-met", Int(score.Counts.NotMet));
        o.Prop("not-applicable", Int(score.Counts.NotApplicable));
        o.Prop("unassessed", Int(score.Counts.Unassessed));
        o.Prop("cmmc-level1-status", score.Cmmc.Level1.Status);
        o.Prop("cmmc-level2-status", score.Cmmc.Level2.Status);
        if (score.Cmmc.Level2.CloseoutDue is { } due) o.Prop("cmmc-closeout-due", due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        foreach (var id in score.Cmmc.Level2.PoamIneligible) o.Prop("cmmc-poam-ineligible", id);
    }
}
