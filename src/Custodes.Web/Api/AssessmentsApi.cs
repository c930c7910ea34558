using Custodes.Application;
using Custodes.Application.Assessments;
using Custodes.Assessments;
using Custodes.Assessments.Scoring;
using Custodes.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Custodes.Web.Api;

/// <summary><c>/api/v1/assessments</c>: store, read, change and score assessments of the caller's organization (contracts §6).</summary>
internal static class AssessmentsApi
{
    public static RouteGroupBuilder MapAssessmentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/assessments").RequireAuthorization().WithTags("Assessments");
        group.MapPost("/", Create).WithName("CreateAssessment").WithSummary("Store an assessment file (custodes.assessment/v1, JSON or YAML)")
            .Accepts<object>("application/json", "application/yaml").ProducesProblem(400);
        group.MapGet("/", List).WithName("ListAssessments").WithSummary("The organization's assessments, newest first, a page at a time");
        group.MapGet("/{id:guid}", Get).WithName("GetAssessment").WithSummary("An assessment as a custodes.assessment/v1 document, with its ETag").ProducesProblem(404);
        group.MapPut("/{id:guid}", Replace).WithName("ReplaceAssessment").WithSummary("Replace an assessment; send If-Match with the ETag you read")
            .Accepts<object>("application/json", "application/yaml").ProducesProblem(400).ProducesProblem(404).ProducesProblem(412);
        group.MapGet("/{id:guid}/score", Score).WithName("ScoreAssessment").WithSummary("The SPRS score and CMMC status (as custodes score --json)").ProducesProblem(404);
        group.MapGet("/{id:guid}/history", History).WithName("AssessmentHistory").WithSummary("The assessment's audit trail entries (who changed what, when, before and after), newest first").ProducesProblem(404);
        group.MapPut("/{id:guid}/determinations/{target}", SetDetermination).WithName("SetDetermination")
            .WithSummary("Set one requirement or objective determination; send If-Match with the ETag you read").ProducesProblem(400).ProducesProblem(404).ProducesProblem(412);
        return group;
    }

    /// <summary>The JSON answer to a create.</summary>
    public sealed record Created(Guid Id);

    /// <summary>A page of assessments.</summary>
    public sealed record Page<T>(IReadOnlyList<T> Items, int Number, int PageSize, string? Next);

    /// <summary>Body of a determination change.</summary>
    public sealed record DeterminationChange(string Status, string? Partial, string? Note, IReadOnlyList<string>? Methods, IReadOnlyList<string>? Evidence);

    private static async Task<Created<Created>> Create(HttpRequest request, AssessmentStore store, CancellationToken cancellationToken)
    {
        var parsed = AssessmentFile.Parse(await RequestBody.ReadAsync(request, AssessmentFile.MaxBytes, cancellationToken), "request body");
        var id = await store.ImportAsync(request.HttpContext.User.Tenant(), parsed, cancellationToken);
        return TypedResults.Created($"/api/v1/assessments/{id}", new Created(id));
    }

    private static async Task<Ok<Page<AssessmentSummary>>> List(HttpContext context, AssessmentStore store, [FromQuery] int? page, [FromQuery(Name = "page_size")] int? pageSize, CancellationToken cancellationToken)
    {
        var (number, size) = Paging.Of(page, pageSize);
        var items = await store.ListAsync(context.User.Tenant(), Paging.Skip(number, size), size + 1, cancellationToken);
        return TypedResults.Ok(Paging.Page(items, number, size, "/api/v1/assessments?"));
    }

    private static async Task<IResult> Get(Guid id, HttpContext context, AssessmentStore store, CancellationToken cancellationToken)
    {
        var stored = (await store.ReadAsync(context.User.Tenant(), id, cancellationToken)).Stored;
        context.Response.Headers.ETag = stored.ETag;
        if (context.Request.Headers.IfNoneMatch.ToString() == stored.ETag) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(AssessmentFile.ToJson(stored.Assessment), "application/json");
    }

    private static async Task<IResult> Replace(Guid id, HttpRequest request, AssessmentStore store, CancellationToken cancellationToken)
    {
        var expected = IfMatch.Version(request, id);
        var parsed = AssessmentFile.Parse(await RequestBody.ReadAsync(request, AssessmentFile.MaxBytes, cancellationToken), "request body");
        var version = await store.ReplaceAsync(request.HttpContext.User.Tenant(), id, parsed, expected, cancellationToken);
        request.HttpContext.Response.Headers.ETag = new StoredAssessment(id, Guid.Empty, version, default, default, parsed.Assessment).ETag;
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Score(Guid id, HttpContext context, AssessmentStore store, ScoreCache cache, CancellationToken cancellationToken)
    {
        var tenant = context.User.Tenant();
        var version = await store.VersionAsync(tenant, id, cancellationToken) ?? throw new NotFoundException($"no assessment {id}");
        if (!cache.TryGet(id, version, out var json))
        {
            var stored = (await store.ReadAsync(tenant, id, cancellationToken)).Stored;
            json = cache.Put(id, stored.Version, ScoreAssessment.Score(stored.Assessment));
        }
        return TypedResults.Bytes(json, "application/json");
    }

    private static async Task<Ok<Page<Application.Audit.AuditEntry>>> History(Guid id, HttpContext context, AssessmentStore store, Application.Audit.AuditLog audit,
        [FromQuery] int? page, [FromQuery(Name = "page_size")] int? pageSize, CancellationToken cancellationToken)
    {
        var tenant = context.User.Tenant();
        var readable = await store.ReadAsync(tenant, id, cancellationToken);
        if (!readable.Owned) throw new NotFoundException($"no history of assessment {id} for your organization");
        var (number, size) = Paging.Of(page, pageSize);
        var items = await audit.ListAsync(tenant.OrganizationId, new Application.Audit.AuditFilter(EntityId: id.ToString()), Paging.Skip(number, size), size + 1, cancellationToken);
        return TypedResults.Ok(Paging.Page(items, number, size, $"/api/v1/assessments/{id}/history?"));
    }

    private static async Task<IResult> SetDetermination(Guid id, string target, DeterminationChange change, HttpContext context, AssessmentStore store, CancellationToken cancellationToken)
    {
        if (!StatusNames.TryParse(change.Status, out var status))
            throw new BadInputException($"invalid status '{change.Status}'; expected one of {string.Join(", ", StatusNames.All)}", "request body", "$.status");
        var methods = (change.Methods ?? []).Select(m => Enum.TryParse<AssessmentMethod>(m, true, out var method) ? method
            : throw new BadInputException($"invalid assessment method '{m}'; expected examine, interview or test", "request body", "$.methods")).Distinct().ToArray();
        var finding = new Finding { Status = status, Partial = change.Partial, Note = string.IsNullOrWhiteSpace(change.Note) ? null : change.Note, Methods = methods, Evidence = change.Evidence ?? [] };
        var version = await store.SetDeterminationAsync(context.User.Tenant(), id, target, finding, IfMatch.Version(context.Request, id), cancellationToken);
        context.Response.Headers.ETag = $"\"{id:N}-{version}\"";
        return TypedResults.NoContent();
    }
}

