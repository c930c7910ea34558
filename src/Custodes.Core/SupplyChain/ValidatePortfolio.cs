using System.Text.RegularExpressions;
using Custodes.Common;

namespace Custodes.SupplyChain;

/// <summary>Checks a portfolio's references and structure; the first problem found, in document order, is thrown as a <see cref="BadInputException"/>.</summary>
/// <remarks>
/// All-or-nothing: a portfolio is either valid as a whole or rejected. Rules (docs/supply-chain.md):
/// ids are unique across organizations and tools; every reference names a known organization or tool; a relationship's provider is a
/// provider kind and never its own customer; a provider serves a customer in one relationship; a relationship's data is a subset of the
/// customer's declared data; a tool used in a relationship is operated by the relationship's provider, by one of that provider's own
/// providers (a NOC or white-label RMM it subcontracts), or by the customer (its own admin console); and provider→subcontractor chains
/// have no cycle.
/// </remarks>
public static partial class ValidatePortfolio
{
    /// <param name="portfolio">The portfolio to check.</param>
    /// <param name="error">Builds the exception for a JSON path and message; the file reader uses it to add file and line.</param>
    public static void Check(Portfolio portfolio, Func<string, string, BadInputException>? error = null)
    {
        error ??= static (path, message) => new BadInputException(message, path: path);
        var kinds = new Dictionary<string, OrganizationKind>(portfolio.Organizations.Count, StringComparer.Ordinal);
        var orgData = new Dictionary<string, DataClasses?>(portfolio.Organizations.Count, StringComparer.Ordinal);
        var where = new Dictionary<string, string>(portfolio.Organizations.Count + portfolio.Tools.Count, StringComparer.Ordinal);

        for (var i = 0; i < portfolio.Organizations.Count; i++)
        {
            var org = portfolio.Organizations[i];
            var path = $"$.organizations[{i}]";
            CheckId(org.Id, $"{path}.id", where, error);
            if (string.IsNullOrWhiteSpace(org.Name)) throw error($"{path}.name", "expected a non-empty name");
            kinds[org.Id] = org.Kind;
            orgData[org.Id] = org.Data;
        }
        var tools = new Dictionary<string, Tool>(portfolio.Tools.Count, StringComparer.Ordinal);
        for (var i = 0; i < portfolio.Tools.Count; i++)
        {
            var tool = portfolio.Tools[i];
            var path = $"$.tools[{i}]";
            CheckId(tool.Id, $"{path}.id", where, error);
            if (!kinds.ContainsKey(tool.Operator)) throw error($"{path}.operator", Unknown("organization", tool.Operator, where));
            if (tool.Instance is { } instance && !(Uri.TryCreate(instance, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
                throw error($"{path}.instance", $"'{instance}' is not an http(s) URL; expected the instance's address such as https://vsa.example.com");
            tools[tool.Id] = tool;
        }
        for (var i = 0; i < portfolio.Organizations.Count; i++)
            if (portfolio.Organizations[i].Recovery is { } recovery)
                CheckRecovery(portfolio.Organizations[i], recovery, $"$.organizations[{i}].recovery", kinds, where, error);
        for (var i = 0; i < portfolio.Organizations.Count; i++)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var tenants = portfolio.Organizations[i].Tenants;
            for (var t = 0; t < tenants.Count; t++)
            {
                var path = $"$.organizations[{i}].tenants[{t}]";
                if (string.IsNullOrWhiteSpace(tenants[t].Id)) throw error($"{path}.id", "expected a non-empty tenant id");
                if (!seen.Add(tenants[t].Id)) throw error($"{path}.id", $"tenant '{tenants[t].Id}' is listed twice for {portfolio.Organizations[i].Id}");
                if (tenants[t].Tool is { } toolId && !tools.ContainsKey(toolId)) throw error($"{path}.tool", Unknown("tool", toolId, where));
            }
        }

        // Providers of each organization, to allow a tool operated by the provider's own provider (checked after all relationships are read).
        var providersOf = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var pairs = new Dictionary<(string, string), int>();
        var relationshipIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < portfolio.Relationships.Count; i++)
        {
            var r = portfolio.Relationships[i];
            var path = $"$.relationships[{i}]";
            if (r.Id is { } id)
            {
                if (!IdPattern().IsMatch(id)) throw error($"{path}.id", $"'{id}' is not a valid id; {IdRule}");
                if (!relationshipIds.Add(id)) throw error($"{path}.id", $"duplicate relationship id '{id}'");
            }
            if (!kinds.TryGetValue(r.Customer, out _)) throw error($"{path}.customer", Unknown("organization", r.Customer, where));
            if (!kinds.TryGetValue(r.Provider, out var providerKind)) throw error($"{path}.provider", Unknown("organization", r.Provider, where));
            if (r.Customer == r.Provider) throw error($"{path}.provider", $"'{r.Provider}' cannot be its own provider");
            if (!providerKind.IsProvider())
                throw error($"{path}.provider", $"'{r.Provider}' is a {PortfolioNames.Kinds.Name(providerKind)} and cannot be a provider; a provider is {string.Join(", ", PortfolioNames.Kinds.Values.Where(k => k.IsProvider()).Select(PortfolioNames.Kinds.Name))}");
            if (pairs.TryGetValue((r.Customer, r.Provider), out var first))
                throw error($"{path}", $"{r.Provider} already serves {r.Customer} in $.relationships[{first}]; describe one provider's services to one customer in one relationship");
            pairs[(r.Customer, r.Provider)] = i;
            if (r.Endpoints is < 0) throw error($"{path}.endpoints", $"expected a count of endpoints (0 or more), found {r.Endpoints}");
            if (r.Servers is < 0) throw error($"{path}.servers", $"expected a count of servers (0 or more), found {r.Servers}");
            if (r.Backup is { } backup) CheckBackup(r, backup, $"{path}.backup", kinds, where, error);
            if (r.Data is { } data && orgData[r.Customer] is { } customerData && (data & ~customerData) != 0)
                throw error($"{path}.data", $"{string.Join(", ", PortfolioNames.Data.Names(data & ~customerData))} is not among the data {r.Customer} holds ({Describe(customerData)}); a relationship can only reach the customer's data");
            if (r.ContractStart is { } start && r.ContractEnd is { } end && end < start)
                throw error($"{path}.contract_end", $"the contract ends ({end:yyyy-MM-dd}) before it starts ({start:yyyy-MM-dd})");
            for (var t = 0; t < r.Tools.Count; t++)
            {
                if (!tools.ContainsKey(r.Tools[t])) throw error($"{path}.tools[{t}]", Unknown("tool", r.Tools[t], where));
                for (var u = 0; u < t; u++) // a relationship lists a handful of tools: no set needed
                    if (r.Tools[u] == r.Tools[t]) throw error($"{path}.tools[{t}]", $"tool '{r.Tools[t]}' is listed twice");
            }
            if (!providersOf.TryGetValue(r.Customer, out var set)) providersOf[r.Customer] = set = new HashSet<string>(StringComparer.Ordinal);
            set.Add(r.Provider);
        }
        for (var i = 0; i < portfolio.Relationships.Count; i++)
        {
            var r = portfolio.Relationships[i];
            for (var t = 0; t < r.Tools.Count; t++)
            {
                var op = tools[r.Tools[t]].Operator;
                if (op == r.Provider || op == r.Customer || (providersOf.TryGetValue(r.Provider, out var upstream) && upstream.Contains(op))) continue;
                throw error($"$.relationships[{i}].tools[{t}]",
                    $"tool '{r.Tools[t]}' is operated by {op}, which is neither the provider {r.Provider}, one of {r.Provider}'s own providers, nor the customer {r.Customer}; " +
                    $"add a relationship in which {op} serves {r.Provider}, or list the tool under the relationship of its operator");
            }
        }
        if (FindCycle(portfolio) is { } cycle)
            throw error($"$.relationships[{cycle.ClosingRelationship}]",
                $"provider cycle: {string.Join(" → ", cycle.Chain)} (each subcontracts to the next); a provider cannot, through subcontractors, serve itself");
    }

    private static void CheckRecovery(Organization org, Recovery recovery, string path, Dictionary<string, OrganizationKind> kinds, Dictionary<string, string> where, Func<string, string, BadInputException> error)
    {
        if (!org.Kind.IsProvider())
            throw error(path, $"'{org.Id}' is a {PortfolioNames.Kinds.Name(org.Kind)}; only a provider restores customers, so only a provider states a recovery capacity");
        if (recovery.Crews is < 1 or > PortfolioFile.MaxCrews) throw error($"{path}.crews", $"expected from 1 to {PortfolioFile.MaxCrews} crews, found {recovery.Crews}");
        CheckHours(recovery.HoursPerEndpoint, $"{path}.hours_per_endpoint", error);
        CheckHours(recovery.HoursPerServer, $"{path}.hours_per_server", error);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var s = 0; s < recovery.Surge.Count; s++)
        {
            var partner = recovery.Surge[s];
            var at = $"{path}.surge[{s}]";
            if (string.IsNullOrWhiteSpace(partner.Name)) throw error($"{at}.name", "expected the surge partner's name");
            if (!names.Add(partner.Name.Trim())) throw error($"{at}.name", $"surge partner '{partner.Name}' is listed twice");
            if (partner.Crews is < 1 or > PortfolioFile.MaxCrews) throw error($"{at}.crews", $"expected from 1 to {PortfolioFile.MaxCrews} crews, found {partner.Crews}");
            CheckHours(partner.StartDelayHours, $"{at}.start_delay_hours", error);
        }
        var listed = new HashSet<string>(StringComparer.Ordinal);
        for (var p = 0; p < recovery.Priority.Count; p++)
        {
            var id = recovery.Priority[p];
            if (!kinds.ContainsKey(id)) throw error($"{path}.priority[{p}]", Unknown("organization", id, where));
            if (id == org.Id) throw error($"{path}.priority[{p}]", $"'{id}' is the provider itself; list the customers it restores first");
            if (!listed.Add(id)) throw error($"{path}.priority[{p}]", $"'{id}' is listed twice");
        }
    }

