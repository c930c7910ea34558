using Custodes.Application.Engagements;
using Custodes.Application.Keys;
using Custodes.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Custodes.Web.Api;

/// <summary><c>/api/v1/engagements</c>: an organization's request to an assessor firm, carried by the firm to a letter (docs/engagements.md).</summary>
internal static class EngagementsApi
{
    public static IEndpointRouteBuilder MapEngagementsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/engagements").RequireAuthorization().WithTags("Engagements");
        group.MapGet("/", List).WithName("ListEngagements").WithSummary("Engagements your organization asked for, and those asked of it");
        group.MapGet("/{id:guid}", Get).WithName("GetEngagement").WithSummary("One engagement, as either side sees it").ProducesProblem(404);
        group.MapPost("/", Request).WithName("RequestEngagement")
            .WithSummary("Ask an assessor firm for an assessment: {\"firm\": name or id, \"framework\", \"scope\", \"target_date\"}").ProducesProblem(400).ProducesProblem(422);
        group.MapPost("/{id:guid}/acceptance", Accept).WithName("AcceptEngagement")
            .WithSummary("The firm accepts; the caller becomes the lead and confirms each part of the independence statement. 422 when the installation shows a conflict")
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        group.MapPost("/{id:guid}/decline", Decline).WithName("DeclineEngagement")
            .WithSummary("The firm declines with a reason: conflict_of_interest, no_capacity, out_of_scope or other (with a note)").ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{id:guid}/withdrawal", Withdraw).WithName("WithdrawEngagement").WithSummary("The requester withdraws before fieldwork").ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapPut("/{id:guid}/assessment", Link).WithName("LinkEngagementAssessment")
            .WithSummary("The lead links the firm's assessment of the organization ({\"assessment_id\"}); it is shared with the organization read-only").ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{id:guid}/next-stage", Next).WithName("AdvanceEngagement")
            .WithSummary("The lead moves the engagement on: accepted → preparation → fieldwork → qa").ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{id:guid}/qa-signoff", SignOff).WithName("SignOffEngagementQa")
            .WithSummary("A member of the firm other than the lead signs off the quality review").ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{id:guid}/letter", Issue).WithName("IssueEngagementLetter")
            .WithSummary("The lead issues the letter, signed with the firm's key: {\"code\": the lead's current authenticator code, \"valid_days\"?}. Letter, log entry and stage change are one transaction")
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        group.MapGet("/{id:guid}/submission", Submission).WithName("GetEngagementSubmission")
            .WithSummary("What the organization submitted: its self-assessment (shared read-only with the firm) and its evidence; either side reads it").ProducesProblem(404);
        group.MapPost("/{id:guid}/evidence", UploadEvidence).WithName("UploadEngagementEvidence")
            .WithSummary("The organization uploads an evidence file (multipart/form-data: file, name?) to the engagement, while accepted or in preparation. 409 from fieldwork on")
            .Accepts<IFormFile>("multipart/form-data").DisableAntiforgery().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(413);
        group.MapPut("/{id:guid}/evidence/{evidenceId:guid}", AttachEvidence).WithName("AttachEngagementEvidence")
            .WithSummary("The organization attaches evidence it already holds. 409 from fieldwork on").ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapDelete("/{id:guid}/evidence/{evidenceId:guid}", DetachEvidence).WithName("DetachEngagementEvidence")
            .WithSummary("The organization takes evidence off the engagement (the file stays in its evidence). 409 from fieldwork on").ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapGet("/{id:guid}/evidence/{evidenceId:guid}", DownloadEvidence).WithName("DownloadEngagementEvidence")
            .WithSummary("Either side downloads a submitted evidence file (its content checked against the recorded SHA-256)").ProducesProblem(404);
        group.MapPut("/{id:guid}/self-assessment", SetSelfAssessment).WithName("SetEngagementSelfAssessment")
            .WithSummary("The organization submits its self-assessment: {\"assessment_id\"} of its own, or a custodes.assessment/v1 file as the body (imported as its own). Shared read-only with the firm; 409 from fieldwork on")
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapDelete("/{id:guid}/self-assessment", RemoveSelfAssessment).WithName("RemoveEngagementSelfAssessment")
            .WithSummary("The organization takes its self-assessment off the engagement (no longer shared with the firm). 409 from fieldwork on").ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        app.MapPost("/api/v1/firm-key", EnsureKey).RequireAuthorization().WithTags("Engagements").WithName("EnsureFirmKey")
            .WithSummary("An owner of an assessor firm creates the firm's signing key held by the installation (encrypted at rest); returns its id and public key").ProducesProblem(403).ProducesProblem(409);
        return app;
    }

    /// <summary>Body of a request for an assessment.</summary>
    public sealed record RequestBody(string? Firm, string? Framework, string? Scope, DateOnly? TargetDate);

    /// <summary>Body of an acceptance: the team besides the caller (the lead) and the independence statement's parts confirmed.</summary>
    public sealed record AcceptanceBody(IReadOnlyList<Guid>? Assessors, bool NoOwnershipInterest, bool DidNotDesignImplementOrOperate, bool FeeNotContingent, bool C3paoRules, string? C3paoId);

    public sealed record DeclineBody(string? Reason, string? Note);

    public sealed record LinkBody(Guid AssessmentId);

    public sealed record IssueBody(string? Code, int? ValidDays);

    private static async Task<Ok<IReadOnlyList<Engagement>>> List(HttpContext context, EngagementQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.ListAsync(context.User.Tenant(), cancellationToken));

    private static async Task<Ok<Engagement>> Get(Guid id, HttpContext context, EngagementQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.GetAsync(context.User.Tenant(), id, cancellationToken));

    private static async Task<Created<Engagement>> Request(RequestBody body, HttpContext context, RequestEngagement request, EngagementQueries queries, CancellationToken cancellationToken)
    {
        var tenant = context.User.Tenant();
        var id = await request.HandleAsync(tenant, new EngagementRequest { Firm = body.Firm ?? "", Framework = body.Framework ?? "", Scope = body.Scope ?? "", TargetDate = body.TargetDate }, cancellationToken);
        return TypedResults.Created($"/api/v1/engagements/{id}", await queries.GetAsync(tenant, id, cancellationToken));
    }

    private static async Task<Ok<Engagement>> Accept(Guid id, AcceptanceBody body, HttpContext context, AcceptEngagement accept, EngagementQueries queries, CancellationToken cancellationToken)
    {
        var tenant = context.User.Tenant();
        await accept.HandleAsync(tenant, id, new EngagementAcceptance
        {
            Assessors = body.Assessors ?? [], NoOwnershipInterest = body.NoOwnershipInterest, DidNotDesignImplementOrOperate = body.DidNotDesignImplementOrOperate,
            FeeNotContingent = body.FeeNotContingent, C3paoRules = body.C3paoRules, C3paoId = body.C3paoId,
        }, cancellationToken);
        return TypedResults.Ok(await queries.GetAsync(tenant, id, cancellationToken));
    }

    private static async Task<Ok<Engagement>> Decline(Guid id, DeclineBody body, HttpContext context, DeclineEngagement decline, EngagementQueries queries, CancellationToken cancellationToken)
    {
        var tenant = context.User.Tenant();
        await decline.HandleAsync(tenant, id, body.Reason, body.Note, cancellationToken);
        return TypedResults.Ok(await queries.GetAsync(tenant, id, cancellationToken));
    }

    private static async Task<Ok<Engagement>> Withdraw(Guid id, HttpContext context, AdvanceEngagement advance, EngagementQueries queries, CancellationToken cancellationToken)
    {
        var tenant = context.User.Tenant();
        await advance.WithdrawAsync(tenant, id, cancellationToken);
        return TypedResults.Ok(await queries.GetAsync(tenant, id, cancellationToken));
    }

    private static async Task<Ok<Engagement>> Link(Guid id, LinkBody body, HttpContext context, AdvanceEngagement advance, EngagementQueries queries, CancellationToken cancellationToken)
    {
        var tenant = context.User.Tenant();
        await advance.LinkAssessmentAsync(tenant, id, body.AssessmentId, cancellationToken);
        return TypedResults.Ok(await queries.GetAsync(tenant, id, cancellationToken));
    }

    private static async Task<Ok<Engagement>> Next(Guid id, HttpContext context, AdvanceEngagement advance, EngagementQueries queries, CancellationToken cancellationToken)
    {
        var tenant = context.User.Tenant();
        await advance.NextAsync(tenant, id, cancellationToken);
        return TypedResults.Ok(await queries.GetAsync(tenant, id, cancellationToken));
    }

    private static async Task<Ok<Engagement>> SignOff(Guid id, HttpContext context, SignOffQuality qa, EngagementQueries queries, CancellationToken cancellationToken)
    {
        var tenant = context.User.Tenant();
        await qa.HandleAsync(tenant, id, cancellationToken);
        return TypedResults.Ok(await queries.GetAsync(tenant, id, cancellationToken));
    }

    private static async Task<Created<object>> Issue(Guid id, IssueBody body, HttpContext context, IssueEngagementLetter issue, CancellationToken cancellationToken)
    {
        var issued = await issue.HandleAsync(context.User.Tenant(), id, body.Code, body.ValidDays ?? 365, cancellationToken);
        return TypedResults.Created($"/api/v1/letters/{issued.LetterId}", (object)new { letter_id = issued.LetterId, log_index = issued.LogIndex, key_id = issued.KeyId, url = $"/letters/{issued.LetterId}" });
    }

    private static async Task<Ok<EngagementSubmission>> Submission(Guid id, HttpContext context, EngagementMaterials materials, CancellationToken cancellationToken) =>
        TypedResults.Ok(await materials.GetAsync(context.User.Tenant(), id, cancellationToken));

    private static async Task<Created<EngagementSubmission>> UploadEvidence(Guid id, HttpRequest request, EngagementMaterials materials, WebOptions web, CancellationToken cancellationToken)
    {
        var tenant = request.HttpContext.User.Tenant();
        var upload = await EvidenceUpload.ReadAsync(request, web.EvidenceMaxBytes, cancellationToken);
        await using var content = upload.File.OpenReadStream();
        var item = await materials.UploadEvidenceAsync(tenant, id, content, upload.File.FileName, upload.File.ContentType, upload.Name, cancellationToken);
        return TypedResults.Created($"/api/v1/engagements/{id}/evidence/{item.Id}", await materials.GetAsync(tenant, id, cancellationToken));
    }

    private static async Task<Ok<EngagementSubmission>> AttachEvidence(Guid id, Guid evidenceId, HttpContext context, EngagementMaterials materials, CancellationToken cancellationToken)
    {
        var tenant = context.User.Tenant();
        await materials.AttachEvidenceAsync(tenant, id, evidenceId, cancellationToken);
        return TypedResults.Ok(await materials.GetAsync(tenant, id, cancellationToken));
    }

    private static async Task<Ok<EngagementSubmission>> DetachEvidence(Guid id, Guid evidenceId, HttpContext context, EngagementMaterials materials, CancellationToken cancellationToken)
    {
        var tenant = context.User.Tenant();
        await materials.DetachEvidenceAsync(tenant, id, evidenceId, cancellationToken);
        return TypedResults.Ok(await materials.GetAsync(tenant, id, cancellationToken));
    }

    private static async Task<IResult> DownloadEvidence(Guid id, Guid evidenceId, HttpContext context, EngagementMaterials materials, CancellationToken cancellationToken)
    {
        var (item, content) = await materials.OpenEvidenceAsync(context.User.Tenant(), id, evidenceId, cancellationToken);
        return TypedResults.Stream(content, item.ContentType, item.FileName, entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{item.Sha256}\""));
    }

    /// <summary>A JSON body naming one of the organization's assessments, or a custodes.assessment/v1 file to import as its own.</summary>
    private static async Task<Ok<EngagementSubmission>> SetSelfAssessment(Guid id, HttpRequest request, EngagementMaterials materials, CancellationToken cancellationToken)
    {
        var tenant = request.HttpContext.User.Tenant();
        var body = await global::Custodes.Web.Api.RequestBody.ReadAsync(request, Custodes.Assessments.AssessmentFile.MaxBytes, cancellationToken);
        Guid? named = null;
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && json.RootElement.TryGetProperty("assessment_id", out var value))
                named = value.TryGetGuid(out var guid) ? guid : throw new Common.BadInputException("assessment_id is not an assessment id (a GUID)", path: "assessment_id");
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON at all: the file parser below names what is wrong with it.
        }
        if (named is { } assessmentId) await materials.SetSelfAssessmentAsync(tenant, id, assessmentId, cancellationToken);
        else await materials.ImportSelfAssessmentAsync(tenant, id, body, "request body", cancellationToken);
        return TypedResults.Ok(await materials.GetAsync(tenant, id, cancellationToken));
    }

    private static async Task<Ok<EngagementSubmission>> RemoveSelfAssessment(Guid id, HttpContext context, EngagementMaterials materials, CancellationToken cancellationToken)
    {
        var tenant = context.User.Tenant();
        await materials.RemoveSelfAssessmentAsync(tenant, id, cancellationToken);
        return TypedResults.Ok(await materials.GetAsync(tenant, id, cancellationToken));
    }

    private static async Task<Ok<FirmKey>> EnsureKey(HttpContext context, FirmKeys keys, CancellationToken cancellationToken) =>
        TypedResults.Ok(await keys.EnsureAsync(context.User.Tenant(), cancellationToken));
}
