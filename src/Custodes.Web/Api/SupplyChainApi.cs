using Custodes.Application.SupplyChain;
using Custodes.Common;
using Custodes.SupplyChain;
using Custodes.SupplyChain.Questionnaires;
using Custodes.Web.SupplyChain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Custodes.Web.Api;

/// <summary>
/// <c>/api/v1/portfolio</c>, <c>/api/v1/supply-chain/…</c> and <c>/api/v1/questionnaires…</c>: the caller's organization's own portfolio
/// (import replaces it whole, export round-trips), blast radius, what-if, concentration, provider comparison, inheritance, notices,
/// and questionnaires answered from its assessment. An id outside the caller's portfolio is 404.
/// </summary>
internal static class SupplyChainApi
{
    public static IEndpointRouteBuilder MapSupplyChainApi(this IEndpointRouteBuilder app)
    {
        var portfolio = app.MapGroup("/api/v1/portfolio").RequireAuthorization().WithTags("Supply chain");
        portfolio.MapGet("/", Export).WithName("ExportPortfolio").WithSummary("Your organization's portfolio as custodes.portfolio/v1 JSON (?format=yaml for YAML)").ProducesProblem(404);
        portfolio.MapPut("/", Import).WithName("ImportPortfolio").WithSummary("Replace your organization's portfolio with a custodes.portfolio/v1 file (JSON or YAML body): all or nothing, errors located")
            .Accepts<string>("application/yaml", "application/json").ProducesProblem(400);
        portfolio.MapPut("/matrices", SetMatrix).WithName("SetResponsibilityMatrix").WithSummary("Add or replace a provider's responsibility matrix (custodes.crm/v1 body)")
            .Accepts<string>("application/yaml", "application/json").ProducesProblem(400);

        var chain = app.MapGroup("/api/v1/supply-chain").RequireAuthorization().WithTags("Supply chain");
        chain.MapGet("/blast-radius/{id}", Radius).WithName("BlastRadius").WithSummary("Everything a compromise of an organization or tool of your portfolio reaches (contracts §8)").ProducesProblem(404);
        chain.MapGet("/what-if/{id}", WhatIf).WithName("WhatIfCompromised").WithSummary("What if this provider or tool is compromised: reached organizations ranked by exposure").ProducesProblem(404);
        chain.MapGet("/concentration", Concentration).WithName("ConcentrationRisk").WithSummary("Providers and tool instances ranked by the customers one compromise reaches").ProducesProblem(404);
        chain.MapGet("/compare/{customer}", Compare).WithName("CompareProviders").WithSummary("A customer's providers side by side, with the letters this installation holds").ProducesProblem(404);
        chain.MapGet("/inheritance", Inheritance).WithName("Inheritance").WithSummary("Your organization's score with what it inherits from its attested providers").ProducesProblem(404);
        chain.MapGet("/notices", Notices).WithName("SupplyChainNotices").WithSummary("What providers' letter revocations and expiries did to your score and CMMC status, newest first");

        var questionnaires = app.MapGroup("/api/v1/questionnaires").RequireAuthorization().WithTags("Questionnaires");
        questionnaires.MapGet("/", Templates).WithName("QuestionnaireTemplates").WithSummary("Built-in questionnaire templates");
        questionnaires.MapGet("/{template}", Propose).WithName("ProposeQuestionnaire")
            .WithSummary("Answers proposed from your latest assessment (with what you inherit) and your letter: ?format=json (default), xlsx or csv").ProducesProblem(400).ProducesProblem(404);
        // Reading a filled questionnaire back without ?save=true only shows it, so it is open to viewers; saving it needs edit rights.
        questionnaires.MapPost("/import", ImportFilled).RequireRole(RequiredRole.Editor with { When = r => bool.TryParse(r.Query["save"], out var save) && save })
            .WithName("ImportQuestionnaire")
            .WithSummary("Read a filled questionnaire back (.xlsx or .csv body): strict, located errors; ?save=true stores it as a draft (201), as /api/v1/questionnaires/responses lists them")
            .Accepts<byte[]>("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv").ProducesProblem(400).ProducesProblem(403);
        return app;
    }

    /// <summary>Largest body accepted by the portfolio import (a file the CLI accepts may be larger; import those with the CLI).</summary>
    public const long MaxUploadBytes = 32L * 1024 * 1024;

    private static async Task<IResult> Export(HttpContext context, PortfolioStore store, string? format, CancellationToken cancellationToken)
    {
        var stored = await store.LoadAsync(context.User.Tenant(), cancellationToken) ?? throw new NotFoundException("your organization has no portfolio yet");
        context.Response.Headers.ETag = $"\"portfolio-{stored.Version}\"";
        return format switch
        {
            null or "json" => TypedResults.Bytes(PortfolioFile.ToJson(stored.Portfolio), "application/json", "portfolio.json"),
            "yaml" => TypedResults.Bytes(PortfolioFile.ToYaml(stored.Portfolio), "application/yaml", "portfolio.yaml"),
            _ => throw new BadInputException($"unknown format '{format}'; expected json or yaml", path: "format"),
        };
    }