    private static void CheckBackup(Relationship r, Backup backup, string path, Dictionary<string, OrganizationKind> kinds, Dictionary<string, string> where, Func<string, string, BadInputException> error)
    {
        CheckHours(backup.RpoHours, $"{path}.rpo_hours", error);
        CheckHours(backup.RtoHours, $"{path}.rto_hours", error);
        if (backup.Provider is not { } holder) return;
        if (!kinds.TryGetValue(holder, out var kind)) throw error($"{path}.provider", Unknown("organization", holder, where));
        if (holder != r.Customer && !kind.IsProvider())
            throw error($"{path}.provider", $"'{holder}' is a {PortfolioNames.Kinds.Name(kind)}; a backup is run by a provider or by the customer {r.Customer} itself");
    }

    private static void CheckHours(decimal? hours, string path, Func<string, string, BadInputException> error)
    {
        if (hours is < 0 or > PortfolioFile.MaxHours)
            throw error(path, $"expected hours from 0 to {PortfolioFile.MaxHours.ToString(System.Globalization.CultureInfo.InvariantCulture)}, found {hours.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
    }

    public const string IdRule = "ids are letters, digits, '.', '_', ':' or '-', starting with a letter or digit, at most 200 characters";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,199}$")]
    private static partial Regex IdPattern();

