using System.Globalization;
using Custodes.Assessments;

namespace Custodes.Reports.Oscal;

/// <summary>Observations, risks and findings of an assessment as OSCAL writes them in both assessment results and the POA&amp;M.</summary>
/// <remarks>
/// A finding per requirement with a determination targets the requirement's statement; a finding per assessed SP 800-171A objective
/// targets the objective. Each carries the exact Custodes status in an <c>assessment-status</c> property (with <c>partial</c>) next to
/// OSCAL's satisfied / not-satisfied, and the assessor's note as remarks. Evidence and methods go to an observation the finding links.
/// </remarks>
internal static class OscalFindings
{
    public static void Observations(OscalWriter o, IEnumerable<RequirementRow> rows)
    {
        foreach (var row in rows)
        {
            if (HasObservation(row.Finding)) Observation(o, row.Requirement.Id, row.Finding!, row.Requirement.Id);
            foreach (var objective in row.Objectives)
                if (HasObservation(objective.Finding)) Observation(o, objective.Objective.Id, objective.Finding!, objective.Objective.Id);
        }
    }

    public static bool HasObservation(Finding? finding) => finding is not null && (finding.Evidence.Count > 0 || finding.Methods.Count > 0);

    private static void Observation(OscalWriter o, string id, Finding finding, string label)
    {
        var w = o.W;
        w.WriteStartObject();
        w.WriteString("uuid", o.Uuid("observation/" + id));
        w.WriteString("title", $"Assessment of {label}");
        w.WriteString("description", finding.Methods.Count == 0
            ? $"Evidence recorded for {label}."
            : $"{label} assessed by {string.Join(", ", finding.Methods.Select(m => m.ToString().ToLowerInvariant()))}.");
        w.WriteStartArray("props");
        o.Prop("label", label, ns: false);
        w.WriteEndArray();
        w.WriteStartArray("methods");
        if (finding.Methods.Count == 0) w.WriteStringValue("UNKNOWN");
        foreach (var method in finding.Methods) w.WriteStringValue(OscalNames.Method(method));
        w.WriteEndArray();
        w.WriteStartArray("types");
        w.WriteStringValue("control-objective");
        w.WriteEndArray();
        w.WriteStartArray("subjects");
        w.WriteStartObject();
        w.WriteString("subject-uuid", o.ThisSystemComponent);
        w.WriteString("type", "component");
        w.WriteEndObject();
        w.WriteEndArray();
        if (finding.Evidence.Count > 0)
        {
            w.WriteStartArray("relevant-evidence");
            foreach (var evidence in finding.Evidence)
            {
                w.WriteStartObject();
                if (EvidenceReference.IsSha256(evidence))
                {
                    // sha256:<hex> is an absolute URI naming the evidence file by content; the evidence store resolves it.
                    w.WriteString("href", evidence);
                    w.WriteString("description", $"Evidence file with SHA-256 {evidence[EvidenceReference.Prefix.Length..]}.");
                }
                else
                {
                    w.WriteString("description", OscalWriter.Text(evidence, "-"));
                    w.WriteStartArray("props");
                    o.Prop("reference", evidence);
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteString("collected", o.Timestamp);
        w.WriteEndObject();
    }

    /// <summary>A risk per requirement not met; with <paramref name="poam"/> it also carries the CMMC closeout deadline and the planned remediation.</summary>
    public static void Risks(OscalWriter o, IEnumerable<RequirementRow> rows, bool poam)
    {
        var w = o.W;
        var closeout = o.Data.Score.Cmmc.Level2.CloseoutDue ?? Assessments.Poam.PoamRules.CloseoutDue(o.AssessedOn);
        foreach (var row in rows.Where(r => r.Status == Status.NotMet))
        {
            var r = row.Requirement;
            w.WriteStartObject();
            w.WriteString("uuid", o.Uuid("risk/" + r.Id));
            w.WriteString("title", OscalWriter.Clean($"{r.Id} not met"));
            w.WriteString("description", r.Text);
            w.WriteString("statement", OscalWriter.Text(row.Finding?.Note,
                $"Requirement {r.Id} is not met{(row.Deduction > 0 ? $"; {row.Deduction} points are subtracted from the SPRS score" : "")}."));
            w.WriteStartArray("props");
            o.RequirementProps(r);
            if (row.Deduction > 0) o.Prop("deduction", row.Deduction.ToString(CultureInfo.InvariantCulture));
            if (Frameworks(o)) o.Prop("cmmc-poam-eligible", Assessments.Poam.PoamRules.IsEligible(r, row.Partial) ? "true" : "false");
            w.WriteEndArray();
            w.WriteString("status", row.Poam?.Status switch
            {
                PoamStatus.InProgress => "remediating",
                _ => "open",
            });
            // Every item of a CMMC POA&M closes out by the same date, whether or not a plan is written yet.
            if (poam) w.WriteString("deadline", OscalNames.DateTime(closeout));
            if (poam && row.Poam is { } item)
            {
                w.WriteStartArray("remediations");
                w.WriteStartObject();
                w.WriteString("uuid", o.Uuid("remediation/" + r.Id));
                w.WriteString("lifecycle", item.Status == PoamStatus.Closed ? "completed" : "planned");
                w.WriteString("title", OscalWriter.Clean($"Remediation of {r.Id}"));
                w.WriteString("description", OscalWriter.Text(item.Milestones, $"Implement {r.Id}."));
                if (item.PlannedCompletion is not null || item.CompletedOn is not null)
                {
                    w.WriteStartArray("tasks");
                    if (item.PlannedCompletion is { } planned) Task(o, r.Id, "planned-completion", "Planned completion", OscalWriter.Text(item.Milestones, $"Implement {r.Id}."), planned);
                    if (item.CompletedOn is { } done) Task(o, r.Id, "completed", "Completed", $"Remediation of {r.Id} completed.", done);
                    w.WriteEndArray();
                }
                w.WriteEndObject();
                w.WriteEndArray();
            }
            if (HasObservation(row.Finding)) RelatedObservations(o, [r.Id]);
            w.WriteEndObject();
        }
    }

    private static bool Frameworks(OscalWriter o) => Catalogs.Frameworks.IsR2Based(o.Catalog.Framework);

    private static void Task(OscalWriter o, string id, string kind, string title, string description, DateOnly on)
    {
        var w = o.W;
        w.WriteStartObject();
        w.WriteString("uuid", o.Uuid($"task/{id}/{kind}"));
        w.WriteString("type", "milestone");
        w.WriteString("title", title);
        w.WriteString("description", description);
        w.WriteStartObject("timing");
        w.WriteStartObject("on-date");
        w.WriteString("date", OscalNames.DateTime(on));
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void Findings(OscalWriter o, IEnumerable<RequirementRow> rows)
    {
        foreach (var row in rows)
        {
            if (row.Status != Status.Unassessed) RequirementFinding(o, row);
            foreach (var objective in row.Objectives)
                if (objective.Status != Status.Unassessed) ObjectiveFinding(o, row, objective);
        }
    }

    private static void RequirementFinding(OscalWriter o, RequirementRow row)
    {
        var w = o.W;
        var r = row.Requirement;
        w.WriteStartObject();
        w.WriteString("uuid", o.Uuid("finding/" + r.Id));
        w.WriteString("title", OscalWriter.Clean($"{r.Id}: {StatusText(row.Status, row.Finding?.Partial)}"));
        w.WriteString("description", r.Text);
        w.WriteStartArray("props");
        o.RequirementProps(r);
        if (row.Deduction > 0) o.Prop("deduction", row.Deduction.ToString(CultureInfo.InvariantCulture));
        w.WriteEndArray();
        var derived = row.HasObjectiveFindings && (row.Finding is null || row.Finding.Status == Status.Unassessed);
        Target(o, "statement-id", OscalNames.StatementId(o.Catalog, r), row.Status, row.Finding?.Partial, derived);
        w.WriteString("implementation-statement-uuid", o.ImplementedRequirement(r));
        var observations = new List<string>();
        if (OscalFindings.HasObservation(row.Finding)) observations.Add(r.Id);
        observations.AddRange(row.Objectives.Where(x => HasObservation(x.Finding)).Select(x => x.Objective.Id));
        RelatedObservations(o, observations);
        if (row.Status == Status.NotMet)
        {
            w.WriteStartArray("related-risks");
            w.WriteStartObject();
            w.WriteString("risk-uuid", o.Uuid("risk/" + r.Id));
            w.WriteEndObject();
            w.WriteEndArray();
        }
        if (row.Finding?.Note is { } note && !string.IsNullOrWhiteSpace(note)) w.WriteString("remarks", note.Trim());
        w.WriteEndObject();
    }

    private static void ObjectiveFinding(OscalWriter o, RequirementRow row, ObjectiveRow objective)
    {
        var w = o.W;
        var id = objective.Objective.Id;
        w.WriteStartObject();
        w.WriteString("uuid", o.Uuid("finding/" + id));
        w.WriteString("title", OscalWriter.Clean($"{id}: {StatusText(objective.Status, null)}"));
        w.WriteString("description", $"Determine if {objective.Objective.Text.TrimEnd('.')}.");
        w.WriteStartArray("props");
        o.Prop("label", id, ns: false);
        w.WriteEndArray();
        Target(o, "objective-id", OscalNames.ObjectiveId(objective.Objective), objective.Status, null, derived: false);
        w.WriteString("implementation-statement-uuid", o.ImplementedRequirement(row.Requirement));
        if (HasObservation(objective.Finding)) RelatedObservations(o, [id]);
        if (objective.Finding?.Note is { } note && !string.IsNullOrWhiteSpace(note)) w.WriteString("remarks", note.Trim());
        w.WriteEndObject();
    }

    private static void Target(OscalWriter o, string type, string targetId, Status status, string? partial, bool derived)
    {
        var w = o.W;
        w.WriteStartObject("target");
        w.WriteString("type", type);
        w.WriteString("target-id", targetId);
        w.WriteStartArray("props");
        o.Prop("assessment-status", status.ToWire());
        if (partial is not null) o.Prop("partial", partial);
        if (derived) o.Prop("determined-by", "objectives");
        w.WriteEndArray();
        w.WriteStartObject("status");
        w.WriteString("state", status.IsSatisfied() ? "satisfied" : "not-satisfied");
        w.WriteString("reason", status switch { Status.Met => "pass", Status.NotMet => "fail", _ => "other" });
        if (status == Status.NotApplicable) w.WriteString("remarks", "Not applicable; counts as satisfied (DoD Assessment Methodology v1.2.1).");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void RelatedObservations(OscalWriter o, IReadOnlyCollection<string> ids)
    {
        if (ids.Count == 0) return;
        var w = o.W;
        w.WriteStartArray("related-observations");
        foreach (var id in ids)
        {
            w.WriteStartObject();
            w.WriteString("observation-uuid", o.Uuid("observation/" + id));
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public static string StatusText(Status status, string? partial) => status switch
    {
        Status.Met => "met",
        Status.NotApplicable => "not applicable",
        Status.NotMet when partial is not null => $"not met (partial: {partial})",
        Status.NotMet => "not met",
        _ => "not assessed",
    };
}
