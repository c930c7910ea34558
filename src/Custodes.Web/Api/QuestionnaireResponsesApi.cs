using Custodes.Application;
using Custodes.Application.Audit;
using Custodes.Application.SupplyChain;
using Custodes.Common;
using Custodes.SupplyChain.Questionnaires;
using Custodes.Web.SupplyChain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Custodes.Web.Api;

/// <summary>
/// <c>/api/v1/questionnaires/responses</c>: questionnaires stored for the caller's organization — created from a template's proposal
/// (or a filled file, <c>POST /api/v1/questionnaires/import?save=true</c>), reviewed answer by answer with If-Match, signed off by a
/// member with edit rights, then immutable (409) until a new revision is started; exported as the proposal downloads are.
/// </summary>
internal static class QuestionnaireResponsesApi
{
    public static RouteGroupBuilder MapQuestionnaireResponsesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/questionnaires/responses").RequireAuthorization().WithTags("Questionnaires");
        group.MapGet("/", List).WithName("ListQuestionnaireResponses").WithSummary("The organization's stored questionnaires, most recently changed first, a page at a time");
        group.MapPost("/", Create).WithName("CreateQuestionnaireResponse")
            .WithSummary("Store a draft questionnaire answered from your latest assessment and letter (body: {\"template\": \"msp-security\"})")
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
        group.MapGet("/{id:guid}", Get).WithName("GetQuestionnaireResponse")
            .WithSummary("A stored questionnaire: status, proposed and reviewed answers, sign-off and content hash, with its ETag").ProducesProblem(404);
        group.MapPatch("/{id:guid}", Review).WithName("ReviewQuestionnaireAnswers")
            .WithSummary("Accept, replace or reopen answers of a draft, all or none; send If-Match with the ETag you read")
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);
        group.MapPost("/{id:guid}/sign-off", SignOff).WithName("SignOffQuestionnaire")
            .WithSummary("Sign a draft off as yourself (a member with edit rights, every answer reviewed): sealed by its content hash, it no longer changes; send If-Match")
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);
        group.MapPost("/{id:guid}/revisions", StartRevision).WithName("StartQuestionnaireRevision")
            .WithSummary("Start the next revision of a signed-off questionnaire: a draft with its answers and reviews, to correct and sign off again")
            .ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapDelete("/{id:guid}", Delete).WithName("DeleteQuestionnaireResponse")
            .WithSummary("Delete a draft; send If-Match. A signed-off questionnaire is kept for good (409)")
            .ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);
        group.MapGet("/{id:guid}/export", Export).WithName("ExportQuestionnaireResponse")
            .WithSummary("The stored questionnaire as a file, as proposals download: ?format=json (custodes.questionnaire/v1, the default), xlsx or csv")
            .ProducesProblem(400).ProducesProblem(404);
        group.MapGet("/{id:guid}/history", History).WithName("QuestionnaireResponseHistory")
            .WithSummary("The questionnaire's audit trail entries (who reviewed, edited or signed what, before and after), newest first").ProducesProblem(404);
        return group;
    }

    /// <summary>A stored questionnaire on the wire.</summary>
    /// <param name="Pending">Questions whose answer nobody reviewed yet: a sign-off waits for them.</param>
    /// <param name="ContentVerified">The content hash recomputed from what is stored now matches the one sealed at sign-off; null while a draft.</param>
    public sealed record QuestionnaireResponseView(
        Guid Id, string Status, int Revision, Guid? RevisionOf, string Source, DateTime CreatedAt, string CreatedBy, DateTime UpdatedAt,
        IReadOnlyList<string> Pending, string? ContentSha256, bool? ContentVerified, QuestionnaireResponse Questionnaire);

    public static QuestionnaireResponseView View(StoredQuestionnaire s) => new(
        s.Id, s.Status, s.Revision, s.RevisionOf, s.Source, s.CreatedAt, s.CreatedBy, s.UpdatedAt,
        s.Questionnaire.Answers.Where(a => a.State == ReviewState.Proposed).Select(a => a.QuestionId).ToArray(),
        s.ContentSha256, s.VerifyContent(), s.Questionnaire);

    /// <summary>Body of a create: the built-in template to answer.</summary>
    public sealed record CreateBody(string? Template);

    /// <summary>Body of a review: the answers to change.</summary>
    public sealed record ReviewBody(IReadOnlyList<AnswerChange?>? Answers);

    /// <summary>One answer's review: <c>state</c> reviewed (accept the proposal), edited (with <c>answer</c> and a <c>comment</c> saying why) or proposed (withdraw the review).</summary>
    public sealed record AnswerChange(string? QuestionId, string? State, string? Answer, string? Comment);

    private static async Task<Ok<AssessmentsApi.Page<QuestionnaireSummary>>> List(HttpContext context, QuestionnaireStore store,
        [FromQuery] int? page, [FromQuery(Name = "page_size")] int? pageSize, CancellationToken cancellationToken)
    {
        var (number, size) = Paging.Of(page, pageSize);
        var items = await store.ListAsync(context.User.Tenant(), Paging.Skip(number, size), size + 1, cancellationToken);
        return TypedResults.Ok(Paging.Page(items, number, size, "/api/v1/questionnaires/responses?"));
    }

    private static async Task<Created<QuestionnaireResponseView>> Create(CreateBody body, HttpContext context, SupplyChainQueries queries, QuestionnaireStore store, CancellationToken cancellationToken)
    {
        var tenant = context.User.Tenant();
        if (string.IsNullOrWhiteSpace(body.Template))
            throw new BadInputException($"which template? expected one of {string.Join(", ", QuestionnaireTemplates.BuiltIn)}", "request body", "$.template");
        var proposal = await queries.ProposeAsync(tenant, body.Template, cancellationToken);
        var stored = await store.CreateAsync(tenant, proposal, QuestionnaireSources.Proposed, cancellationToken: cancellationToken);
        return Created(context, stored);
    }

    /// <summary>201 with the new questionnaire, where it lives and its ETag.</summary>
    public static Created<QuestionnaireResponseView> Created(HttpContext context, StoredQuestionnaire stored)
    {
        context.Response.Headers.ETag = stored.ETag;
        return TypedResults.Created($"/api/v1/questionnaires/responses/{stored.Id}", View(stored));
    }

    private static async Task<IResult> Get(Guid id, HttpContext context, QuestionnaireStore store, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(context.User.Tenant(), id, cancellationToken);
        context.Response.Headers.ETag = stored.ETag;
        if (context.Request.Headers.IfNoneMatch.ToString() == stored.ETag) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Ok(View(stored));
    }

    private static async Task<Ok<QuestionnaireResponseView>> Review(Guid id, ReviewBody body, HttpContext context, QuestionnaireStore store, CancellationToken cancellationToken)
    {
        var expected = IfMatch.Version(context.Request, id, "questionnaire");
        var changes = (body.Answers ?? throw new BadInputException("expected {\"answers\": [{\"question_id\", \"state\", \"answer\", \"comment\"}, …]}", "request body", "$.answers"))
            .Select((c, i) => Parse(c, i)).ToArray();
        return Changed(context, await store.ReviewAsync(context.User.Tenant(), id, changes, expected, cancellationToken));
    }

    /// <summary>Reads one answer change, naming the field that is wrong.</summary>
    public static AnswerReview Parse(AnswerChange? change, int index)
    {
        var at = $"$.answers[{index}]";
        if (change is null) throw new BadInputException("expected an object {\"question_id\", \"state\", \"answer\", \"comment\"}", "request body", at);
        if (string.IsNullOrWhiteSpace(change.QuestionId)) throw new BadInputException("expected the question_id", "request body", $"{at}.question_id");
        if (!QuestionnaireNames.States.TryParse(change.State, out var state))
            throw new BadInputException($"invalid state '{change.State}'; expected {QuestionnaireNames.States.Expected}", "request body", $"{at}.state");
        Answer? answer = null;
        if (!string.IsNullOrEmpty(change.Answer))
            answer = QuestionnaireNames.Answers.TryParse(change.Answer, out var a) ? a
                : throw new BadInputException($"invalid answer '{change.Answer}'; expected {QuestionnaireNames.Answers.Expected}", "request body", $"{at}.answer");
        return new AnswerReview(change.QuestionId, state, answer, change.Comment);
    }

    private static async Task<Ok<QuestionnaireResponseView>> SignOff(Guid id, HttpContext context, QuestionnaireStore store, CancellationToken cancellationToken) =>
        Changed(context, await store.SignOffAsync(context.User.Tenant(), id, IfMatch.Version(context.Request, id, "questionnaire"), cancellationToken));

    private static async Task<Created<QuestionnaireResponseView>> StartRevision(Guid id, HttpContext context, QuestionnaireStore store, CancellationToken cancellationToken) =>
        Created(context, await store.StartRevisionAsync(context.User.Tenant(), id, cancellationToken));

    private static async Task<NoContent> Delete(Guid id, HttpContext context, QuestionnaireStore store, CancellationToken cancellationToken)
    {
        await store.DeleteAsync(context.User.Tenant(), id, IfMatch.Version(context.Request, id, "questionnaire"), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Export(Guid id, string? format, HttpContext context, QuestionnaireStore store, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(context.User.Tenant(), id, cancellationToken);
        context.Response.Headers.ETag = stored.ETag;
        return QuestionnaireDownload.File(stored.Questionnaire, format ?? "json", QuestionnaireDownload.FileName(stored));
    }

    private static async Task<Ok<AssessmentsApi.Page<AuditEntry>>> History(Guid id, HttpContext context, QuestionnaireStore store, AuditLog audit,
        [FromQuery] int? page, [FromQuery(Name = "page_size")] int? pageSize, CancellationToken cancellationToken)
    {
        var tenant = context.User.Tenant();
        await store.GetAsync(tenant, id, cancellationToken);
        var (number, size) = Paging.Of(page, pageSize);
        var items = await audit.ListAsync(tenant.OrganizationId, new AuditFilter(EntityId: id.ToString()), Paging.Skip(number, size), size + 1, cancellationToken);
        return TypedResults.Ok(Paging.Page(items, number, size, $"/api/v1/questionnaires/responses/{id}/history?"));
    }

    private static Ok<QuestionnaireResponseView> Changed(HttpContext context, StoredQuestionnaire stored)
    {
        context.Response.Headers.ETag = stored.ETag;
        return TypedResults.Ok(View(stored));
    }
}
