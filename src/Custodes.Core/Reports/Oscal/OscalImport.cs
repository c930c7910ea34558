using System.Globalization;
using System.Text.RegularExpressions;
using Custodes.Assessments;
using Custodes.Catalogs;
using Custodes.Common;
using Custodes.Common.Documents;

namespace Custodes.Reports.Oscal;

/// <summary>Reads an OSCAL 1.x <c>system-security-plan</c> or <c>assessment-results</c> (JSON) into a Custodes assessment.</summary>
/// <remarks>
/// Statuses come from the Custodes <c>assessment-status</c> property when the document was exported by Custodes, else from OSCAL itself:
/// an SSP's <c>implementation-status</c> (implemented → met, not-applicable, partial/planned → not met, alternative → met with a note),
/// a finding's objective status (satisfied → met, not-satisfied → not met). Any problem is a <see cref="BadInputException"/> naming the
/// JSON path and line, and nothing is returned: an import is whole or not at all.
/// </remarks>
public static partial class OscalImport
{
    public const long MaxBytes = 32 * 1024 * 1024;

    private static readonly string[] OtherModels = ["catalog", "profile", "component-definition", "assessment-plan", "plan-of-action-and-milestones", "mapping-collection"];

    public static Assessment Read(ReadOnlySpan<byte> bytes, string file)
    {
        var first = bytes.IndexOfAnyExcept(" \t\r\n\uFEFF"u8);
        if (first < 0 || bytes[first] != (byte)'{') throw new BadInputException("expected an OSCAL JSON document (an object); XML and YAML OSCAL are not read", file, "$", 1);
        var root = DocumentReader.ReadJson(bytes, file).AsMap();
        var ssp = root.Get("system-security-plan");
        var ar = root.Get("assessment-results");
        if (ssp is null && ar is null)
        {
            var other = root.Entries.Select(e => e.Key).FirstOrDefault(k => OtherModels.Contains(k));
            throw other is not null
                ? root.Get(other)!.Error($"this is an OSCAL {other}; import reads a system-security-plan or assessment-results")
                : new BadInputException($"not an OSCAL document: expected a 'system-security-plan' or 'assessment-results' root, found {Describe(root)}", file, "$", root.Line);
        }
        if (ssp is not null && ar is not null) throw ar.Error("a document holds one OSCAL model; found both system-security-plan and assessment-results");
        var model = (ssp ?? ar)!.AsMap();
        var metadata = Required(model, "metadata").AsMap();
        CheckVersion(Required(metadata, "oscal-version"));
        var props = CustodesProps(metadata);
        var catalog = ResolveFramework(props, model, ssp is not null);
        var (organization, assessor) = Parties(metadata);

        var requirements = new Dictionary<string, Finding>(StringComparer.Ordinal);
        var objectives = new Dictionary<string, Finding>(StringComparer.Ordinal);
        var locations = new Dictionary<string, DocNode>(StringComparer.Ordinal);
        DateOnly? assessedOn = props.TryGetValue("assessed-on", out var on) ? Date(on) : null;
        string? scope = props.TryGetValue("scope", out var s) ? s.AsString() : null;
        string? system = null;
        bool? hasSsp = props.TryGetValue("ssp", out var sspProp) ? sspProp.AsString() == "true" : null;

        if (ssp is not null)
        {
            var characteristics = Required(model, "system-characteristics").AsMap();
            system = CustodesProps(characteristics).ContainsKey("derived") ? null : Required(characteristics, "description").AsString().Trim();
            // A Custodes export names its scope in a property (absent when none was recorded); another tool's SSP has only the boundary.
            if (!props.ContainsKey("framework")) scope ??= characteristics.Get("authorization-boundary") is DocMap boundary && boundary.Get("description") is { } bd ? bd.AsString().Trim() : null;
            assessedOn ??= Date(Required(metadata, "last-modified"));
            hasSsp ??= true;
            ReadImplementedRequirements(Required(Required(model, "control-implementation").AsMap(), "implemented-requirements").AsList(), catalog, requirements, locations);
        }
        else
        {
            var result = LatestResult(Required(model, "results").AsList());
            assessedOn ??= Date(Required(result, "start"));
            system = ThisSystemDescription(result);
            ReadFindings(result, catalog, requirements, objectives, locations);
        }

        var assessment = new Assessment
        {
            Framework = catalog.Framework,
            Organization = organization,
            Assessor = assessor,
            Scope = string.IsNullOrWhiteSpace(scope) ? null : scope,
            System = string.IsNullOrWhiteSpace(system) ? null : system,
            AssessedOn = assessedOn,
            Ssp = hasSsp,
            Requirements = Ordered(requirements, id => catalog.OrdinalOf(id)),
            Objectives = Ordered(objectives, id => ObjectiveOrder(catalog, id)),
        };
        Resolution.Resolve(assessment, (id, message) => throw (locations.TryGetValue(id, out var node) ? node.Error(message) : new BadInputException(message, file)));
        return assessment;
    }

