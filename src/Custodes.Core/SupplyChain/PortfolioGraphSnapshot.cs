using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Custodes.SupplyChain;

// The graph's binary snapshot, written when a portfolio is stored, so that the first query after an import or a restart reads one
// value instead of every row, and finds its nodes by index instead of by id (docs/supply-chain.md, "Stored portfolios").
public sealed partial class PortfolioGraph
{
    /// <summary>The snapshot format <see cref="ToSnapshot"/> writes and <see cref="FromSnapshot"/> reads; anything else is rejected.</summary>
    public const byte SnapshotFormat = 2;

    private const int ChecksumLength = 32;
    private const byte Undeclared = 0xFF;

    /// <summary>The graph as bytes that <see cref="FromSnapshot"/> reads back to a graph with an equal portfolio and identical answers.</summary>
    /// <remarks>
    /// Format 2, little-endian; a string is its UTF-8 byte count (-1 for null) and bytes; a node is its index in the id list:
    /// <code>
    /// byte    format (2)
    /// kinds, products: count, then wire names (organization kinds and tool products travel by name, as in the rows, so that
    ///         reordering an enum cannot change a stored snapshot's meaning; the flags enums have fixed bit values)
    /// ids: count, then the node ids in ordinal order
    /// organizations (document order): count, then node, name, kind (index into kinds), data (flags, or 0xFF when undeclared),
    ///         custodes_organization, tenant count, tenants (id, tool, name), recovery (byte 0 when none, else 1 and: crews (int32, -1 when
    ///         not stated), hours per endpoint, hours per server, surge count, surge partners (name, crews, delay), priority count, nodes)
    /// tools (document order): count, then node, product (index into products), operator node, instance, name
    /// relationships (document order): count, then presence flags (1 endpoints, 2 data, 4 contract start, 8 contract end, 16 servers,
    ///         32 backup), id, customer node, provider node, services (uint16), access (uint16), endpoints (int32), data (byte), tool count,
    ///         tool nodes, contract start and end (day numbers, int32), servers (int32), backup (flags byte: 1 immutable, 2 offsite, 4 last
    ///         restore test, 8 RPO, 16 RTO, 32 provider; then those present: day number, RPO, RTO, provider node); absent values are not written
    /// a decimal (hours) is a presence byte, then its four int32 bits (decimal.GetBits) when present
    /// SHA-256 of everything above (32 bytes)
    /// </code>
    /// The adjacency arrays are not stored: deriving them from node indices is a few linear passes (what made the first query slow was
    /// reading 250,000 rows and looking up 450,000 id strings). Reading makes no relationship records until <see cref="Portfolio"/> is
    /// asked for: on 200,000 relationships they are half the reading time, and blast radius, what-if and concentration never use them.
    /// </remarks>
    public byte[] ToSnapshot()
    {
        var w = new SnapshotWriter();
        w.Byte(SnapshotFormat);
        var kinds = w.Names(PortfolioNames.Kinds);
        var products = w.Names(PortfolioNames.Products);
        w.Int32(_ids.Length);
        foreach (var id in _ids) w.String(id);
        var p = Portfolio;
        w.Int32(p.Organizations.Count);
        foreach (var org in p.Organizations)
        {
            w.Int32(_index[org.Id]);
            w.String(org.Name);
            w.Byte(kinds[org.Kind]);
            w.Byte(org.Data is { } data ? (byte)data : Undeclared);
            w.String(org.CustodesOrganization);
            w.Int32(org.Tenants.Count);
            foreach (var tenant in org.Tenants)
            {
                w.String(tenant.Id);
                w.String(tenant.Tool);
                w.String(tenant.Name);
            }
            w.Recovery(org.Recovery, _index);
        }
        w.Int32(p.Tools.Count);
        foreach (var tool in p.Tools)
        {
            w.Int32(_index[tool.Id]);
            w.Byte(products[tool.Product]);
            w.Int32(_index[tool.Operator]);
            w.String(tool.Instance);
            w.String(tool.Name);
        }
        w.Int32(p.Relationships.Count);
        for (var r = 0; r < p.Relationships.Count; r++)
        {
            var rel = p.Relationships[r];
            w.Byte((byte)((rel.Endpoints is null ? 0 : 1) | (rel.Data is null ? 0 : 2) | (rel.ContractStart is null ? 0 : 4) | (rel.ContractEnd is null ? 0 : 8)
                | (rel.Servers is null ? 0 : 16) | (rel.Backup is null ? 0 : 32)));
            w.String(rel.Id);
            w.Int32(_relCustomer[r]);
            w.Int32(_relProvider[r]);
            w.UInt16((ushort)rel.Services);
            w.UInt16((ushort)rel.Access);
            if (rel.Endpoints is { } endpoints) w.Int32(endpoints);
            if (rel.Data is { } data) w.Byte((byte)data);
            w.Int32(rel.Tools.Count);
            foreach (var tool in rel.Tools) w.Int32(_index[tool]);
            if (rel.ContractStart is { } start) w.Int32(start.DayNumber);
            if (rel.ContractEnd is { } end) w.Int32(end.DayNumber);
            if (rel.Servers is { } servers) w.Int32(servers);
            if (rel.Backup is { } backup) w.Backup(backup, _index);
        }
        return w.Finish();
    }

