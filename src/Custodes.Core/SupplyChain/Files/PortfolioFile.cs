using System.Text.Encodings.Web;
using System.Text.Json;
using Custodes.Common;
using Custodes.Common.Documents;

namespace Custodes.SupplyChain;

/// <summary>Reads and writes <c>custodes.portfolio/v1</c> files (JSON or YAML): contracts §8, extended with the fields in docs/supply-chain.md.</summary>
public static class PortfolioFile
{
    /// <summary>Largest portfolio file accepted: 200,000 relationships in JSON fit well within it.</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    private static readonly string[] RootKeys = ["schema", "organizations", "tools", "relationships"];
    private static readonly string[] OrganizationKeys = ["id", "name", "kind", "data", "tenants", "custodes_organization", "recovery"];
    private static readonly string[] RecoveryKeys = ["crews", "hours_per_endpoint", "hours_per_server", "surge", "priority"];
    private static readonly string[] SurgeKeys = ["name", "crews", "start_delay_hours"];
    private static readonly string[] BackupKeys = ["immutable", "offsite", "last_restore_test", "rpo_hours", "rto_hours", "provider"];
    private static readonly string[] TenantKeys = ["id", "tool", "name"];
    private static readonly string[] ToolKeys = ["id", "product", "operator", "instance", "name"];
    private static readonly string[] RelationshipKeys = ["id", "customer", "provider", "services", "tools", "access", "endpoints", "data", "contract_start", "contract_end", "servers", "backup"];

    /// <summary>Largest number of crews, and of hours per endpoint, server, delay or objective, a file may state: beyond them a value is a typo.</summary>
    public const int MaxCrews = 10_000;
    public const decimal MaxHours = 100_000m;

    /// <summary>Parses and validates a portfolio; every error names the file, JSON path and line. Nothing is returned unless all of it is valid.</summary>
    public static Portfolio Parse(ReadOnlySpan<byte> bytes, string file)
    {
        var root = DocumentReader.Read(bytes, file).AsMap();
        root.OnlyKeys(RootKeys);
        var schema = root.Required("schema");
        if (schema.AsString() != Portfolio.Schema)
            throw schema.Error($"unsupported schema {DocNodeExtensions.Describe(schema)}; expected '{Portfolio.Schema}'");
        var portfolio = new Portfolio
        {
            Organizations = List(root, "organizations", ReadOrganization),
            Tools = List(root, "tools", ReadTool),
            Relationships = List(root, "relationships", ReadRelationship),
        };
        ValidatePortfolio.Check(portfolio, (path, message) => DocReading.ErrorAt(root, path, message));
        return portfolio;
    }

    private static IReadOnlyList<T> List<T>(DocMap root, string key, Func<DocMap, T> read)
    {
        var node = root.Get(key);
        if (node.IsNull()) return [];
        var items = node!.AsList().Items;
        var result = new T[items.Count];
        for (var i = 0; i < items.Count; i++) result[i] = read(items[i].AsMap());
        return result;
    }

    private static Organization ReadOrganization(DocMap map)
    {
        map.OnlyKeys(OrganizationKeys);
        return new Organization
        {
            Id = map.Required("id").AsString(),
            Name = map.Required("name").AsNonEmptyString(),
            Kind = map.Required("kind").Enum(PortfolioNames.Kinds, "organization kind"),
            Data = map.Get("data") is { } data && !data.IsNull() ? data.DataClasses() : null,
            Tenants = map.Get("tenants") is { } tenants && !tenants.IsNull() ? tenants.AsList().Items.Select(ReadTenant).ToArray() : [],
            CustodesOrganization = map.OptionalString("custodes_organization"),
            Recovery = map.Get("recovery") is { } recovery && !recovery.IsNull() ? ReadRecovery(recovery.AsMap()) : null,
        };
    }

    private static Recovery ReadRecovery(DocMap map)
    {
        map.OnlyKeys(RecoveryKeys);
        return new Recovery
        {
            Crews = map.OptionalInt("crews", 1, MaxCrews),
            HoursPerEndpoint = map.OptionalDecimal("hours_per_endpoint", 0, MaxHours),
            HoursPerServer = map.OptionalDecimal("hours_per_server", 0, MaxHours),
            Surge = map.Get("surge") is { } surge && !surge.IsNull() ? surge.AsList().Items.Select(s => ReadSurge(s.AsMap())).ToArray() : [],
            Priority = map.Get("priority") is { } priority && !priority.IsNull() ? priority.AsList().Items.Select(p => p.AsString()).ToArray() : [],
        };
    }

