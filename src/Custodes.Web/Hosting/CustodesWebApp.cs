using System.Net;
using Custodes.Application;
using Custodes.Web.Alerting;
using Custodes.Web.Api;
using Custodes.Web.Letters;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Custodes.Web.Hosting;

/// <summary>Builds the Custodes web app on one installation: the whole of what <c>custodes serve</c> runs.</summary>
internal static class CustodesWebApp
{
    /// <summary>
    /// The app started on a free port of 127.0.0.1, and the address it listens on: the one set-up of the tests' servers and the load
    /// runs (which must never aim at anything but loopback).
    /// </summary>
    public static async Task<(WebApplication App, Uri Address)> StartOnLoopbackAsync(Installation installation, Action<WebApplicationBuilder>? configure = null)
    {
        var app = Build(installation, ["http://127.0.0.1:0"], configure);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        if (!IPAddress.IsLoopback(IPAddress.Parse(address.Host)))
        {
            await app.DisposeAsync();
            throw new InvalidOperationException($"the server listens on {address}, not on loopback");
        }
        return (app, address);
    }

    public static WebApplication Build(Installation installation, string[] urls, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = typeof(CustodesWebApp).Assembly.GetName().Name });
        builder.WebHost.UseUrls(urls);
        builder.Configuration.AddEnvironmentVariables();
        // A line per request at Information costs more than serving the score; warnings and errors still show.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        configure?.Invoke(builder);
        builder.AddCustodes(installation);

        var app = builder.Build();
        app.UseCustodes();
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" })).WithName("Health").ExcludeFromDescription();
        app.MapAssessmentsApi();
        app.MapLogApi();
        app.MapWitnessApi();
        app.MapKeysApi();
        app.MapLettersApi();
        app.MapLetterPages();
        app.MapPoamApi();
        app.MapReportsApi();
        app.MapDeliverablesApi();
        app.MapEvidenceApi();
        app.MapSharesApi();
        app.MapEngagementsApi();
        app.MapMembersApi();
        app.MapApiKeysApi();
        app.MapAuditApi();
        app.MapAlertChannelsApi();
        app.MapWatchApi();
        app.MapSupplyChainApi();
        app.MapQuestionnaireResponsesApi();
        Trust.TrustApi.MapTrustApi(app);
        Pages.Assessments.EvidenceEndpoints.MapEvidencePages(app);
        return app;
    }
}
