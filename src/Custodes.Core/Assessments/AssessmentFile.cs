using System.Text;
using System.Text.Json;
using Custodes.Catalogs;
using Custodes.Common;
using Custodes.Common.Documents;

namespace Custodes.Assessments;

/// <summary>Reads and writes <c>custodes.assessment/v1</c> files (JSON or YAML) with strict validation (contracts §2).</summary>
public static class AssessmentFile
{
    /// <summary>Largest assessment file accepted (a full 320-objective assessment with notes is well under 1 MiB).</summary>
    public const long MaxBytes = 8 * 1024 * 1024;

    private static readonly string[] RootKeys = ["schema", "framework", "organization", "scope", "assessed_on", "ssp", "assessor", "system", "requirements", "objectives", "poam"];
    private static readonly string[] RequirementKeys = ["status", "partial", "evidence", "note", "methods"];
    private static readonly string[] ObjectiveKeys = ["status", "evidence", "note", "methods"];
    private static readonly string[] PoamKeys = ["id", "planned_completion", "milestones", "status", "completed_on", "owner", "note"];

    /// <summary>Parses and validates an assessment document; every error names the file, JSON path and line.</summary>
    public static ParsedAssessment Parse(ReadOnlySpan<byte> bytes, string file)
    {
        if (bytes.Length > MaxBytes) throw new BadInputException($"the document is {bytes.Length:N0} bytes; an assessment file may be at most {MaxBytes:N0} bytes", file);
        var root = DocumentReader.Read(bytes, file).AsMap();
        root.OnlyKeys(RootKeys);

        var schemaNode = Required(root, "schema");
        if (schemaNode.AsString() != Assessment.Schema)
            throw schemaNode.Error($"unsupported schema {DocNodeExtensions.Describe(schemaNode)}; expected '{Assessment.Schema}'");
        var frameworkNode = Required(root, "framework");
        var catalog = CatalogSet.Find(frameworkNode.AsString())
            ?? throw frameworkNode.Error($"unknown framework {DocNodeExtensions.Describe(frameworkNode)}; expected one of {string.Join(", ", Frameworks.All)}");

        var requirementNodes = new Dictionary<string, DocNode>(StringComparer.Ordinal);
        var objectiveNodes = new Dictionary<string, DocNode>(StringComparer.Ordinal);
        var poamNodes = new List<DocNode>();
        var requirements = ReadRequirements(root.Get("requirements"), catalog, requirementNodes);
        var objectives = ReadObjectives(root.Get("objectives"), catalog, requirementNodes, objectiveNodes);
        var assessment = new Assessment
        {
            Framework = catalog.Framework,
            Organization = Required(root, "organization").AsNonEmptyString(),
            Scope = OptionalString(root, "scope"),
            AssessedOn = root.Get("assessed_on") is { } on && !on.IsNull() ? on.AsDate() : null,
            Ssp = root.Get("ssp") is { } ssp && !ssp.IsNull() ? ssp.AsBool() : null,
            Assessor = OptionalString(root, "assessor"),
            System = OptionalString(root, "system"),
            Requirements = requirements,
            Objectives = objectives,
            Poam = ReadPoam(root.Get("poam"), catalog, poamNodes),
        };
        // The rules on content are the ones Validate applies; here a failure points at the node, so the error has its line.
        var resolution = Check(assessment, catalog, (at, message) =>
        {
            DocNode? node = at.Section switch
            {
                Where.Requirements => requirementNodes.GetValueOrDefault(at.Id),
                Where.Objectives => objectiveNodes.GetValueOrDefault(at.Id),
                _ => at.Index < poamNodes.Count ? poamNodes[at.Index] : null,
            };
            if (node is DocMap map && at.Field is { } field && map.Get(field) is { } child)
                node = at.Item is { } i && child is DocList list && i < list.Items.Count ? list.Items[i] : child;
            return node?.Error(message) ?? new BadInputException(message, file, at.Path);
        });
        return new ParsedAssessment(assessment, resolution, root);
    }

