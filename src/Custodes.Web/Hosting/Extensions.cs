using Custodes.Storage;
using Custodes.Storage.Accounts;
using Custodes.Storage.Assessments;
using Custodes.Storage.Audit;
using Custodes.Storage.Evidence;
using Custodes.Storage.Organizations;
using Custodes.Web.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Json;

namespace Custodes.Web.Hosting;

/// <summary>The web host's wiring, in one place: services, authentication, JSON, errors, OpenAPI.</summary>
public static class Extensions
{
    public static WebApplicationBuilder AddCustodes(this WebApplicationBuilder builder, Installation installation)
    {
        var services = builder.Services;
        services.AddSingleton(installation);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<OrganizationStore>();
        services.AddSingleton<AccountStore>();
        services.AddSingleton<AssessmentStore>();
        services.AddSingleton<EvidenceStore>();
        services.AddSingleton<ScoreCache>();
        services.AddCustodesAttestation(builder.Configuration);

        services.Configure<JsonOptions>(o => CopyJsonOptions(o.SerializerOptions));
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemMapping>();
        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorization();
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Custodes API";
            document.Info.Description = "Independent NIST SP 800-171 / CMMC assessments, attestation letters, MSP supply chain and RMM watch. Authenticate with `Authorization: Bearer <api key>` (create one with `custodes admin create-api-key`).";
            return Task.CompletedTask;
        }));
        return builder;
    }

    public static WebApplication UseCustodes(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }

    private static void CopyJsonOptions(System.Text.Json.JsonSerializerOptions target)
    {
        var source = Common.Json.Options;
        target.PropertyNamingPolicy = source.PropertyNamingPolicy;
        target.DictionaryKeyPolicy = source.DictionaryKeyPolicy;
        target.Encoder = source.Encoder;
        target.DefaultIgnoreCondition = source.DefaultIgnoreCondition;
        foreach (var converter in source.Converters) target.Converters.Add(converter);
    }
}
