using System.Text.Encodings.Web;
using System.Text.Json;
using Custodes.Assessments;
using Custodes.Catalogs;
using Custodes.Common;

namespace Custodes.Reports.Oscal;

/// <summary>Writes the parts every Custodes OSCAL document shares (metadata, parties, properties, back-matter) with stable UUIDs.</summary>
/// <remarks>
/// Every UUID is a version-5 UUID of "organization | framework | assessed_on | element path", and <c>last-modified</c> is the assessment
/// date, so exporting the same assessment twice gives byte-identical documents, and the SSP, assessment results and POA&amp;M of one
/// assessment refer to each other's elements (parties, system id, implemented requirements) by the same UUIDs.
/// </remarks>
internal sealed class OscalWriter : IDisposable
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly MemoryStream _buffer = new();
    private readonly string _seed;

    public OscalWriter(ReportData data)
    {
        Data = data;
        AssessedOn = data.Assessment.AssessedOn
            ?? throw new BadInputException("an OSCAL export needs the assessment date: 'assessed_on' is missing", path: "$.assessed_on");
        _seed = $"{data.Organization}|{data.Catalog.Framework}|{AssessedOn:yyyy-MM-dd}|";
        W = new Utf8JsonWriter(_buffer, Options);
    }

    public ReportData Data { get; }
    public DateOnly AssessedOn { get; }
    public Utf8JsonWriter W { get; }
    public Catalog Catalog => Data.Catalog;
    public string Timestamp => OscalNames.DateTime(AssessedOn);

    /// <summary>The stable UUID of an element, named by its path in the assessment (e.g. <c>finding/3.1.1</c>).</summary>
    public string Uuid(string path) => StableUuid.Create(_seed + path);

    public string OrganizationParty => Uuid("party/organization");
    public string AssessorParty => Uuid("party/assessor");
    public string SystemId => Uuid("system");
    public string ThisSystemComponent => Uuid("component/this-system");
    public string ImplementedRequirement(Requirement r) => Uuid("ssp/implemented-requirement/" + r.Id);
    public string CatalogResource => Uuid("resource/catalog");

    public byte[] ToBytes()
    {
        W.Flush();
        _buffer.WriteByte((byte)'\n');
        return _buffer.ToArray();
    }

    public void Dispose()
    {
        W.Dispose();
        _buffer.Dispose();
    }

    public void Metadata(string title, Action? extra = null)
    {
        var a = Data.Assessment;
        W.WriteStartObject("metadata");
        W.WriteString("title", title);
        W.WriteString("published", Timestamp);
        W.WriteString("last-modified", Timestamp);
        W.WriteString("version", AssessedOn.ToString("yyyy-MM-dd"));
        W.WriteString("oscal-version", OscalNames.OscalVersion);
        W.WriteStartArray("props");
        Prop("framework", Catalog.Framework, ns: true);
        Prop("assessed-on", AssessedOn.ToString("yyyy-MM-dd"), ns: true);
        if (OscalNames.IsOscalString(a.Scope)) Prop("scope", a.Scope!, ns: true);
        if (a.Ssp is { } ssp) Prop("ssp", ssp ? "true" : "false", ns: true);
        W.WriteEndArray();
        W.WriteStartArray("roles");
        Role("system-owner", "System Owner");
        if (a.Assessor is not null) Role("assessor", "Assessor");
        Role("prepared-for", "Prepared For");
        W.WriteEndArray();
        W.WriteStartArray("parties");
        Party(OrganizationParty, a.Organization);
        if (a.Assessor is { } assessor) Party(AssessorParty, assessor);
        W.WriteEndArray();
        W.WriteStartArray("responsible-parties");
        ResponsibleParty("system-owner", OrganizationParty);
        if (a.Assessor is not null) ResponsibleParty("assessor", AssessorParty);
        ResponsibleParty("prepared-for", OrganizationParty);
        W.WriteEndArray();
        extra?.Invoke();
        W.WriteEndObject();
    }

    private void Role(string id, string title)
    {
        W.WriteStartObject();
        W.WriteString("id", id);
        W.WriteString("title", title);
        W.WriteEndObject();
    }

    private void Party(string uuid, string name)
    {
        W.WriteStartObject();
        W.WriteString("uuid", uuid);
        W.WriteString("type", "organization");
        W.WriteString("name", Clean(name));
        W.WriteEndObject();
    }

    private void ResponsibleParty(string role, string party)
    {
        W.WriteStartObject();
        W.WriteString("role-id", role);
        W.WriteStartArray("party-uuids");
        W.WriteStringValue(party);
        W.WriteEndArray();
        W.WriteEndObject();
    }

    /// <summary>A property; <paramref name="ns"/> marks the ones Custodes defines (OSCAL's own, like <c>label</c>, have no ns).</summary>
    public void Prop(string name, string value, bool ns = true, string? @class = null)
    {
        W.WriteStartObject();
        W.WriteString("name", name);
        if (ns) W.WriteString("ns", OscalNames.Ns);
        W.WriteString("value", Clean(value));
        if (@class is not null) W.WriteString("class", @class);
        W.WriteEndObject();
    }

    /// <summary>The properties that identify a requirement: its label, CMMC practice id and DoD points.</summary>
    public void RequirementProps(Requirement requirement)
    {
        Prop("label", requirement.Id, ns: false);
        if (requirement.CmmcId is { } cmmc) Prop("cmmc-practice-id", cmmc);
        if (requirement.Points is { } points) Prop("dod-points", points.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The exact Custodes status (and partial value) of a finding, so an import reads back what was exported.</summary>
    public void StatusProps(Finding? finding, Status status)
    {
        Prop("assessment-status", status.ToWire());
        if (finding?.Partial is { } partial) Prop("partial", partial);
    }

    /// <summary>Back-matter with the catalog the documents refer to (NIST's r3 OSCAL catalog, or the r2 publication, which has no NIST OSCAL catalog).</summary>
    public void BackMatter(Action? more = null)
    {
        W.WriteStartObject("back-matter");
        W.WriteStartArray("resources");
        W.WriteStartObject();
        W.WriteString("uuid", CatalogResource);
        if (Catalog.Framework == Frameworks.NistR3)
        {
            W.WriteString("title", "NIST SP 800-171 Revision 3 (OSCAL catalog)");
            W.WriteString("description", "NIST's OSCAL catalog of SP 800-171 Rev 3; control ids of this document are its control ids.");
            Rlinks((OscalNames.Sp800171R3CatalogUrl, "application/json"));
        }
        else
        {
            W.WriteString("title", Catalog.Framework switch
            {
                Frameworks.CmmcL1 => "CMMC Level 1 (FAR 52.204-21) practices of NIST SP 800-171 Revision 2",
                Frameworks.CmmcL2 => "CMMC Level 2: NIST SP 800-171 Revision 2",
                _ => "NIST SP 800-171 Revision 2",
            });
            W.WriteString("description", "NIST publishes no OSCAL catalog of SP 800-171 Rev 2. Control ids of this document are SP_800_171_ followed by the Rev 2 requirement number (SP_800_171_3.1.1); statements add _smt and SP 800-171A objectives _obj.<letter> (3.1.1[a] is SP_800_171_3.1.1_obj.a).");
            Rlinks((OscalNames.Sp800171R2Url, "text/html"), (OscalNames.Sp800171AUrl, "text/html"));
        }
        W.WriteEndObject();
        more?.Invoke();
        W.WriteEndArray();
        W.WriteEndObject();
    }

    public void Rlinks(params (string Href, string MediaType)[] links)
    {
        W.WriteStartArray("rlinks");
        foreach (var (href, mediaType) in links)
        {
            W.WriteStartObject();
            W.WriteString("href", href);
            W.WriteString("media-type", mediaType);
            W.WriteEndObject();
        }
        W.WriteEndArray();
    }

    /// <summary>A value fit for an OSCAL one-line string field (prop value, title, name): one line, trimmed, never empty.</summary>
    public static string Clean(string value)
    {
        var line = value.ReplaceLineEndings(" ").Trim();
        return line.Length == 0 ? "-" : line;
    }

    /// <summary>A value fit for an OSCAL multi-line markup field: trimmed, never empty.</summary>
    public static string Text(string? value, string fallback)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? fallback : trimmed;
    }

    /// <summary>The requirement's title as reports print it: r3 title, else the requirement text.</summary>
    public static string Title(Requirement r) => r.Title is { } t ? $"{r.Id} {t}" : $"{r.Id} {r.Text}";
}