    private static SurgePartner ReadSurge(DocMap map)
    {
        map.OnlyKeys(SurgeKeys);
        return new SurgePartner
        {
            Name = map.Required("name").AsNonEmptyString(),
            Crews = map.Required("crews").AsInt(1, MaxCrews),
            StartDelayHours = map.OptionalDecimal("start_delay_hours", 0, MaxHours) ?? 0,
        };
    }

    private static Backup ReadBackup(DocMap map)
    {
        map.OnlyKeys(BackupKeys);
        return new Backup
        {
            Immutable = map.OptionalBool("immutable") ?? false,
            Offsite = map.OptionalBool("offsite") ?? false,
            LastRestoreTest = map.OptionalDate("last_restore_test"),
            RpoHours = map.OptionalDecimal("rpo_hours", 0, MaxHours),
            RtoHours = map.OptionalDecimal("rto_hours", 0, MaxHours),
            Provider = map.OptionalString("provider"),
        };
    }

    private static Tenant ReadTenant(DocNode node)
    {
        if (node is DocScalar) return new Tenant { Id = node.AsNonEmptyString() };
        var map = node.AsMap();
        map.OnlyKeys(TenantKeys);
        return new Tenant { Id = map.Required("id").AsNonEmptyString(), Tool = map.OptionalString("tool"), Name = map.OptionalString("name") };
    }

    private static Tool ReadTool(DocMap map)
    {
        map.OnlyKeys(ToolKeys);
        return new Tool
        {
            Id = map.Required("id").AsString(),
            Product = map.Required("product").Enum(PortfolioNames.Products, "product"),
            Operator = map.Required("operator").AsString(),
            Instance = map.OptionalString("instance"),
            Name = map.OptionalString("name"),
        };
    }

    private static Relationship ReadRelationship(DocMap map)
    {
        map.OnlyKeys(RelationshipKeys);
        return new Relationship
        {
            Id = map.OptionalString("id"),
            Customer = map.Required("customer").AsString(),
            Provider = map.Required("provider").AsString(),
            Services = map.Get("services") is { } services && !services.IsNull() ? services.Flags(PortfolioNames.Services, "service") : Services.None,
            Tools = map.Get("tools") is { } tools && !tools.IsNull() ? tools.AsList().Items.Select(t => t.AsString()).ToArray() : [],
            Access = map.Get("access") is { } access && !access.IsNull() ? access.Flags(PortfolioNames.Access, "access level") : AccessLevels.None,
            Endpoints = map.OptionalInt("endpoints", 0),
            Data = map.Get("data") is { } data && !data.IsNull() ? data.DataClasses() : null,
            ContractStart = map.OptionalDate("contract_start"),
            ContractEnd = map.OptionalDate("contract_end"),
            Servers = map.OptionalInt("servers", 0),
            Backup = map.Get("backup") is { } backup && !backup.IsNull() ? ReadBackup(backup.AsMap()) : null,
        };
    }

