using System.Globalization;
using System.Net;
using System.Text;
using Custodes.SupplyChain;

namespace Custodes.Web.Charts;

/// <summary>
/// A portfolio as a layered graph in SVG: providers on the left, their tool instances in the middle, customers on the right, an edge for
/// each way a compromise spreads (operator → tool → customer, or provider → customer when no tool of its own is used). Drawn on the server,
/// readable in print (labels are text, edges are solid or dashed, not colour alone); the page lists the same relationships as a table.
/// </summary>
internal static class PortfolioGraphSvg
{
    /// <summary>Nodes drawn at most per column; larger portfolios are summarized ("… and N more").</summary>
    public const int MaxPerColumn = 40;

    public static string Draw(Portfolio portfolio, string id, string? highlight = null)
    {
        var kinds = portfolio.Organizations.ToDictionary(o => o.Id, o => o, StringComparer.Ordinal);
        var providers = portfolio.Organizations.Where(o => o.Kind.IsProvider()).Select(o => o.Id).ToList();
        var customers = portfolio.Organizations.Where(o => !o.Kind.IsProvider() && portfolio.Relationships.Any(r => r.Customer == o.Id)).Select(o => o.Id).ToList();
        var tools = portfolio.Tools.Select(t => t.Id).ToList();
        var columns = new[] { Cap(providers), Cap(tools), Cap(customers) };
        const int rowHeight = 34, top = 36, colWidth = 230, boxWidth = 190, boxHeight = 24;
        var rows = columns.Max(c => c.Shown.Count + (c.Hidden > 0 ? 1 : 0));
        var height = top + Math.Max(1, rows) * rowHeight + 10;
        var width = colWidth * 3 + 20;
        var at = new Dictionary<string, (double X, double Y)>(StringComparer.Ordinal);
        for (var c = 0; c < 3; c++)
            for (var i = 0; i < columns[c].Shown.Count; i++)
                at[columns[c].Shown[i]] = (10 + c * colWidth, top + i * rowHeight);

        var desc = new StringBuilder($"{providers.Count} providers, {tools.Count} tools and {customers.Count} customers; {portfolio.Relationships.Count} relationships. ");
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart portfolio-graph\" viewBox=\"0 0 {width} {height}\" width=\"100%\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\">");
        sb.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-t\">Who reaches whom: providers, their tools, customers</title>");
        string[] headings = ["Providers", "Tools", "Customers"];
        for (var c = 0; c < 3; c++)
            sb.Append(CultureInfo.InvariantCulture, $"<text class=\"graph-heading\" x=\"{10 + c * colWidth}\" y=\"20\" font-size=\"13\" font-weight=\"700\">{headings[c]}</text>");

        var operators = portfolio.Tools.ToDictionary(t => t.Id, t => t.Operator, StringComparer.Ordinal);
        var edges = new HashSet<(string, string, bool)>();
        foreach (var t in portfolio.Tools) edges.Add((t.Operator, t.Id, false));
        foreach (var r in portfolio.Relationships)
        {
            foreach (var t in r.Tools) edges.Add((t, r.Customer, false));
            if (!r.Tools.Any(t => operators[t] == r.Provider)) edges.Add((r.Provider, r.Customer, true));
            desc.Append(CultureInfo.InvariantCulture, $"{Name(kinds, r.Provider)} serves {Name(kinds, r.Customer)}{(r.Tools.Count > 0 ? $" through {string.Join(", ", r.Tools)}" : "")}. ");
        }
        foreach (var (from, to, direct) in edges)
        {
            if (!at.TryGetValue(from, out var a) || !at.TryGetValue(to, out var b)) continue;
            var cls = highlight is not null && (from == highlight || to == highlight) ? "graph-edge graph-edge-hi" : "graph-edge";
            sb.Append(CultureInfo.InvariantCulture, $"<line class=\"{cls}\" x1=\"{a.X + boxWidth:0.#}\" y1=\"{a.Y + boxHeight / 2.0:0.#}\" x2=\"{b.X:0.#}\" y2=\"{b.Y + boxHeight / 2.0:0.#}\" stroke-width=\"1.5\"{(direct ? " stroke-dasharray=\"5 3\"" : "")}/>");
        }
        for (var c = 0; c < 3; c++)
        {
            var column = columns[c];
            foreach (var node in column.Shown)
            {
                var (x, y) = at[node];
                var label = c == 1 ? $"{node} ({PortfolioNames.Products.Name(portfolio.Tools.First(t => t.Id == node).Product)})" : Name(kinds, node);
                var data = c == 2 && kinds[node].Data is { } d && d != DataClasses.None ? $" · {string.Join(" ", PortfolioNames.DataNames(d))}" : "";
                var cls = node == highlight ? "graph-node graph-node-hi" : c == 1 ? "graph-node graph-tool" : "graph-node";
                sb.Append(CultureInfo.InvariantCulture, $"<g><rect class=\"{cls}\" x=\"{x}\" y=\"{y}\" width=\"{boxWidth}\" height=\"{boxHeight}\" rx=\"4\" stroke-width=\"1\"/>");
                sb.Append(CultureInfo.InvariantCulture, $"<text class=\"graph-label\" x=\"{x + 6}\" y=\"{y + 16}\" font-size=\"11\">{Esc(Truncate(label + data, 32))}</text></g>");
            }
            if (column.Hidden > 0)
                sb.Append(CultureInfo.InvariantCulture, $"<text class=\"graph-label\" x=\"{10 + c * colWidth}\" y=\"{top + column.Shown.Count * rowHeight + 16}\" font-size=\"11\">… and {column.Hidden} more</text>");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<desc id=\"{id}-d\">{Esc(desc.Length > 2000 ? desc.ToString(0, 2000) + "…" : desc.ToString())}</desc>");
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static (IReadOnlyList<string> Shown, int Hidden) Cap(List<string> ids) =>
        ids.Count <= MaxPerColumn ? (ids, 0) : (ids.Take(MaxPerColumn).ToArray(), ids.Count - MaxPerColumn);

    private static string Name(Dictionary<string, Organization> kinds, string id) => kinds.TryGetValue(id, out var o) ? o.Name : id;

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string Esc(string text) => WebUtility.HtmlEncode(text);
}
