using System.Globalization;
using System.Net;
using System.Text;
using Custodes.Assessments;

namespace Custodes.Reports.Ssp;

/// <summary>The system security plan as one self-contained HTML file (inline CSS, no scripts, no external resources), printable and easy to edit.</summary>
public static class SspHtml
{
    public static byte[] Write(SspContent ssp)
    {
        var data = ssp.Data;
        var a = data.Assessment;
        var sb = new StringBuilder();
        string H(string? text) => WebUtility.HtmlEncode(text ?? "");
        string P(string text) => string.Join("", text.ReplaceLineEndings("\n").Split("\n\n").Select(p => $"<p>{H(p).Replace("\n", "<br>")}</p>"));
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append($"<title>System Security Plan: {H(ssp.SystemName)}</title>\n");
        sb.Append("""
            <style>
            :root { --ink: #1b2533; --muted: #5b6776; --accent: #1f3a5f; --rule: #d5dbe3; --band: #f2f4f7; }
            body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink); max-width: 60rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
            header { background: var(--accent); color: #fff; padding: 2rem; border-radius: 6px; margin-bottom: 2rem; }
            header .kicker { font-size: .8rem; font-weight: 700; letter-spacing: .08em; text-transform: uppercase; opacity: .85; }
            header h1 { margin: .3rem 0 .2rem; font-size: 2rem; }
            h2 { color: var(--accent); border-bottom: 1px solid var(--rule); padding-bottom: .3rem; margin-top: 2.2rem; }
            h3 { margin: 1.6rem 0 .4rem; }
            dl.facts { display: grid; grid-template-columns: 15rem 1fr; gap: .3rem 1rem; }
            dl.facts dt { color: var(--muted); font-weight: 600; }
            dl.facts dd { margin: 0; }
            table { width: 100%; border-collapse: collapse; font-size: .92rem; }
            th { background: var(--accent); color: #fff; text-align: left; padding: .4rem .5rem; font-size: .8rem; }
            td { border-bottom: 1px solid var(--rule); padding: .5rem; vertical-align: top; }
            tr:nth-child(even) td { background: var(--band); }
            td.id { font-weight: 700; white-space: nowrap; }
            .req { color: var(--muted); font-size: .85rem; }
            .derived { color: var(--muted); font-style: italic; }
            .who { color: var(--accent); font-size: .85rem; }
            .status { font-weight: 700; white-space: nowrap; }
            .s-met { color: #2e7d32; } .s-not-met { color: #c62828; } .s-not-applicable { color: #607d8b; } .s-unassessed { color: #e08e0b; }
            footer { margin-top: 3rem; color: var(--muted); font-size: .8rem; border-top: 1px solid var(--rule); padding-top: .6rem; }
            @media print { body { max-width: none; padding: 0; } header { border-radius: 0; } tr { break-inside: avoid; } }
            </style>

            """);
        sb.Append("</head>\n<body>\n");
        sb.Append($"<header><div class=\"kicker\">System Security Plan</div><h1>{H(ssp.SystemName)}</h1><div>{H(a.Organization)}</div></header>\n");
        sb.Append("<h2>1. System identification</h2>\n<dl class=\"facts\">\n");
        foreach (var (label, value) in new[]
        {
            ("System name", ssp.SystemName),
            ("Organization", a.Organization),
            ("Framework", $"{data.Catalog.Title} ({data.Catalog.Framework})"),
            ("Security sensitivity", "Moderate (Controlled Unclassified Information)"),
            ("Implementation status as of", a.AssessedOn is { } on ? on.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "Not recorded"),
            ("Requirements implemented", $"{data.Score.Counts.Met + data.Score.Counts.NotApplicable} of {data.Rows.Count} (including {data.Score.Counts.NotApplicable} not applicable)"),
        })
            sb.Append($"<dt>{H(label)}</dt><dd>{H(value)}</dd>\n");
        sb.Append("</dl>\n");
        sb.Append($"<h2>2. System description</h2>\n{P(ssp.Description)}\n");
        sb.Append($"<h2>3. Authorization boundary</h2>\n{P(ssp.Boundary)}\n");
        sb.Append("<h2>4. Requirement implementation</h2>\n");
        foreach (var family in data.Families)
        {
            sb.Append($"<h3 id=\"{H(family.Family.Id)}\">{H(family.Family.Id)} {H(family.Family.Name)}</h3>\n");
            sb.Append("<table>\n<thead><tr><th>Requirement</th><th>Implementation</th><th>Status</th></tr></thead>\n<tbody>\n");
            foreach (var r in ssp.Requirements.Where(r => r.Requirement.FamilyId == family.Family.Id))
            {
                var text = r.Requirement.Title is { } t ? $"{t}. {r.Requirement.Text}" : r.Requirement.Text;
                sb.Append($"<tr id=\"r-{H(r.Requirement.Id)}\"><td class=\"id\">{H(r.Requirement.Id)}<div class=\"req\">{H(text)}</div></td>");
                sb.Append($"<td{(r.FromOrganization ? "" : " class=\"derived\"")}>{H(r.Text).Replace("\n", "<br>")}");
                if (r.Responsible is { } who) sb.Append($"<div class=\"who\">Responsible: {H(who)}</div>");
                sb.Append($"</td><td class=\"status s-{r.Status.ToWire()}\">{H(r.StatusLabel)}</td></tr>\n");
            }
            sb.Append("</tbody>\n</table>\n");
        }
        sb.Append($"<footer>Prepared for {H(a.Organization)} with Custodes. Controlled Unclassified Information may be described in this plan.</footer>\n");
        sb.Append("</body>\n</html>\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