    /// <summary>Writes the portfolio as indented JSON that <see cref="Parse"/> reads back to an equal portfolio.</summary>
    public static byte[] ToJson(Portfolio portfolio)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("schema", Portfolio.Schema);
            w.WriteStartArray("organizations");
            foreach (var org in portfolio.Organizations)
            {
                w.WriteStartObject();
                w.WriteString("id", org.Id);
                w.WriteString("name", org.Name);
                w.WriteString("kind", PortfolioNames.Kinds.Name(org.Kind));
                if (org.Data is { } data) WriteData(w, data);
                if (org.Tenants.Count > 0)
                {
                    w.WriteStartArray("tenants");
                    foreach (var tenant in org.Tenants)
                    {
                        if (tenant.Tool is null && tenant.Name is null) { w.WriteStringValue(tenant.Id); continue; }
                        w.WriteStartObject();
                        w.WriteString("id", tenant.Id);
                        if (tenant.Tool is not null) w.WriteString("tool", tenant.Tool);
                        if (tenant.Name is not null) w.WriteString("name", tenant.Name);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }
                if (org.CustodesOrganization is not null) w.WriteString("custodes_organization", org.CustodesOrganization);
                if (org.Recovery is { } recovery) WriteRecovery(w, recovery);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("tools");
            foreach (var tool in portfolio.Tools)
            {
                w.WriteStartObject();
                w.WriteString("id", tool.Id);
                w.WriteString("product", PortfolioNames.Products.Name(tool.Product));
                w.WriteString("operator", tool.Operator);
                if (tool.Instance is not null) w.WriteString("instance", tool.Instance);
                if (tool.Name is not null) w.WriteString("name", tool.Name);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("relationships");
            foreach (var r in portfolio.Relationships)
            {
                w.WriteStartObject();
                if (r.Id is not null) w.WriteString("id", r.Id);
                w.WriteString("customer", r.Customer);
                w.WriteString("provider", r.Provider);
                if (r.Services != Services.None) WriteNames(w, "services", PortfolioNames.Services.Names(r.Services));
                if (r.Tools.Count > 0) WriteNames(w, "tools", r.Tools);
                var access = PortfolioNames.Access.Names(r.Access);
                if (access.Count == 1) w.WriteString("access", access[0]);
                else if (access.Count > 1) WriteNames(w, "access", access);
                if (r.Endpoints is { } endpoints) w.WriteNumber("endpoints", endpoints);
                if (r.Data is { } data) WriteData(w, data);
                if (r.ContractStart is { } start) w.WriteString("contract_start", start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                if (r.ContractEnd is { } end) w.WriteString("contract_end", end.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                if (r.Servers is { } servers) w.WriteNumber("servers", servers);
                if (r.Backup is { } backup) WriteBackup(w, backup);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Writes the portfolio as YAML with the same content as <see cref="ToJson"/>.</summary>
    public static byte[] ToYaml(Portfolio portfolio) => YamlText.FromJson(ToJson(portfolio));

    private static void WriteRecovery(Utf8JsonWriter w, Recovery recovery)
    {
        w.WriteStartObject("recovery");
        if (recovery.Crews is { } crews) w.WriteNumber("crews", crews);
        if (recovery.HoursPerEndpoint is { } endpoint) w.WriteNumber("hours_per_endpoint", Hours.Normalize(endpoint));
        if (recovery.HoursPerServer is { } server) w.WriteNumber("hours_per_server", Hours.Normalize(server));
        if (recovery.Surge.Count > 0)
        {
            w.WriteStartArray("surge");
            foreach (var partner in recovery.Surge)
            {
                w.WriteStartObject();
                w.WriteString("name", partner.Name);
                w.WriteNumber("crews", partner.Crews);
                w.WriteNumber("start_delay_hours", Hours.Normalize(partner.StartDelayHours));
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (recovery.Priority.Count > 0) WriteNames(w, "priority", recovery.Priority);
        w.WriteEndObject();
    }

    private static void WriteBackup(Utf8JsonWriter w, Backup backup)
    {
        w.WriteStartObject("backup");
        w.WriteBoolean("immutable", backup.Immutable);
        w.WriteBoolean("offsite", backup.Offsite);
        if (backup.LastRestoreTest is { } tested) w.WriteString("last_restore_test", tested.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        if (backup.RpoHours is { } rpo) w.WriteNumber("rpo_hours", Hours.Normalize(rpo));
        if (backup.RtoHours is { } rto) w.WriteNumber("rto_hours", Hours.Normalize(rto));
        if (backup.Provider is not null) w.WriteString("provider", backup.Provider);
        w.WriteEndObject();
    }

    private static void WriteData(Utf8JsonWriter w, DataClasses data) =>
        WriteNames(w, "data", data == DataClasses.None ? [PortfolioNames.NoData] : PortfolioNames.Data.Names(data));

    private static void WriteNames(Utf8JsonWriter w, string key, IReadOnlyList<string> names)
    {
        w.WriteStartArray(key);
        foreach (var name in names) w.WriteStringValue(name);
        w.WriteEndArray();
    }
}