    /// <summary>Reads a graph written by <see cref="ToSnapshot"/>: the same answers to every query, and an equal <see cref="Portfolio"/>.</summary>
    /// <exception cref="InvalidDataException">The snapshot is of another format, damaged, or inconsistent; rebuild the graph from the portfolio.</exception>
    public static PortfolioGraph FromSnapshot(ReadOnlySpan<byte> snapshot)
    {
        if (snapshot.IsEmpty) throw Damaged("it is empty");
        if (snapshot[0] != SnapshotFormat)
            throw new InvalidDataException($"the portfolio graph snapshot is in format {snapshot[0]}; this version of Custodes reads format {SnapshotFormat} only");
        if (snapshot.Length < 1 + ChecksumLength) throw Damaged("it ends early");
        var content = snapshot[..^ChecksumLength];
        Span<byte> checksum = stackalloc byte[ChecksumLength];
        SHA256.HashData(content, checksum);
        if (!checksum.SequenceEqual(snapshot[^ChecksumLength..])) throw Damaged("its checksum does not match its content");

        var r = new SnapshotReader(content[1..]);
        var kinds = r.Names(PortfolioNames.Kinds);
        var products = r.Names(PortfolioNames.Products);
        var ids = new string[r.Count()];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = r.String() ?? throw Damaged("a node id is null");
            if (i > 0 && string.CompareOrdinal(ids[i - 1], ids[i]) >= 0) throw Damaged($"node ids are not in ordinal order at '{ids[i]}'");
        }
        var nodes = Nodes.Of(ids);

        var organizations = new Organization[r.Count()];
        for (var i = 0; i < organizations.Length; i++)
        {
            var node = r.FreeNode(nodes);
            var name = r.String() ?? throw Damaged($"organization '{ids[node]}' has no name");
            var kind = r.Pick(kinds);
            var data = r.Byte();
            var custodesOrganization = r.String();
            var tenantCount = r.Count();
            var tenants = tenantCount == 0 ? [] : new Tenant[tenantCount];
            for (var t = 0; t < tenants.Length; t++)
                tenants[t] = new Tenant { Id = r.String() ?? throw Damaged($"a tenant of '{ids[node]}' has no id"), Tool = r.String(), Name = r.String() };
            var recovery = r.Recovery(ids);
            organizations[i] = nodes.Organizations[node] = new Organization
            {
                Id = ids[node], Name = name, Kind = kind, Data = data == Undeclared ? null : (DataClasses)data, Tenants = tenants, CustodesOrganization = custodesOrganization,
                Recovery = recovery,
            };
        }
        var tools = new Tool[r.Count()];
        var operators = new int[tools.Length];
        for (var i = 0; i < tools.Length; i++)
        {
            var node = r.FreeNode(nodes);
            var product = r.Pick(products);
            operators[i] = r.Node(ids.Length);
            tools[i] = nodes.Tools[node] = new Tool { Id = ids[node], Product = product, Operator = ids[operators[i]], Instance = r.String(), Name = r.String() };
        }
        if (organizations.Length + tools.Length != ids.Length) throw Damaged($"{ids.Length} ids for {organizations.Length} organizations and {tools.Length} tools");
        foreach (var op in operators)
            if (nodes.Organizations[op] is null) throw Damaged($"tool operator '{ids[op]}' is not an organization");

