using Custodes.Catalogs;
using Custodes.Common;
using Custodes.Common.Documents;

namespace Custodes.Reports.Ssp;

/// <summary>Per-requirement implementation statements for the system security plan, edited by the organization (<c>custodes.ssp-implementation/v1</c>, YAML or JSON).</summary>
/// <remarks>
/// <code>
/// schema: custodes.ssp-implementation/v1
/// system_name: Example MSP CUI Enclave        # optional
/// requirements:
///   3.1.1: Accounts are provisioned from the HR system of record ...
///   3.5.3:
///     statement: MFA through Entra ID conditional access ...
///     responsible: Identity team               # optional
/// </code>
/// Keys are requirement ids of the assessment's framework (3.1.1, AC.L2-3.1.1 or 03.01.01); an unknown id or field is bad input.
/// </remarks>
public sealed record ImplementationStatements
{
    public const string Schema = "custodes.ssp-implementation/v1";

    public string? SystemName { get; init; }
    public IReadOnlyDictionary<string, ImplementationStatement> Requirements { get; init; } = new Dictionary<string, ImplementationStatement>();

    public static readonly ImplementationStatements None = new();

    /// <summary>Largest implementation-statements file accepted.</summary>
    public const long MaxBytes = 8 * 1024 * 1024;

    public ImplementationStatement? For(string requirementId) => Requirements.GetValueOrDefault(requirementId);

    public static ImplementationStatements Parse(ReadOnlySpan<byte> bytes, string file, Catalog catalog)
    {
        var root = DocumentReader.Read(bytes, file).AsMap();
        root.OnlyKeys("schema", "system_name", "requirements");
        var schema = root.Get("schema") ?? throw new BadInputException("missing required field 'schema'", file, "$.schema", root.Line);
        if (schema.AsString() != Schema) throw schema.Error($"unsupported schema {DocNodeExtensions.Describe(schema)}; expected '{Schema}'");
        var statements = new Dictionary<string, ImplementationStatement>(StringComparer.Ordinal);
        if (root.Get("requirements") is { } reqs && !reqs.IsNull())
        {
            foreach (var (key, value) in reqs.AsMap().Entries)
            {
                var requirement = catalog.Find(key) ?? throw value.Error($"unknown requirement '{key}' in {catalog.Framework}");
                ImplementationStatement statement;
                if (value is DocScalar) statement = new ImplementationStatement(value.AsNonEmptyString(), null);
                else
                {
                    var map = value.AsMap();
                    map.OnlyKeys("statement", "responsible");
                    var text = map.Get("statement") ?? throw value.Error("missing required field 'statement'");
                    statement = new ImplementationStatement(text.AsNonEmptyString(), map.Get("responsible") is { } r && !r.IsNull() ? r.AsNonEmptyString() : null);
                }
                if (!statements.TryAdd(requirement.Id, statement)) throw value.Error($"requirement {requirement.Id} is given twice");
            }
        }
        return new ImplementationStatements
        {
            SystemName = root.Get("system_name") is { } n && !n.IsNull() ? n.AsNonEmptyString() : null,
            Requirements = statements,
        };
    }
}

/// <summary>How one requirement is implemented, in the organization's words, and who is responsible.</summary>
public sealed record ImplementationStatement(string Statement, string? Responsible);