    private static void CheckVersion(DocNode node)
    {
        var version = node.AsString();
        if (!SupportedVersion().IsMatch(version))
            throw node.Error($"unsupported OSCAL version '{version}'; import reads OSCAL 1.0 to 1.2 (Custodes writes {OscalNames.OscalVersion})");
    }

    [GeneratedRegex(@"^v?1\.[0-2]\.[0-9]+$")]
    private static partial Regex SupportedVersion();

    private static Catalog ResolveFramework(Dictionary<string, DocNode> props, DocMap model, bool isSsp)
    {
        if (props.TryGetValue("framework", out var node))
            return CatalogSet.Find(node.AsString()) ?? throw node.Error($"unknown framework '{node.AsString()}'; expected one of {string.Join(", ", Frameworks.All)}");
        // A document from another tool: Rev 3 ids are zero-padded (03.01.01), Rev 2 ids are not (3.1.1).
        var sample = isSsp
            ? model.Get("control-implementation") is DocMap ci && ci.Get("implemented-requirements") is DocList list && list.Items.FirstOrDefault() is DocMap first ? first.Get("control-id")?.AsString() : null
            : null;
        return sample is not null && R3Id().IsMatch(sample) ? CatalogSet.NistR3 : CatalogSet.NistR2;
    }

    [GeneratedRegex(@"\b0[0-9]\.[0-9]{2}\.[0-9]{2}\b")]
    private static partial Regex R3Id();

