using System.Globalization;
using System.Text;
using Custodes.Application.Audit;
using Microsoft.AspNetCore.Mvc;

namespace Custodes.Web.Api;

/// <summary><c>/api/v1/audit</c>: the organization's audit trail (changes and security events), filtered and paged, as JSON or CSV.</summary>
internal static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/audit").RequireAuthorization().WithTags("Audit");
        group.MapGet("/", List).WithName("ListAudit")
            .WithSummary("Audit entries, newest first; filters: action, actor (substrings), entity_id, from, to (ISO dates); format=json (paged) or csv (up to 10,000 entries)");
        return group;
    }

    private static async Task<IResult> List(HttpContext context, AuditLog audit, [FromQuery] string? action, [FromQuery] string? actor, [FromQuery(Name = "entity_id")] string? entityId,
        [FromQuery] DateTime? from, [FromQuery] DateTime? to, [FromQuery] int? page, [FromQuery(Name = "page_size")] int? pageSize, [FromQuery] string? format, CancellationToken cancellationToken)
    {
        var tenant = context.User.Tenant();
        var filter = new AuditFilter(action, actor, entityId, from?.ToUniversalTime(), to?.ToUniversalTime());
        if (string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase))
        {
            var all = await audit.ListAsync(tenant.OrganizationId, filter, 0, 10_000, cancellationToken);
            return TypedResults.File(Encoding.UTF8.GetBytes(Csv(all)), "text/csv", "custodes-audit.csv");
        }
        var (number, size) = Paging.Of(page, pageSize);
        var items = await audit.ListAsync(tenant.OrganizationId, filter, Paging.Skip(number, size), size + 1, cancellationToken);
        var query = string.Join("", new[] { ("action", action), ("actor", actor), ("entity_id", entityId) }.Where(p => !string.IsNullOrEmpty(p.Item2)).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}&"));
        return TypedResults.Ok(Paging.Page(items, number, size, $"/api/v1/audit?{query}"));
    }

    /// <summary>RFC 4180 CSV of audit entries (a spreadsheet opens it; cells that would start a formula are prefixed with ').</summary>
    public static string Csv(IEnumerable<AuditEntry> entries)
    {
        var sb = new StringBuilder("sequence,at,actor,action,entity_type,entity_id,before,after,hash\r\n");
        foreach (var e in entries)
            sb.AppendJoin(',', e.Sequence.ToString(CultureInfo.InvariantCulture), e.At.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
                Cell(e.Actor), Cell(e.Action), Cell(e.EntityType), Cell(e.EntityId), Cell(e.Before), Cell(e.After), e.Hash).Append("\r\n");
        return sb.ToString();
    }

    private static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@') value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }
}