    /// <summary>Checks an assessment made in code (an edit, an import from another format, the demo) by the same rules a parsed
    /// file meets, without writing and re-reading it. An error names <paramref name="source"/> and where, in the assessment's
    /// own terms: the requirement, objective or POA&amp;M item and the field (<c>$.requirements['3.5.3'].partial</c>).</summary>
    /// <returns>The assessment with its resolution; its <see cref="ParsedAssessment.Document"/> is the canonical JSON, written
    /// only if asked for (a letter signs it).</returns>
    public static ParsedAssessment Validate(Assessment assessment, string source)
    {
        var catalog = CatalogSet.Find(assessment.Framework)
            ?? throw new BadInputException($"unknown framework '{assessment.Framework}'; expected one of {string.Join(", ", Frameworks.All)}", source, "$.framework");
        if (string.IsNullOrWhiteSpace(assessment.Organization)) throw new BadInputException("expected a non-empty string", source, "$.organization");
        var resolution = Check(assessment, catalog, (at, message) => new BadInputException(message, source, at.Path));
        return ParsedAssessment.Validated(assessment, resolution, source);
    }

    /// <summary>Where a content rule failed: a requirement or objective by id, or a POA&amp;M item by position; the field, and
    /// the position in a list field.</summary>
    private readonly record struct Where(string Section, string Id, int Index = 0, string? Field = null, int? Item = null)
    {
        public const string Requirements = "requirements", Objectives = "objectives", Poam = "poam";

        public string Path
        {
            get
            {
                var path = Section == Poam ? $"$.poam[{Index}]" : DocumentReader.Child($"$.{Section}", Id);
                if (Field is not null) path = DocumentReader.Child(path, Field);
                return Item is { } i ? $"{path}[{i}]" : path;
            }
        }
    }

    /// <summary>The content rules of an assessment (ids in the catalog, partial credit, evidence references, one POA&amp;M item per
    /// requirement, statuses consistent with objectives); <paramref name="fail"/> makes the error for a location.</summary>
    private static Resolution Check(Assessment assessment, Catalog catalog, Func<Where, string, Exception> fail)
    {
        foreach (var (id, finding) in assessment.Requirements)
        {
            var at = new Where(Where.Requirements, id);
            var requirement = catalog.Find(id);
            if (requirement is null || requirement.Id != id) throw fail(at, UnknownRequirement(id, catalog));
            CheckFinding(finding, at, fail);
            if (finding.Partial is { } partial && (requirement.PartialCredit is null || requirement.PartialCredit.Value != partial))
                throw fail(at with { Field = "partial" }, requirement.PartialCredit is { } rule
                    ? $"'{partial}' is not a partial value of {requirement.Id}; expected '{rule.Value}'"
                    : $"'partial' is allowed only on 3.5.3 ('{PartialValues.MfaRemoteAndPrivilegedOnly}') and 3.13.11 ('{PartialValues.EncryptionNotFipsValidated}'), not on {requirement.Id}");
        }
        foreach (var (id, finding) in assessment.Objectives)
        {
            var at = new Where(Where.Objectives, id);
            if (catalog.FindObjective(id) is not { } objective || objective.Id != id)
                throw fail(at, catalog.Objectives.Count == 0
                    ? $"{catalog.Framework} has no SP 800-171A objectives in the catalog; record findings per requirement"
                    : $"unknown objective '{id}' in {catalog.Framework}; objectives are written like 3.1.1[a] (see 'custodes catalog show {catalog.Framework} <requirement>')");
            if (finding.Partial is not null) throw fail(at with { Field = "partial" }, "'partial' is recorded on the requirement, not on an objective");
            CheckFinding(finding, at, fail);
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < assessment.Poam.Count; i++)
        {
            var item = assessment.Poam[i];
            var at = new Where(Where.Poam, item.Id, i, "id");
            if (catalog.Find(item.Id) is not { } requirement || requirement.Id != item.Id) throw fail(at, UnknownRequirement(item.Id, catalog));
            if (!seen.Add(item.Id)) throw fail(at, $"requirement {item.Id} has more than one POA&M item");
            if (!Enum.IsDefined(item.Status)) throw fail(at with { Field = "status" }, $"invalid POA&M status '{item.Status}'; expected open, in-progress or closed");
        }
        return Resolution.Resolve(assessment, (id, message) => throw fail(new Where(Where.Requirements, id), message));
    }