    private static (string Organization, string? Assessor) Parties(DocMap metadata)
    {
        var parties = new Dictionary<string, (string Name, string? Type)>(StringComparer.Ordinal);
        if (metadata.Get("parties") is { } list)
            foreach (var item in list.AsList().Items)
            {
                var party = item.AsMap();
                if (party.Get("uuid") is { } uuid && party.Get("name") is { } name)
                    parties[uuid.AsString()] = (name.AsString(), party.Get("type")?.AsString());
            }
        var byRole = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata.Get("responsible-parties") is { } rps)
            foreach (var item in rps.AsList().Items)
            {
                var rp = item.AsMap();
                var role = Required(rp, "role-id").AsString();
                var uuid = Required(rp, "party-uuids").AsList().Items.FirstOrDefault()?.AsString();
                if (uuid is not null && parties.ContainsKey(uuid)) byRole.TryAdd(role, uuid);
            }
        string? Named(params string[] roles) => roles.Select(r => byRole.GetValueOrDefault(r)).FirstOrDefault(u => u is not null) is { } u ? parties[u].Name : null;
        var organization = Named("system-owner", "prepared-for", "authorizing-official")
            ?? parties.Values.FirstOrDefault(p => p.Type == "organization").Name
            ?? throw metadata.Error("no organization: expected a party with the role system-owner (or prepared-for) in metadata.responsible-parties, or an organization party");
        return (organization.Trim(), Named("assessor", "assessment-team")?.Trim());
    }

    /// <summary>The description of the result's this-system component, which Custodes writes only when the assessment records one.</summary>
    private static string? ThisSystemDescription(DocMap result)
    {
        if (result.Get("local-definitions") is not DocMap local || local.Get("components") is not DocList components) return null;
        foreach (var item in components.Items)
        {
            var component = item.AsMap();
            if (component.Get("type")?.AsString() != "this-system") continue;
            return CustodesProps(component).ContainsKey("derived") ? null : component.Get("description")?.AsString().Trim();
        }
        return null;
    }

    private static DocMap LatestResult(DocList results)
    {
        if (results.Items.Count == 0) throw results.Error("no results; expected at least one result");
        // Several results are successive assessments; the latest one is the current state.
        return results.Items.Select(r => r.AsMap()).OrderBy(r => Required(r, "start").AsString(), StringComparer.Ordinal).Last();
    }

    private static void ReadImplementedRequirements(DocList list, Catalog catalog, Dictionary<string, Finding> requirements, Dictionary<string, DocNode> locations)
    {
        foreach (var item in list.Items)
        {
            var map = item.AsMap();
            var controlNode = Required(map, "control-id");
            var requirement = OscalNames.FindRequirement(catalog, controlNode.AsString())
                ?? throw controlNode.Error($"unknown control '{controlNode.AsString()}' in {catalog.Framework}; expected ids like {OscalNames.ControlId(catalog.Requirements[0])}");
            if (!locations.TryAdd(requirement.Id, item)) throw controlNode.Error($"requirement {requirement.Id} is implemented twice");
            var props = CustodesProps(map);
            string? note = map.Get("remarks") is { } remarks ? remarks.AsString().Trim() : null;
            Status status;
            if (props.TryGetValue("assessment-status", out var exact)) status = ParseStatus(exact);
            else
            {
                var state = ImplementationStates(map).FirstOrDefault();
                if (state is null) continue;
                (status, var stateNote) = FromImplementationState(state);
                if (stateNote is not null) note = note is null ? stateNote : $"{note}\n\n{stateNote}";
            }
            var partial = props.TryGetValue("partial", out var p) ? Partial(p, requirement) : null;
            requirements[requirement.Id] = new Finding { Status = status, Partial = partial, Note = string.IsNullOrEmpty(note) ? null : note };
        }
    }

    private static IEnumerable<DocNode> ImplementationStates(DocMap implemented)
    {
        // OSCAL 1.x puts the state on each by-component; FedRAMP's older SSPs used an implementation-status property.
        if (implemented.Get("by-components") is { } components)
            foreach (var c in components.AsList().Items)
                if (c.AsMap().Get("implementation-status") is { } status && Required(status.AsMap(), "state") is var state) yield return state;
        if (implemented.Get("props") is { } props)
            foreach (var prop in props.AsList().Items)
                if (prop.AsMap().Get("name")?.AsString() == "implementation-status") yield return Required(prop.AsMap(), "value");
    }

    private static (Status, string?) FromImplementationState(DocNode state) => state.AsString() switch
    {
        "implemented" => (Status.Met, null),
        "not-applicable" => (Status.NotApplicable, null),
        "partial" or "planned" or "not-implemented" => (Status.NotMet, null),
        // The DoD methodology scores an approved alternative implementation as met.
        "alternative" => (Status.Met, "Implemented by an alternative implementation (OSCAL implementation-status 'alternative')."),
        var other => throw state.Error($"unknown implementation-status state '{other}'; expected implemented, partial, planned, alternative or not-applicable"),
    };

    private static void ReadFindings(DocMap result, Catalog catalog, Dictionary<string, Finding> requirements, Dictionary<string, Finding> objectives, Dictionary<string, DocNode> locations)
    {
        var observations = new Dictionary<string, DocMap>(StringComparer.Ordinal);
        if (result.Get("observations") is { } obsList)
            foreach (var item in obsList.AsList().Items)
                observations[Required(item.AsMap(), "uuid").AsString()] = item.AsMap();
        if (result.Get("findings") is not { } findings) return;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in findings.AsList().Items)
        {
            var finding = item.AsMap();
            var target = Required(finding, "target").AsMap();
            var targetIdNode = Required(target, "target-id");
            var resolved = OscalNames.ResolveTarget(catalog, targetIdNode.AsString())
                ?? throw targetIdNode.Error($"unknown target '{targetIdNode.AsString()}' in {catalog.Framework}; expected a requirement statement ({OscalNames.StatementId(catalog, catalog.Requirements[0])}) or objective id");
            var (requirement, objective) = resolved;
            var id = objective?.Id ?? requirement.Id;
            if (!seen.Add(id)) throw targetIdNode.Error($"{id} has more than one finding");
            var props = CustodesProps(target);
            if (objective is null && props.TryGetValue("determined-by", out var by) && by.AsString() == "objectives") continue;
            var statusNode = Required(Required(target, "status").AsMap(), "state");
            var status = props.TryGetValue("assessment-status", out var exact) ? ParseStatus(exact) : statusNode.AsString() switch
            {
                "satisfied" => Status.Met,
                "not-satisfied" => Status.NotMet,
                var other => throw statusNode.Error($"unknown objective status '{other}'; expected satisfied or not-satisfied"),
            };
            var evidence = new List<string>();
            var methods = new List<AssessmentMethod>();
            if (finding.Get("related-observations") is { } related)
                foreach (var rel in related.AsList().Items)
                {
                    var uuidNode = Required(rel.AsMap(), "observation-uuid");
                    if (!observations.TryGetValue(uuidNode.AsString(), out var observation))
                        throw uuidNode.Error($"observation {uuidNode.AsString()} is not in this result's observations");
                    ReadObservation(observation, evidence, methods);
                }
            var recorded = new Finding
            {
                Status = status,
                Partial = objective is null && props.TryGetValue("partial", out var p) ? Partial(p, requirement) : null,
                Note = finding.Get("remarks") is { } remarks && !string.IsNullOrWhiteSpace(remarks.AsString()) ? remarks.AsString().Trim() : null,
                Evidence = evidence.Distinct(StringComparer.Ordinal).ToArray(),
                Methods = methods.Distinct().Order().ToArray(),
            };
            if (objective is null) requirements[requirement.Id] = recorded;
            else objectives[objective.Id] = recorded;
            locations.TryAdd(requirement.Id, item);
        }
    }

    private static void ReadObservation(DocMap observation, List<string> evidence, List<AssessmentMethod> methods)
    {
        if (observation.Get("methods") is { } list)
            foreach (var m in list.AsList().Items)
                switch (m.AsString())
                {
                    case "EXAMINE": methods.Add(AssessmentMethod.Examine); break;
                    case "INTERVIEW": methods.Add(AssessmentMethod.Interview); break;
                    case "TEST": methods.Add(AssessmentMethod.Test); break;
                    case "UNKNOWN": break;
                    default: throw m.Error($"unknown method '{m.AsString()}'; expected EXAMINE, INTERVIEW, TEST or UNKNOWN");
                }
        if (observation.Get("relevant-evidence") is { } relevant)
            foreach (var item in relevant.AsList().Items)
            {
                var map = item.AsMap();
                var reference = map.Get("href")?.AsString()
                    ?? (CustodesProps(map).TryGetValue("reference", out var r) ? r.AsString() : null)
                    ?? Required(map, "description").AsString().Trim();
                if (reference.StartsWith(EvidenceReference.Prefix, StringComparison.Ordinal) && !EvidenceReference.IsSha256(reference))
                    throw item.Error($"'{reference}' is not a SHA-256 evidence reference; expected sha256: followed by 64 lowercase hex digits");
                evidence.Add(reference);
            }
    }

    private static Status ParseStatus(DocNode node) =>
        StatusNames.TryParse(node.AsString(), out var status) ? status
            : throw node.Error($"invalid assessment-status '{node.AsString()}'; expected one of {string.Join(", ", StatusNames.All)}");

    private static string Partial(DocNode node, Requirement requirement)
    {
        var value = node.AsString();
        return requirement.PartialCredit is { } rule && rule.Value == value
            ? value
            : throw node.Error($"'{value}' is not a partial value of {requirement.Id}; 'partial' is allowed only on 3.5.3 ('{PartialValues.MfaRemoteAndPrivilegedOnly}') and 3.13.11 ('{PartialValues.EncryptionNotFipsValidated}')");
    }

    /// <summary>The properties in the Custodes namespace of an element, by name (the first of each name).</summary>
    private static Dictionary<string, DocNode> CustodesProps(DocMap element)
    {
        var found = new Dictionary<string, DocNode>(StringComparer.Ordinal);
        if (element.Get("props") is not { } props) return found;
        foreach (var item in props.AsList().Items)
        {
            var prop = item.AsMap();
            if (prop.Get("ns")?.AsString() != OscalNames.Ns) continue;
            found.TryAdd(Required(prop, "name").AsString(), Required(prop, "value"));
        }
        return found;
    }

    private static DateOnly Date(DocNode node)
    {
        var text = node.AsString();
        return text.Length >= 10 && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw node.Error($"expected a date (YYYY-MM-DD…), found '{text}'");
    }

    private static int ObjectiveOrder(Catalog catalog, string id)
    {
        var ordinal = catalog.OrdinalOf(catalog.FindObjective(id)!.RequirementId);
        return ordinal * 1000 + catalog.Requirements[ordinal].Objectives.ToList().IndexOf(id);
    }

    private static IReadOnlyDictionary<string, Finding> Ordered(Dictionary<string, Finding> findings, Func<string, int> order) =>
        findings.OrderBy(f => order(f.Key)).ThenBy(f => f.Key, StringComparer.Ordinal).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);

    private static DocNode Required(DocMap map, string key) =>
        map.Get(key) is { } node && !node.IsNull() ? node : throw new BadInputException($"missing required field '{key}'", map.File, DocumentReader.Child(map.Path, key), map.Line);

    private static DocNode Required(DocNode node, string key) => Required(node.AsMap(), key);

    private static string Describe(DocMap map) => map.Entries.Count == 0 ? "an empty object" : string.Join(", ", map.Entries.Take(3).Select(e => $"'{e.Key}'"));
}