        var count = r.Count();
        // The relationships' records are made when Portfolio is first asked for, from a copy of their bytes: the queries read the links alone.
        var section = content[(1 + r.Position)..].ToArray();
        var links = new Link[count];
        var toolStart = new int[count + 1];
        var linkTools = new List<int>(count);
        for (var i = 0; i < count; i++)
        {
            var rel = r.Relationship(nodes, linkTools);
            links[i] = new Link(rel.Customer, rel.Provider, rel.Endpoints ?? 0, rel.Access, rel.Data, rel.Servers ?? 0, rel.Backup);
            toolStart[i + 1] = linkTools.Count;
        }
        if (!r.AtEnd) throw Damaged("bytes are left after the last relationship");
        var portfolio = new Lazy<Portfolio>(() => new Portfolio { Organizations = organizations, Tools = tools, Relationships = Relationships(section, count, nodes) });
        return new PortfolioGraph(nodes, links, toolStart, [.. linkTools], portfolio);
    }

    private static Relationship[] Relationships(byte[] section, int count, Nodes nodes)
    {
        var r = new SnapshotReader(section);
        var relationships = new Relationship[count];
        var tools = new List<int>();
        for (var i = 0; i < count; i++)
        {
            tools.Clear();
            var rel = r.Relationship(nodes, tools);
            relationships[i] = new Relationship
            {
                Id = rel.Id, Customer = nodes.Ids[rel.Customer], Provider = nodes.Ids[rel.Provider], Services = rel.Services,
                Tools = tools.Count == 0 ? [] : tools.Select(t => nodes.Ids[t]).ToArray(),
                Access = rel.Access, Endpoints = rel.Endpoints, Data = rel.Data, ContractStart = rel.ContractStart, ContractEnd = rel.ContractEnd,
                Servers = rel.Servers, Backup = rel.Backup,
            };
        }
        return relationships;
    }

    /// <summary>A relationship as the snapshot holds it, by node index.</summary>
    private readonly record struct StoredRelationship(
        string? Id, int Customer, int Provider, Services Services, AccessLevels Access, int? Endpoints, DataClasses? Data, DateOnly? ContractStart, DateOnly? ContractEnd,
        int? Servers, Backup? Backup);

    private static InvalidDataException Damaged(string why) => new($"the portfolio graph snapshot is damaged: {why}");

    private sealed class SnapshotWriter
    {
        private readonly ArrayBufferWriter<byte> _out = new(1 << 16);

        public void Byte(byte value)
        {
            _out.GetSpan(1)[0] = value;
            _out.Advance(1);
        }

        public void UInt16(ushort value)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(_out.GetSpan(2), value);
            _out.Advance(2);
        }

        public void Int32(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_out.GetSpan(4), value);
            _out.Advance(4);
        }

        public void String(string? value)
        {
            if (value is null)
            {
                Int32(-1);
                return;
            }
            var length = Encoding.UTF8.GetByteCount(value);
            Int32(length);
            Encoding.UTF8.GetBytes(value, _out.GetSpan(length));
            _out.Advance(length);
        }

        public void Decimal(decimal? value)
        {
            Byte(value is null ? (byte)0 : (byte)1);
            if (value is not { } v) return;
            Span<int> bits = stackalloc int[4];
            decimal.GetBits(v, bits);
            foreach (var bit in bits) Int32(bit);
        }

        public void Recovery(Recovery? recovery, Dictionary<string, int> index)
        {
            Byte(recovery is null ? (byte)0 : (byte)1);
            if (recovery is null) return;
            Int32(recovery.Crews ?? -1);
            Decimal(recovery.HoursPerEndpoint);
            Decimal(recovery.HoursPerServer);
            Int32(recovery.Surge.Count);
            foreach (var partner in recovery.Surge)
            {
                String(partner.Name);
                Int32(partner.Crews);
                Decimal(partner.StartDelayHours);
            }
            Int32(recovery.Priority.Count);
            foreach (var id in recovery.Priority) Int32(index[id]);
        }

        public void Backup(Backup backup, Dictionary<string, int> index)
        {
            Byte((byte)((backup.Immutable ? 1 : 0) | (backup.Offsite ? 2 : 0) | (backup.LastRestoreTest is null ? 0 : 4) | (backup.RpoHours is null ? 0 : 8)
                | (backup.RtoHours is null ? 0 : 16) | (backup.Provider is null ? 0 : 32)));
            if (backup.LastRestoreTest is { } tested) Int32(tested.DayNumber);
            if (backup.RpoHours is { } rpo) Decimal(rpo);
            if (backup.RtoHours is { } rto) Decimal(rto);
            if (backup.Provider is { } provider) Int32(index[provider]);
        }

        /// <summary>Writes an enum's wire names; returns each value's position among them.</summary>
        public Dictionary<T, byte> Names<T>(WireNames<T> names) where T : struct, Enum
        {
            Int32(names.All.Count);
            var positions = new Dictionary<T, byte>();
            for (var i = 0; i < names.All.Count; i++)
            {
                String(names.All[i]);
                positions[names.Values[i]] = (byte)i;
            }
            return positions;
        }

        public byte[] Finish()
        {
            var content = _out.WrittenSpan;
            var snapshot = new byte[content.Length + ChecksumLength];
            content.CopyTo(snapshot);
            SHA256.HashData(content, snapshot.AsSpan(content.Length));
            return snapshot;
        }
    }

    /// <summary>Reads the snapshot's values in order; anything out of range is <see cref="Damaged"/>, never an index error later.</summary>
    private ref struct SnapshotReader(ReadOnlySpan<byte> content)
    {
        private readonly ReadOnlySpan<byte> _content = content;
        private int _at;

        public readonly bool AtEnd => _at == _content.Length;

        public readonly int Position => _at;

        public byte Byte() => Take(1)[0];

        public ushort UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        /// <summary>A count of things still to read: each takes at least a byte, so a damaged count cannot allocate more than the snapshot holds.</summary>
        public int Count()
        {
            var count = Int32();
            return count >= 0 && count <= _content.Length - _at ? count : throw Damaged($"a count of {count} does not fit in what is left");
        }

        public string? String()
        {
            var length = Int32();
            if (length == -1) return null;
            if (length < 0) throw Damaged($"a string of length {length}");
            return Encoding.UTF8.GetString(Take(length));
        }

        public DateOnly Day()
        {
            var day = Int32();
            return day >= DateOnly.MinValue.DayNumber && day <= DateOnly.MaxValue.DayNumber ? DateOnly.FromDayNumber(day) : throw Damaged($"day number {day}");
        }

        public int Node(int count)
        {
            var node = Int32();
            return (uint)node < (uint)count ? node : throw Damaged($"node {node} is out of range (0–{count - 1})");
        }

        /// <summary>The node of the next organization or tool, which no other one has taken.</summary>
        public int FreeNode(Nodes nodes)
        {
            var node = Node(nodes.Ids.Length);
            return nodes.Organizations[node] is null && nodes.Tools[node] is null ? node : throw Damaged($"'{nodes.Ids[node]}' is listed twice");
        }

        /// <summary>The next relationship; its tool nodes are added to <paramref name="tools"/>.</summary>
        public StoredRelationship Relationship(Nodes nodes, List<int> tools)
        {
            var present = Byte();
            var id = String();
            var customer = OrganizationNode(nodes);
            var provider = OrganizationNode(nodes);
            var services = (Services)UInt16();
            var access = (AccessLevels)UInt16();
            int? endpoints = (present & 1) != 0 ? Int32() : null;
            DataClasses? data = (present & 2) != 0 ? (DataClasses)Byte() : null;
            var count = Count();
            for (var t = 0; t < count; t++)
            {
                var tool = Node(nodes.Ids.Length);
                tools.Add(nodes.Tools[tool] is not null ? tool : throw Damaged($"'{nodes.Ids[tool]}' is used as a tool"));
            }
            DateOnly? start = (present & 4) != 0 ? Day() : null;
            DateOnly? end = (present & 8) != 0 ? Day() : null;
            int? servers = (present & 16) != 0 ? Int32() : null;
            var backup = (present & 32) != 0 ? Backup(nodes) : null;
            return new StoredRelationship(id, customer, provider, services, access, endpoints, data, start, end, servers, backup);
        }

        public decimal? Decimal()
        {
            var present = Byte();
            if (present == 0) return null;
            if (present != 1) throw Damaged($"decimal presence byte {present}");
            Span<int> bits = stackalloc int[4];
            for (var i = 0; i < 4; i++) bits[i] = Int32();
            try
            {
                return new decimal(bits);
            }
            catch (ArgumentException)
            {
                throw Damaged("a decimal's bits are invalid");
            }
        }

        public Recovery? Recovery(string[] ids)
        {
            var present = Byte();
            if (present == 0) return null;
            if (present != 1) throw Damaged($"recovery presence byte {present}");
            var crews = Int32();
            var perEndpoint = Decimal();
            var perServer = Decimal();
            var surge = new SurgePartner[Count()];
            for (var s = 0; s < surge.Length; s++)
                surge[s] = new SurgePartner { Name = String() ?? throw Damaged("a surge partner has no name"), Crews = Int32(), StartDelayHours = Decimal() ?? 0 };
            var priority = new string[Count()];
            for (var p = 0; p < priority.Length; p++) priority[p] = ids[Node(ids.Length)];
            return new Recovery { Crews = crews == -1 ? null : crews, HoursPerEndpoint = perEndpoint, HoursPerServer = perServer, Surge = surge, Priority = priority };
        }

        public Backup Backup(Nodes nodes)
        {
            var flags = Byte();
            DateOnly? tested = (flags & 4) != 0 ? Day() : null;
            decimal? rpo = (flags & 8) != 0 ? Decimal() : null;
            decimal? rto = (flags & 16) != 0 ? Decimal() : null;
            string? provider = (flags & 32) != 0 ? nodes.Ids[OrganizationNode(nodes)] : null;
            return new Backup { Immutable = (flags & 1) != 0, Offsite = (flags & 2) != 0, LastRestoreTest = tested, RpoHours = rpo, RtoHours = rto, Provider = provider };
        }

        public int OrganizationNode(Nodes nodes)
        {
            var node = Node(nodes.Ids.Length);
            return nodes.Organizations[node] is not null ? node : throw Damaged($"'{nodes.Ids[node]}' is not an organization");
        }

        /// <summary>An enum's wire names as written, mapped to this version's values.</summary>
        public T[] Names<T>(WireNames<T> names) where T : struct, Enum
        {
            var values = new T[Count()];
            for (var i = 0; i < values.Length; i++)
            {
                var name = String();
                if (!names.TryParse(name, out values[i])) throw new InvalidDataException($"the portfolio graph snapshot names '{name}', which this version of Custodes does not know");
            }
            return values;
        }

        public T Pick<T>(T[] values)
        {
            var i = Byte();
            return i < values.Length ? values[i] : throw Damaged($"value {i} is not one of the {values.Length} names");
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count > _content.Length - _at) throw Damaged("it ends early");
            var span = _content.Slice(_at, count);
            _at += count;
            return span;
        }
    }
}