    private static void CheckFinding(Finding finding, Where at, Func<Where, string, Exception> fail)
    {
        if (!Enum.IsDefined(finding.Status))
            throw fail(at with { Field = "status" }, $"invalid status '{finding.Status}'; expected one of {string.Join(", ", StatusNames.All)}");
        for (var i = 0; i < finding.Evidence.Count; i++)
        {
            var reference = finding.Evidence[i];
            if (string.IsNullOrWhiteSpace(reference)) throw fail(at with { Field = "evidence", Item = i }, "expected a non-empty string");
            if (reference.StartsWith("sha256:", StringComparison.Ordinal) && reference.Length == 71 && !EvidenceReference.IsSha256(reference))
                throw fail(at with { Field = "evidence", Item = i }, $"'{reference}' is not a SHA-256 evidence reference; expected sha256: followed by 64 lowercase hex digits");
        }
        foreach (var method in finding.Methods)
            if (!Enum.IsDefined(method)) throw fail(at with { Field = "methods" }, $"invalid assessment method '{method}'; expected examine, interview or test");
    }

    private static Dictionary<string, Finding> ReadRequirements(DocNode? node, Catalog catalog, Dictionary<string, DocNode> nodes)
    {
        var found = new Dictionary<string, Finding>(StringComparer.Ordinal);
        if (node.IsNull()) return found;
        foreach (var (key, value) in node!.AsMap().Entries)
        {
            var requirement = catalog.Find(key) ?? throw value.Error(UnknownRequirement(key, catalog));
            if (!nodes.TryAdd(requirement.Id, value))
                throw value.Error($"requirement {requirement.Id} is given twice (as '{key}' and under another id)");
            found[requirement.Id] = ReadFinding(value, RequirementKeys);
        }
        return found;
    }

    private static Dictionary<string, Finding> ReadObjectives(DocNode? node, Catalog catalog, Dictionary<string, DocNode> requirementNodes,
        Dictionary<string, DocNode> nodes)
    {
        var found = new Dictionary<string, Finding>(StringComparer.Ordinal);
        if (node.IsNull()) return found;
        foreach (var (key, value) in node!.AsMap().Entries)
        {
            var objective = catalog.FindObjective(key) ?? throw value.Error(catalog.Objectives.Count == 0
                ? $"{catalog.Framework} has no SP 800-171A objectives in the catalog; record findings per requirement"
                : $"unknown objective '{key}' in {catalog.Framework}; objectives are written like 3.1.1[a] (see 'custodes catalog show {catalog.Framework} <requirement>')");
            requirementNodes.TryAdd(objective.RequirementId, value);
            nodes[objective.Id] = value;
            found[objective.Id] = ReadFinding(value, ObjectiveKeys);
        }
        return found;
    }

    private static Finding ReadFinding(DocNode node, string[] allowedKeys)
    {
        if (node is DocScalar) return Finding.Of(ReadStatus(node));
        var map = node.AsMap();
        map.OnlyKeys(allowedKeys);
        return new Finding
        {
            Status = ReadStatus(Required(map, "status")),
            Partial = OptionalString(map, "partial"),
            Evidence = map.Get("evidence") is { } evidence && !evidence.IsNull() ? ReadEvidence(evidence) : [],
            Note = OptionalString(map, "note"),
            Methods = map.Get("methods") is { } methods && !methods.IsNull() ? ReadMethods(methods) : [],
        };
    }

    private static Status ReadStatus(DocNode node)
    {
        var text = node is DocScalar { Kind: ScalarKind.String } ? node.AsString() : null;
        return StatusNames.TryParse(text, out var status)
            ? status
            : throw node.Error($"invalid status {DocNodeExtensions.Describe(node)}; expected one of {string.Join(", ", StatusNames.All)}");
    }

    private static IReadOnlyList<string> ReadEvidence(DocNode node)
    {
        var list = node.AsList();
        var refs = new List<string>(list.Items.Count);
        foreach (var item in list.Items) refs.Add(item.AsNonEmptyString());
        return refs;
    }

    private static IReadOnlyList<AssessmentMethod> ReadMethods(DocNode node) =>
        node.AsList().Items.Select(item => item.AsString() switch
        {
            "examine" => AssessmentMethod.Examine,
            "interview" => AssessmentMethod.Interview,
            "test" => AssessmentMethod.Test,
            var other => throw item.Error($"invalid assessment method '{other}'; expected examine, interview or test"),
        }).Distinct().ToArray();