    private static void CheckId(string id, string path, Dictionary<string, string> where, Func<string, string, BadInputException> error)
    {
        if (string.IsNullOrEmpty(id) || !IdPattern().IsMatch(id)) throw error(path, $"'{id}' is not a valid id; {IdRule}");
        if (where.TryGetValue(id, out var first)) throw error(path, $"duplicate id '{id}' (first at {first}); organizations and tools share one id space");
        where[id] = path[..path.LastIndexOf('.')];
    }

    private static string Unknown(string what, string id, Dictionary<string, string> where)
    {
        var hint = where.TryGetValue(id, out var at)
            ? $" ('{id}' is {(at.StartsWith("$.tools", StringComparison.Ordinal) ? "a tool" : "an organization")}, at {at})"
            : "";
        return $"unknown {what} '{id}'{hint}; every {what} must be declared under {(what == "tool" ? "tools" : "organizations")}";
    }

    private static string Describe(DataClasses data) => data == DataClasses.None ? "none" : string.Join(", ", PortfolioNames.Data.Names(data));

    /// <summary>A cycle in provider→subcontractor chains, in subcontracting order, and the relationship (index) that closes it.</summary>
    public sealed record Cycle(IReadOnlyList<string> Chain, int ClosingRelationship);

    /// <summary>Finds a provider→subcontractor cycle (a subcontracts to b when b is a's provider); null when there is none.</summary>
    /// <remarks>Iterative depth-first search in relationship order, so a 200,000-relationship portfolio neither recurses deeply nor reports a different cycle each run.</remarks>
    public static Cycle? FindCycle(Portfolio portfolio)
    {
        // Edge customer → provider (the customer subcontracts to its provider), labelled with the relationship index.
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        int Node(string id)
        {
            if (!index.TryGetValue(id, out var n)) { n = names.Count; index[id] = n; names.Add(id); }
            return n;
        }
        var edges = new List<(int From, int To, int Rel)>(portfolio.Relationships.Count);
        for (var i = 0; i < portfolio.Relationships.Count; i++)
            edges.Add((Node(portfolio.Relationships[i].Customer), Node(portfolio.Relationships[i].Provider), i));
        var start = new int[names.Count + 1];
        foreach (var e in edges) start[e.From + 1]++;
        for (var i = 0; i < names.Count; i++) start[i + 1] += start[i];
        var to = new (int To, int Rel)[edges.Count];
        var fill = (int[])start.Clone();
        foreach (var e in edges) to[fill[e.From]++] = (e.To, e.Rel);

        var color = new byte[names.Count]; // 0 white, 1 on the stack, 2 done
        var next = new int[names.Count];
        var stack = new List<int>();
        for (var root = 0; root < names.Count; root++)
        {
            if (color[root] != 0) continue;
            stack.Add(root);
            color[root] = 1;
            next[root] = start[root];
            while (stack.Count > 0)
            {
                var node = stack[^1];
                if (next[node] == start[node + 1])
                {
                    color[node] = 2;
                    stack.RemoveAt(stack.Count - 1);
                    continue;
                }
                var (target, rel) = to[next[node]++];
                if (color[target] == 1)
                {
                    var from = stack.LastIndexOf(target);
                    var chain = stack.Skip(from).Select(n => names[n]).Append(names[target]).ToArray();
                    return new Cycle(chain, rel);
                }
                if (color[target] == 0)
                {
                    color[target] = 1;
                    next[target] = start[target];
                    stack.Add(target);
                }
            }
        }
        return null;
    }
}
