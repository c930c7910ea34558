using Custodes.Catalogs;
using Custodes.Common;
using Custodes.Common.Documents;

namespace Custodes.SupplyChain.Questionnaires;

/// <summary>A questionnaire template (<c>custodes.questionnaire-template/v1</c>, docs/questionnaires.md): sections of questions, each mapped to requirements or objectives.</summary>
public sealed record QuestionnaireTemplate
{
    public const string Schema = "custodes.questionnaire-template/v1";

    public required string Id { get; init; }
    public required int Version { get; init; }
    public required string Title { get; init; }
    public string? Audience { get; init; }
    public required string Framework { get; init; }
    /// <summary>An assessment older than this many months makes every answer <c>stale</c>.</summary>
    public int StaleAfterMonths { get; init; } = 12;
    public required IReadOnlyList<QuestionSection> Sections { get; init; }

    public IEnumerable<(QuestionSection Section, Question Question)> Questions => Sections.SelectMany(s => s.Questions.Select(q => (s, q)));
}

public sealed record QuestionSection(string Id, string Title, IReadOnlyList<Question> Questions);

/// <summary>One question; <see cref="MapsTo"/> holds requirement ids (3.5.3) or objective ids (3.5.3[a]) whose statuses answer it. Phrased so that yes is good.</summary>
/// <param name="AnsweredFrom">Facts that answer the question before the mapped statuses, when the organization has them: one of <see cref="RecoveryAnswers.Facts"/>.</param>
public sealed record Question(string Id, string Text, IReadOnlyList<string> MapsTo, string? Guidance = null, string? AnsweredFrom = null);

/// <summary>Reads questionnaire templates: the built-in ones (embedded) or a file.</summary>
public static class QuestionnaireTemplates
{
    /// <summary>Ids of the built-in templates.</summary>
    public static readonly IReadOnlyList<string> BuiltIn = ["msp-security", "cyber-insurance-msp"];

    private static readonly string[] RootKeys = ["schema", "id", "version", "title", "audience", "framework", "stale_after_months", "sections"];
    private static readonly string[] SectionKeys = ["id", "title", "questions"];
    private static readonly string[] QuestionKeys = ["id", "text", "maps_to", "guidance", "answered_from"];

    /// <summary>A built-in template by id, or null.</summary>
    public static QuestionnaireTemplate? Find(string id)
    {
        if (!BuiltIn.Contains(id)) return null;
        using var stream = typeof(QuestionnaireTemplates).Assembly.GetManifestResourceStream($"Custodes.Questionnaires.{id}.yaml")
            ?? throw new InvalidOperationException($"built-in questionnaire template {id} is missing from the build");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Parse(copy.ToArray(), $"<built-in {id}>");
    }

    public static QuestionnaireTemplate Parse(ReadOnlySpan<byte> bytes, string file)
    {
        var root = DocumentReader.Read(bytes, file).AsMap();
        root.OnlyKeys(RootKeys);
        var schema = root.Required("schema");
        if (schema.AsString() != QuestionnaireTemplate.Schema)
            throw schema.Error($"unsupported schema {DocNodeExtensions.Describe(schema)}; expected '{QuestionnaireTemplate.Schema}'");
        var frameworkNode = root.Required("framework");
        var catalog = CatalogSet.Find(frameworkNode.AsString())
            ?? throw frameworkNode.Error($"unknown framework {DocNodeExtensions.Describe(frameworkNode)}; expected one of {string.Join(", ", Frameworks.All)}");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var sections = new List<QuestionSection>();
        var sectionIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sectionNode in root.Required("sections").AsList().Items)
        {
            var map = sectionNode.AsMap();
            map.OnlyKeys(SectionKeys);
            var sectionId = map.Required("id");
            if (!sectionIds.Add(sectionId.AsNonEmptyString())) throw sectionId.Error($"duplicate section id '{sectionId.AsString()}'");
            var questions = new List<Question>();
            foreach (var questionNode in map.Required("questions").AsList().Items)
            {
                var q = questionNode.AsMap();
                q.OnlyKeys(QuestionKeys);
                var idNode = q.Required("id");
                if (!ids.Add(idNode.AsNonEmptyString())) throw idNode.Error($"duplicate question id '{idNode.AsString()}'");
                var mapsNode = q.Required("maps_to");
                var maps = mapsNode.AsList().Items.Select(item =>
                {
                    var id = item.AsString();
                    if (catalog.Find(id) is { } requirement) return requirement.Id;
                    if (catalog.FindObjective(id) is { } objective) return objective.Id;
                    throw item.Error($"unknown requirement or objective '{id}' in {catalog.Framework}");
                }).ToArray();
                if (maps.Length == 0) throw mapsNode.Error("a question must map to at least one requirement or objective");
                var from = q.Get("answered_from");
                if (from is not null && !from.IsNull() && !RecoveryAnswers.Facts.Contains(from.AsString()))
                    throw from.Error($"unknown facts {DocNodeExtensions.Describe(from)}; expected one of {string.Join(", ", RecoveryAnswers.Facts)}");
                questions.Add(new Question(idNode.AsString(), q.Required("text").AsNonEmptyString(), maps, q.OptionalString("guidance"), q.OptionalString("answered_from")));
            }
            sections.Add(new QuestionSection(sectionId.AsString(), map.Required("title").AsNonEmptyString(), questions));
        }
        return new QuestionnaireTemplate
        {
            Id = root.Required("id").AsNonEmptyString(),
            Version = root.Required("version").AsInt(1),
            Title = root.Required("title").AsNonEmptyString(),
            Audience = root.OptionalString("audience"),
            Framework = catalog.Framework,
            StaleAfterMonths = root.OptionalInt("stale_after_months", 1, 120) ?? 12,
            Sections = sections,
        };
    }
}