    private static IReadOnlyList<PoamItem> ReadPoam(DocNode? node, Catalog catalog, List<DocNode> nodes)
    {
        if (node.IsNull()) return [];
        var items = new List<PoamItem>();
        foreach (var itemNode in node!.AsList().Items)
        {
            nodes.Add(itemNode);
            var map = itemNode.AsMap();
            map.OnlyKeys(PoamKeys);
            var idNode = Required(map, "id");
            var requirement = catalog.Find(idNode.AsString()) ?? throw idNode.Error(UnknownRequirement(idNode.AsString(), catalog));
            items.Add(new PoamItem
            {
                Id = requirement.Id,
                PlannedCompletion = map.Get("planned_completion") is { } planned && !planned.IsNull() ? planned.AsDate() : null,
                Milestones = OptionalString(map, "milestones"),
                Status = map.Get("status") is { } status && !status.IsNull() ? ReadPoamStatus(status) : PoamStatus.Open,
                CompletedOn = map.Get("completed_on") is { } done && !done.IsNull() ? done.AsDate() : null,
                Owner = OptionalString(map, "owner"),
                Note = OptionalString(map, "note"),
            });
        }
        return items;
    }

    private static PoamStatus ReadPoamStatus(DocNode node) => node.AsString() switch
    {
        "open" => PoamStatus.Open,
        "in-progress" => PoamStatus.InProgress,
        "closed" => PoamStatus.Closed,
        var other => throw node.Error($"invalid POA&M status '{other}'; expected open, in-progress or closed"),
    };

    private static string UnknownRequirement(string id, Catalog catalog) => catalog.Framework switch
    {
        Frameworks.CmmcL1 when CatalogSet.NistR2.Find(id) is not null =>
            $"{id} is not a CMMC Level 1 requirement; cmmc-l1 has the 17 FAR 52.204-21 requirements (see 'custodes catalog list cmmc-l1')",
        _ => $"unknown requirement '{id}' in {catalog.Framework}; see 'custodes catalog list {catalog.Framework}'",
    };

    private static DocNode Required(DocMap map, string key) =>
        map.Get(key) is { } node && !node.IsNull() ? node : throw new BadInputException($"missing required field '{key}'", map.File, DocumentReader.Child(map.Path, key), map.Line);

    private static string? OptionalString(DocMap map, string key) => map.Get(key) is { } node && !node.IsNull() ? node.AsString() : null;