    /// <summary>The result of an import.</summary>
    public sealed record ImportResult(long Version, int Organizations, int Tools, int Relationships);

    private static async Task<Ok<ImportResult>> Import(HttpContext context, PortfolioStore store, CancellationToken cancellationToken)
    {
        var portfolio = PortfolioFile.Parse(await BodyAsync(context, cancellationToken), "request body");
        var version = await store.ImportAsync(context.User.Tenant(), portfolio, [], "request body", cancellationToken);
        return TypedResults.Ok(new ImportResult(version, portfolio.Organizations.Count, portfolio.Tools.Count, portfolio.Relationships.Count));
    }

    private static async Task<Ok<ImportResult>> SetMatrix(HttpContext context, PortfolioStore store, CancellationToken cancellationToken)
    {
        var tenant = context.User.Tenant();
        var version = await store.SetMatrixAsync(tenant, MatrixUpload.Parse(await BodyAsync(context, cancellationToken), "request body"), cancellationToken);
        var stored = (await store.LoadAsync(tenant, cancellationToken))!;
        return TypedResults.Ok(new ImportResult(version, stored.Portfolio.Organizations.Count, stored.Portfolio.Tools.Count, stored.Portfolio.Relationships.Count));
    }

    private static async Task<Ok<BlastRadius>> Radius(string id, HttpContext context, SupplyChainQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.BlastRadiusAsync(context.User.Tenant(), id, cancellationToken));

    private static async Task<Ok<CompromiseReport>> WhatIf(string id, HttpContext context, SupplyChainQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.WhatIfAsync(context.User.Tenant(), id, cancellationToken));

    private static async Task<IResult> Concentration(HttpContext context, SupplyChainQueries queries, int? top, CancellationToken cancellationToken) =>
        TypedResults.Ok(new { ranked = await queries.ConcentrationAsync(context.User.Tenant(), top ?? 20, cancellationToken) });

    private static async Task<Ok<ProviderComparison>> Compare(string customer, HttpContext context, SupplyChainQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.CompareAsync(context.User.Tenant(), customer, cancellationToken));

    private static async Task<IResult> Inheritance(HttpContext context, SupplyChainQueries queries, CancellationToken cancellationToken)
    {
        var view = await queries.InheritanceAsync(context.User.Tenant(), cancellationToken)
            ?? throw new NotFoundException("your organization is not an entry of its own portfolio (link it with custodes_organization), or has no assessment of its own");
        return TypedResults.Ok(new
        {
            entry = view.Entry,
            assessment_id = view.Own.Id,
            own_score = view.OwnScore.Score,
            score = view.Result.Score.Score,
            cmmc = view.Result.Score.Cmmc,
            inheritance = view.Result.Report,
        });
    }

    private static async Task<Ok<IReadOnlyList<SupplyChainNotice>>> Notices(HttpContext context, LetterChanges changes, int? take, CancellationToken cancellationToken) =>
        TypedResults.Ok(await changes.ListAsync(context.User.Tenant(), take ?? 100, cancellationToken));

    private static IResult Templates() => TypedResults.Ok(new
    {
        templates = QuestionnaireTemplates.BuiltIn.Select(id => QuestionnaireTemplates.Find(id)!)
            .Select(t => new { id = t.Id, version = t.Version, title = t.Title, audience = t.Audience, framework = t.Framework, questions = t.Questions.Count() }).ToArray(),
    });

    private static async Task<IResult> Propose(string template, string? format, HttpContext context, SupplyChainQueries queries, CancellationToken cancellationToken)
    {
        var response = await queries.ProposeAsync(context.User.Tenant(), template, cancellationToken);
        return QuestionnaireDownload.File(response, format ?? "json");
    }

    private static async Task<IResult> ImportFilled(HttpContext context, QuestionnaireStore store, bool? save, CancellationToken cancellationToken)
    {
        var tenant = context.User.Tenant();
        var bytes = await BodyAsync(context, cancellationToken);
        var response = QuestionnaireDownload.Read(bytes, context.Request.ContentType ?? "", "request body");
        if (save != true) return TypedResults.Ok(response);
        var stored = await store.CreateAsync(tenant, response, QuestionnaireSources.Import, "request body", cancellationToken);
        return QuestionnaireResponsesApi.Created(context, stored);
    }

    private static async Task<byte[]> BodyAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > MaxUploadBytes)
            throw new BadInputException($"the body is {context.Request.ContentLength:N0} bytes; at most {MaxUploadBytes:N0} here (import larger portfolios with the CLI)");
        // Read in bounded steps: a chunked body has no Content-Length to check up front.
        var body = await RequestBody.ReadAsync(context.Request, MaxUploadBytes, cancellationToken);
        if (body.Length == 0) throw new BadInputException("the request body is empty");
        return body;
    }
}
