using Custodes.Assessments;

namespace Custodes.Reports.Oscal;

/// <summary>Writes an OSCAL 1.2.1 <c>plan-of-action-and-milestones</c>: one POA&amp;M item per requirement not met (<see cref="Assessments.Poam.PoamPlan"/>), with its finding, risk (deadline: the CMMC closeout) and the assessor's plan where one was written.</summary>
public static class OscalPoamExport
{
    /// <summary>Writes the POA&amp;M; OSCAL requires at least one item, so an assessment with every requirement met (no POA&amp;M) is bad input.</summary>
    public static byte[] Write(ReportData data)
    {
        if (data.Poam.Items.Count == 0)
            throw new Common.BadInputException("every requirement is met or not applicable, so the assessment has no POA&M, and an OSCAL plan-of-action-and-milestones needs at least one item", path: "$.requirements");
        using var o = new OscalWriter(data);
        var w = o.W;
        var a = data.Assessment;
        var onPoam = data.Poam.Items.ToDictionary(i => i.Id, StringComparer.Ordinal);
        var rows = data.Rows.Where(r => onPoam.ContainsKey(r.Requirement.Id)).ToArray();
        var unmet = rows.Where(r => r.Status == Status.NotMet).ToArray();
        w.WriteStartObject();
        w.WriteStartObject("plan-of-action-and-milestones");
        w.WriteString("uuid", o.Uuid("poam"));
        o.Metadata($"Plan of Action and Milestones: {OscalWriter.Clean(a.Organization)}, {data.Catalog.Title}", () =>
        {
            var flags = data.PoamFlags;
            if (flags.Count > 0) w.WriteString("remarks", "To act on:\n\n" + string.Join("\n", flags.Select(f => "* " + f.Message)));
        });
        w.WriteStartObject("system-id");
        w.WriteString("identifier-type", "http://ietf.org/rfc/rfc4122");
        w.WriteString("id", o.SystemId);
        w.WriteEndObject();

        if (rows.Any(r => OscalFindings.HasObservation(r.Finding) || r.Objectives.Any(x => OscalFindings.HasObservation(x.Finding))))
        {
            w.WriteStartArray("observations");
            OscalFindings.Observations(o, rows);
            w.WriteEndArray();
        }
        if (unmet.Length > 0)
        {
            w.WriteStartArray("risks");
            OscalFindings.Risks(o, unmet, poam: true);
            w.WriteEndArray();
        }
        if (rows.Any(r => r.Status != Status.Unassessed || r.Objectives.Any(x => x.Status != Status.Unassessed)))
        {
            w.WriteStartArray("findings");
            OscalFindings.Findings(o, rows);
            w.WriteEndArray();
        }

        w.WriteStartArray("poam-items");
        foreach (var row in rows)
        {
            var item = onPoam[row.Requirement.Id];
            var r = row.Requirement;
            w.WriteStartObject();
            w.WriteString("uuid", o.Uuid("poam-item/" + r.Id));
            w.WriteString("title", OscalWriter.Clean(OscalWriter.Title(r)));
            w.WriteString("description", OscalWriter.Text(item.Milestones, item.HasPlan ? $"Implement {r.Id}." : $"Implement {r.Id}. No plan has been written yet."));
            w.WriteStartArray("props");
            o.RequirementProps(r);
            o.Prop("poam-status", AssessmentFile.PoamStatusName(item.Status));
            o.Prop("requirement-status", item.RequirementStatus.ToWire());
            o.Prop("plan-written", item.HasPlan ? "true" : "false");
            if (item.PlannedCompletion is { } planned) o.Prop("planned-completion", planned.ToString("yyyy-MM-dd"));
            if (item.CompletedOn is { } done) o.Prop("completed-on", done.ToString("yyyy-MM-dd"));
            if (item.Owner is { } owner) o.Prop("owner", owner);
            if (item.CmmcEligible is { } eligible) o.Prop("cmmc-poam-eligible", eligible ? "true" : "false");
            foreach (var flag in row.Flags) o.Prop("flag", FlagName(flag.Kind));
            w.WriteEndArray();
            if (row.Status != Status.Unassessed)
            {
                w.WriteStartArray("related-findings");
                w.WriteStartObject();
                w.WriteString("finding-uuid", o.Uuid("finding/" + r.Id));
                w.WriteEndObject();
                w.WriteEndArray();
            }
            if (OscalFindings.HasObservation(row.Finding))
            {
                w.WriteStartArray("related-observations");
                w.WriteStartObject();
                w.WriteString("observation-uuid", o.Uuid("observation/" + r.Id));
                w.WriteEndObject();
                w.WriteEndArray();
            }
            if (row.Status == Status.NotMet)
            {
                w.WriteStartArray("related-risks");
                w.WriteStartObject();
                w.WriteString("risk-uuid", o.Uuid("risk/" + r.Id));
                w.WriteEndObject();
                w.WriteEndArray();
            }
            var remarks = new List<string>();
            if (!string.IsNullOrWhiteSpace(item.Note)) remarks.Add(item.Note.Trim());
            remarks.AddRange(row.Flags.Select(f => f.Message));
            if (remarks.Count > 0) w.WriteString("remarks", string.Join("\n\n", remarks));
            w.WriteEndObject();
        }
        w.WriteEndArray();

        o.BackMatter();
        w.WriteEndObject();
        w.WriteEndObject();
        return o.ToBytes();
    }

    public static string FlagName(Assessments.Poam.PoamFlagKind kind) => kind switch
    {
        Assessments.Poam.PoamFlagKind.MissingItem => "missing-item",
        Assessments.Poam.PoamFlagKind.NotAllowedOnCmmcPoam => "not-allowed-on-cmmc-poam",
        Assessments.Poam.PoamFlagKind.PastCloseout => "past-closeout",
        _ => "open-item-for-met-requirement",
    };
}