    /// <summary>Writes an assessment as an indented JSON file, requirements and objectives in catalog order.</summary>
    public static byte[] ToJson(Assessment assessment)
    {
        var catalog = CatalogSet.Get(assessment.Framework);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("schema", Assessment.Schema);
            w.WriteString("framework", assessment.Framework);
            w.WriteString("organization", assessment.Organization);
            if (assessment.Scope is not null) w.WriteString("scope", assessment.Scope);
            if (assessment.AssessedOn is { } on) w.WriteString("assessed_on", on.ToString("yyyy-MM-dd"));
            if (assessment.Ssp is { } ssp) w.WriteBoolean("ssp", ssp);
            if (assessment.Assessor is not null) w.WriteString("assessor", assessment.Assessor);
            if (assessment.System is not null) w.WriteString("system", assessment.System);
            w.WriteStartObject("requirements");
            foreach (var requirement in catalog.Requirements)
                if (assessment.Requirements.TryGetValue(requirement.Id, out var finding)) WriteFinding(w, requirement.Id, finding);
            w.WriteEndObject();
            if (assessment.Objectives.Count > 0)
            {
                w.WriteStartObject("objectives");
                foreach (var requirement in catalog.Requirements)
                    foreach (var objective in requirement.Objectives)
                        if (assessment.Objectives.TryGetValue(objective, out var finding)) WriteFinding(w, objective, finding);
                w.WriteEndObject();
            }
            if (assessment.Poam.Count > 0)
            {
                w.WriteStartArray("poam");
                foreach (var item in assessment.Poam)
                {
                    w.WriteStartObject();
                    w.WriteString("id", item.Id);
                    if (item.PlannedCompletion is { } planned) w.WriteString("planned_completion", planned.ToString("yyyy-MM-dd"));
                    if (item.Milestones is not null) w.WriteString("milestones", item.Milestones);
                    if (item.Status != PoamStatus.Open) w.WriteString("status", PoamStatusName(item.Status));
                    if (item.CompletedOn is { } done) w.WriteString("completed_on", done.ToString("yyyy-MM-dd"));
                    if (item.Owner is not null) w.WriteString("owner", item.Owner);
                    if (item.Note is not null) w.WriteString("note", item.Note);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Writes the same content as YAML (block style, strings double-quoted so every value reads back as it was).</summary>
    public static byte[] ToYaml(Assessment assessment)
    {
        using var json = JsonDocument.Parse(ToJson(assessment));
        var sb = new StringBuilder();
        WriteYaml(sb, json.RootElement, 0);
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static void WriteYaml(StringBuilder sb, JsonElement element, int indent)
    {
        var pad = new string(' ', indent);
        foreach (var property in element.EnumerateObject())
        {
            var key = DocumentReaderKey(property.Name);
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.Object when value.EnumerateObject().Any():
                    sb.Append(pad).Append(key).Append(":\n");
                    WriteYaml(sb, value, indent + 2);
                    break;
                case JsonValueKind.Array when value.GetArrayLength() > 0:
                    sb.Append(pad).Append(key).Append(":\n");
                    foreach (var item in value.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.Object)
                        {
                            var first = true;
                            foreach (var p in item.EnumerateObject())
                            {
                                sb.Append(pad).Append(first ? "  - " : "    ").Append(DocumentReaderKey(p.Name)).Append(": ").Append(p.Value.GetRawText()).Append('\n');
                                first = false;
                            }
                        }
                        else sb.Append(pad).Append("  - ").Append(item.GetRawText()).Append('\n');
                    }
                    break;
                default:
                    sb.Append(pad).Append(key).Append(": ").Append(value.GetRawText()).Append('\n');
                    break;
            }
        }
    }

    private static string DocumentReaderKey(string key) => key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !char.IsAsciiDigit(key[0]) ? key : $"\"{key}\"";

    private static void WriteFinding(Utf8JsonWriter w, string id, Finding finding)
    {
        if (finding.IsBare)
        {
            w.WriteString(id, finding.Status.ToWire());
            return;
        }
        w.WriteStartObject(id);
        w.WriteString("status", finding.Status.ToWire());
        if (finding.Partial is not null) w.WriteString("partial", finding.Partial);
        if (finding.Evidence.Count > 0)
        {
            w.WriteStartArray("evidence");
            foreach (var e in finding.Evidence) w.WriteStringValue(e);
            w.WriteEndArray();
        }
        if (finding.Note is not null) w.WriteString("note", finding.Note);
        if (finding.Methods.Count > 0)
        {
            w.WriteStartArray("methods");
            foreach (var m in finding.Methods) w.WriteStringValue(m.ToString().ToLowerInvariant());
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    public static string PoamStatusName(PoamStatus status) => status switch
    {
        PoamStatus.InProgress => "in-progress",
        PoamStatus.Closed => "closed",
        _ => "open",
    };
}

/// <summary>A validated assessment with its resolved statuses and the document it came from (for the canonical digest): the file
/// it was parsed from or, for one validated in code (<see cref="AssessmentFile.Validate"/>), its canonical JSON, written on first use.</summary>
public sealed record ParsedAssessment
{
    private readonly Lazy<DocNode> _document;

    public ParsedAssessment(Assessment assessment, Resolution resolution, DocNode document)
        : this(assessment, resolution, new Lazy<DocNode>(document)) { }

    private ParsedAssessment(Assessment assessment, Resolution resolution, Lazy<DocNode> document)
    {
        Assessment = assessment;
        Resolution = resolution;
        _document = document;
    }

    internal static ParsedAssessment Validated(Assessment assessment, Resolution resolution, string source) =>
        new(assessment, resolution, new Lazy<DocNode>(() => DocumentReader.Read(AssessmentFile.ToJson(assessment), source)));

    public Assessment Assessment { get; }
    public Resolution Resolution { get; }
    public DocNode Document => _document.Value;
}

/// <summary>Evidence references of the form <c>sha256:&lt;64 lowercase hex&gt;</c>.</summary>
public static class EvidenceReference
{
    public const string Prefix = "sha256:";

    public static bool IsSha256(string reference) =>
        reference.Length == 71 && reference.StartsWith(Prefix, StringComparison.Ordinal) && reference.AsSpan(7).IndexOfAnyExcept("0123456789abcdef") < 0;

    public static string For(ReadOnlySpan<byte> sha256) => Prefix + Convert.ToHexStringLower(sha256);
}
