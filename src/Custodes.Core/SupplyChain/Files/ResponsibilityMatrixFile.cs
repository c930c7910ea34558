using Custodes.Catalogs;
using Custodes.Common;
using Custodes.Common.Documents;

namespace Custodes.SupplyChain;

/// <summary>Reads <c>custodes.crm/v1</c> files (JSON or YAML), a provider's Customer Responsibility Matrix; see docs/supply-chain.md.</summary>
public static class ResponsibilityMatrixFile
{
    public const long MaxBytes = 8 * 1024 * 1024;

    private static readonly string[] RootKeys = ["schema", "provider", "framework", "title", "published_on", "requirements", "objectives"];
    private static readonly string[] EntryKeys = ["responsibility", "description", "customer_action"];

    public static ResponsibilityMatrix Parse(ReadOnlySpan<byte> bytes, string file)
    {
        var root = DocumentReader.Read(bytes, file).AsMap();
        root.OnlyKeys(RootKeys);
        var schema = root.Required("schema");
        if (schema.AsString() != ResponsibilityMatrix.Schema)
            throw schema.Error($"unsupported schema {DocNodeExtensions.Describe(schema)}; expected '{ResponsibilityMatrix.Schema}'");
        var frameworkNode = root.Required("framework");
        var catalog = CatalogSet.Find(frameworkNode.AsString())
            ?? throw frameworkNode.Error($"unknown framework {DocNodeExtensions.Describe(frameworkNode)}; expected one of {string.Join(", ", Frameworks.All)}");
        var provider = root.Required("provider");
        if (!System.Text.RegularExpressions.Regex.IsMatch(provider.AsString(), @"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,199}$"))
            throw provider.Error($"'{provider.AsString()}' is not a valid organization id; {ValidatePortfolio.IdRule}");

        var requirements = new Dictionary<string, CrmEntry>(StringComparer.Ordinal);
        if (root.Get("requirements") is { } reqNode && !reqNode.IsNull())
            foreach (var (key, value) in reqNode.AsMap().Entries)
            {
                var requirement = catalog.Find(key) ?? throw value.Error($"unknown requirement '{key}' in {catalog.Framework}; see 'custodes catalog list {catalog.Framework}'");
                if (!requirements.TryAdd(requirement.Id, ReadEntry(value)))
                    throw value.Error($"requirement {requirement.Id} is given twice (as '{key}' and under another id)");
            }
        var objectives = new Dictionary<string, CrmEntry>(StringComparer.Ordinal);
        if (root.Get("objectives") is { } objNode && !objNode.IsNull())
            foreach (var (key, value) in objNode.AsMap().Entries)
            {
                var objective = catalog.FindObjective(key) ?? throw value.Error(catalog.Objectives.Count == 0
                    ? $"{catalog.Framework} has no SP 800-171A objectives in the catalog; give responsibilities per requirement"
                    : $"unknown objective '{key}' in {catalog.Framework}; objectives are written like 3.1.1[a]");
                if (requirements.ContainsKey(objective.RequirementId))
                    throw value.Error($"{objective.RequirementId} has a requirement-level entry; give its responsibility either for the requirement or for its objectives, not both");
                objectives[objective.Id] = ReadEntry(value);
            }
        return new ResponsibilityMatrix
        {
            Provider = provider.AsString(),
            Framework = catalog.Framework,
            Title = root.OptionalString("title"),
            PublishedOn = root.OptionalDate("published_on"),
            Requirements = requirements,
            Objectives = objectives,
        };
    }

    /// <summary>The matrix as a <c>custodes.crm/v1</c> JSON document that <see cref="Parse"/> reads back to the same matrix.</summary>
    public static byte[] ToJson(ResponsibilityMatrix matrix)
    {
        using var buffer = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("schema", ResponsibilityMatrix.Schema);
            w.WriteString("provider", matrix.Provider);
            w.WriteString("framework", matrix.Framework);
            if (matrix.Title is not null) w.WriteString("title", matrix.Title);
            if (matrix.PublishedOn is { } on) w.WriteString("published_on", on.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            WriteEntries(w, "requirements", matrix.Requirements);
            WriteEntries(w, "objectives", matrix.Objectives);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The matrix as block YAML (<see cref="ToJson"/>'s content).</summary>
    public static byte[] ToYaml(ResponsibilityMatrix matrix) => YamlText.FromJson(ToJson(matrix));

    private static void WriteEntries(System.Text.Json.Utf8JsonWriter w, string key, IReadOnlyDictionary<string, CrmEntry> entries)
    {
        if (entries.Count == 0) return;
        w.WriteStartObject(key);
        foreach (var (id, entry) in entries)
        {
            w.WriteStartObject(id);
            w.WriteString("responsibility", InheritanceNames.Name(entry.Responsibility));
            if (entry.Description is not null) w.WriteString("description", entry.Description);
            if (entry.CustomerAction is not null) w.WriteString("customer_action", entry.CustomerAction);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static CrmEntry ReadEntry(DocNode node)
    {
        if (node is DocScalar)
        {
            var bare = node.Enum(InheritanceNames.Responsibilities, "responsibility");
            return bare == Responsibility.Customer
                ? new CrmEntry(bare)
                : throw node.Error($"a '{InheritanceNames.Name(bare)}' entry needs a description of what the provider does: write {{responsibility: {InheritanceNames.Name(bare)}, description: \"…\"}}");
        }
        var map = node.AsMap();
        map.OnlyKeys(EntryKeys);
        var responsibility = map.Required("responsibility").Enum(InheritanceNames.Responsibilities, "responsibility");
        var description = map.OptionalString("description");
        if (responsibility != Responsibility.Customer && string.IsNullOrWhiteSpace(description))
            throw new BadInputException($"a '{InheritanceNames.Name(responsibility)}' entry needs a description of what the provider does", map.File, DocumentReader.Child(map.Path, "description"), map.Line);
        return new CrmEntry(responsibility, description, map.OptionalString("customer_action"));
    }
}