/// <summary>Page number and size from the query, and the page with a link to the next.</summary>
internal static class Paging
{
    public const int DefaultSize = 50;
    public const int MaxSize = 200;

    /// <summary>The page number (1 when absent or below 1) and size (1–200). A page whose offset would not fit in an <c>int</c> is
    /// bad input naming <c>page</c>: computed unchecked, <c>page=2147483647</c> wrapped to a negative offset, which listed the first page.</summary>
    public static (int Number, int Size) Of(int? page, int? pageSize, int defaultSize = DefaultSize)
    {
        var size = Math.Clamp(pageSize ?? defaultSize, 1, MaxSize);
        var number = Math.Max(page ?? 1, 1);
        // The last page whose offset plus the one extra item read to see whether there is a next page still fits in an int.
        var last = int.MaxValue / size;
        if (number > last) throw new BadInputException($"page {number} is out of range; with {size} items a page, pages run from 1 to {last:N0}", path: "page");
        return (number, size);
    }

    /// <summary>The page number in a Razor page's query string, checked as <see cref="Of"/> checks it.</summary>
    /// <remarks>Razor Pages keeps the page's own path in the route value <c>page</c>, which model binding reads before the query string:
    /// a bound <c>page</c> parameter never saw the number, and every page of a list showed the first.</remarks>
    public static int PageOf(HttpRequest request, int size)
    {
        var text = request.Query["page"].ToString();
        if (text.Length == 0) return 1;
        if (!int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number))
            throw new BadInputException($"page '{text}' is not a page number; pages are numbered from 1", path: "page");
        return Of(number, size).Number;
    }

    /// <summary>How many items come before page <paramref name="number"/> (a page from <see cref="Of"/>).</summary>
    public static int Skip(int number, int size) => checked((number - 1) * size);

    /// <summary>A page from up to <paramref name="size"/> + 1 items (one more tells whether there is a next page).</summary>
    public static AssessmentsApi.Page<T> Page<T>(IReadOnlyList<T> items, int number, int size, string basePath) =>
        new(items.Take(size).ToArray(), number, size, items.Count > size ? $"{basePath}page={number + 1}&page_size={size}" : null);
}

/// <summary>Reads the version out of an <c>If-Match</c> ETag (<c>"&lt;id&gt;-&lt;version&gt;"</c>).</summary>
internal static class IfMatch
{
    /// <param name="what">What the id names, for the message (an assessment, a questionnaire).</param>
    public static int? Version(HttpRequest request, Guid id, string what = "assessment")
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrEmpty(header) || header == "*") return null;
        var tag = header.Trim().Trim('"');
        var dash = tag.LastIndexOf('-');
        if (dash > 0 && Guid.TryParse(tag[..dash], out var tagId) && tagId == id && int.TryParse(tag[(dash + 1)..], out var version)) return version;
        throw new PreconditionFailedException($"If-Match {header} does not match {what} {id}; read it again to get its ETag");
    }
}

/// <summary>Reads a request body up to a limit, refusing larger ones with 413 before reading them whole.</summary>
internal static class RequestBody
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
            throw new BadHttpRequestException($"the body is {request.ContentLength:N0} bytes; at most {maxBytes:N0} are accepted", StatusCodes.Status413PayloadTooLarge);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                throw new BadHttpRequestException($"the body is larger than {maxBytes:N0} bytes", StatusCodes.Status413PayloadTooLarge);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
