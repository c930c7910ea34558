using Custodes.Reports.Ssp;

namespace Custodes.Reports.Oscal;

/// <summary>Writes an OSCAL 1.2.1 <c>system-security-plan</c>: the system, its boundary, and one implemented requirement per requirement of the framework.</summary>
public static class OscalSspExport
{
    public static byte[] Write(ReportData data, ImplementationStatements? statements = null)
    {
        var ssp = new SspContent(data, statements);
        using var o = new OscalWriter(data);
        var w = o.W;
        var a = data.Assessment;
        w.WriteStartObject();
        w.WriteStartObject("system-security-plan");
        w.WriteString("uuid", o.Uuid("ssp"));
        o.Metadata($"System Security Plan: {OscalWriter.Clean(ssp.SystemName)}");

        w.WriteStartObject("import-profile");
        w.WriteString("href", "#" + o.CatalogResource);
        w.WriteString("remarks", $"All requirements of {data.Catalog.Title} ({data.Catalog.Framework}).");
        w.WriteEndObject();

        w.WriteStartObject("system-characteristics");
        w.WriteStartArray("system-ids");
        w.WriteStartObject();
        w.WriteString("identifier-type", "http://ietf.org/rfc/rfc4122");
        w.WriteString("id", o.SystemId);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteString("system-name", OscalWriter.Clean(ssp.SystemName));
        w.WriteString("description", ssp.Description);
        if (ssp.DescriptionIsDerived)
        {
            w.WriteStartArray("props");
            o.Prop("derived", "true");
            w.WriteEndArray();
        }
        w.WriteString("security-sensitivity-level", SspContent.SensitivityLevel);
        w.WriteStartObject("system-information");
        w.WriteStartArray("information-types");
        w.WriteStartObject();
        w.WriteString("uuid", o.Uuid("information-type/cui"));
        w.WriteString("title", "Controlled Unclassified Information (CUI)");
        w.WriteString("description", "Information the Government creates or possesses, or that an entity creates or possesses for or on behalf of the Government, that a law, regulation, or Government-wide policy requires or permits an agency to handle using safeguarding or dissemination controls (32 CFR 2002.4).");
        w.WriteStartObject("confidentiality-impact");
        w.WriteString("base", "fips-199-moderate");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject("status");
        w.WriteString("state", "operational");
        w.WriteEndObject();
        w.WriteStartObject("authorization-boundary");
        w.WriteString("description", ssp.Boundary);
        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartObject("system-implementation");
        w.WriteStartArray("users");
        w.WriteStartObject();
        w.WriteString("uuid", o.Uuid("user/organization"));
        w.WriteString("title", $"Personnel of {OscalWriter.Clean(a.Organization)}");
        w.WriteStartArray("role-ids");
        w.WriteStringValue("system-owner");
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartArray("components");
        w.WriteStartObject();
        w.WriteString("uuid", o.ThisSystemComponent);
        w.WriteString("type", "this-system");
        w.WriteString("title", OscalWriter.Clean(ssp.SystemName));
        w.WriteString("description", ssp.Description);
        w.WriteStartObject("status");
        w.WriteString("state", "operational");
        w.WriteEndObject();
        w.WriteStartArray("responsible-roles");
        w.WriteStartObject();
        w.WriteString("role-id", "system-owner");
        w.WriteStartArray("party-uuids");
        w.WriteStringValue(o.OrganizationParty);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();

        w.WriteStartObject("control-implementation");
        w.WriteString("description", $"How {OscalWriter.Clean(a.Organization)} implements each requirement of {data.Catalog.Title}. Implementation status as assessed on {o.AssessedOn:yyyy-MM-dd}.");
        w.WriteStartArray("implemented-requirements");
        foreach (var item in ssp.Requirements)
        {
            var row = item.Row;
            w.WriteStartObject();
            w.WriteString("uuid", o.ImplementedRequirement(row.Requirement));
            w.WriteString("control-id", OscalNames.ControlId(row.Requirement));
            w.WriteStartArray("props");
            o.RequirementProps(row.Requirement);
            o.StatusProps(row.Finding, row.Status);
            w.WriteEndArray();
            w.WriteStartArray("by-components");
            w.WriteStartObject();
            w.WriteString("component-uuid", o.ThisSystemComponent);
            w.WriteString("uuid", o.Uuid("ssp/by-component/" + row.Requirement.Id));
            w.WriteString("description", item.Text);
            var partly = row.Partial || row.Objectives.Any(x => x.Status == Assessments.Status.Met);
            if (OscalNames.ImplementationState(row.Status, partly) is { } state)
            {
                w.WriteStartObject("implementation-status");
                w.WriteString("state", state);
                w.WriteEndObject();
            }
            if (item.Responsible is { } responsible)
            {
                w.WriteStartArray("props");
                o.Prop("responsible", responsible);
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.WriteEndArray();
            if (row.Finding?.Note is { } note && !string.IsNullOrWhiteSpace(note)) w.WriteString("remarks", note.Trim());
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();

        o.BackMatter();
        w.WriteEndObject();
        w.WriteEndObject();
        return o.ToBytes();
    }
}
