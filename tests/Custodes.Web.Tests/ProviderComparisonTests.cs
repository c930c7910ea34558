using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Custodes.Application;
using Custodes.Application.Audit;
using Custodes.Application.Demo;
using Custodes.Application.Keys;
using Custodes.Application.SupplyChain;
using Custodes.Application.Trust;
using Custodes.Common;
using Tenant = Custodes.Application.Tenant;
using Custodes.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Custodes.Web.Tests;

/// <summary>Switching providers (issue #15 part 4): candidates from trust pages here or elsewhere, their letters verified before use, side by side.</summary>
public sealed class ProviderComparisonTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task A_practice_compares_a_provider_published_here_with_its_msp_and_a_revoked_letter_stops_counting(DatabaseProvider provider)
    {
        await using var server = await RunningServer.StartAsync(provider);
        var demo = await Demo.EnsureAsync(server.Installation);
        var practice = Tenant.Operator(demo.CustomerOrganizations[0]);
        var switching = server.Services.GetRequiredService<SwitchingProviders>();

        var comparison = await switching.CompareAsync(practice, [DemoWorkspace.CandidateSlug], null);
        Assert.Equal("granite-peak", comparison.Replacing!.Provider);
        Assert.Equal("valid", comparison.Replacing.Attestation);
        var candidate = Assert.Single(comparison.Candidates);
        Assert.Equal(DemoWorkspace.CandidateMspName, candidate.Name);
        Assert.False(candidate.Remote);
        Assert.Equal("valid", candidate.Attestation);
        Assert.True(candidate.Score > comparison.Replacing.Score, $"the candidate's attested score {candidate.Score}, the current MSP's {comparison.Replacing.Score}");
        Assert.Equal(DemoWorkspace.AssessorName, candidate.Issuer);
        Assert.True(candidate.PublishesMatrix);
        // The candidate met every requirement it takes on: switching covers at least as much as today and scores above the practice alone.
        Assert.Equal(candidate.Claims, candidate.Covers);
        Assert.True(candidate.Covers >= comparison.Replacing.Covers, $"{candidate.Covers} covered by the candidate, {comparison.Replacing.Covers} today");
        Assert.True(candidate.EffectiveScore > comparison.OwnScore, $"effective {candidate.EffectiveScore}, own {comparison.OwnScore}");
        Assert.Equal(candidate.EffectiveScore - comparison.CurrentScore, candidate.ScoreChange);
        Assert.Equal(2, candidate.Organizations);
        Assert.Equal(3, candidate.OrganizationsAfter);
        Assert.Null(comparison.Replacing.Organizations); // Granite Peak publishes no page: how many it serves is not told

        // The page, in plain words, for the practice's office manager.
        using var session = server.Session();
        await session.SignInAsync("office@smiledental.example", DemoWorkspace.Password);
        var (status, form, _) = await session.GetAsync("/supply-chain/compare");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(DemoWorkspace.CandidateMspName, form);
        var posted = await session.PostFormAsync("/supply-chain/compare", [new("Candidate", DemoWorkspace.CandidateSlug)]);
        var html = await posted.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains("id=\"comparison\"", html);
        Assert.Contains($"<strong>{candidate.EffectiveScore}</strong>", html);
        Assert.Contains("2 today; 3 with you", html);
        var unknown = await session.PostFormAsync("/supply-chain/compare", [new("Addresses", "http://it-company.example/trust/acme.json")]);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("only https addresses are read", WebUtility.HtmlDecode(await unknown.Content.ReadAsStringAsync()));

        // Once the candidate's letter is revoked it counts for nothing: the practice's score with it falls back to what it does alone.
        var letter = Guid.Parse(candidate.LetterId!);
        using (var attestations = new Attestations(server.Installation)) await attestations.RevokeAsync(letter, "Scope was misstated");
        var after = Assert.Single((await switching.CompareAsync(practice, [DemoWorkspace.CandidateMspName], null)).Candidates);
        Assert.Equal("revoked", after.Attestation);
        Assert.Equal(0, after.Covers);
        Assert.True(after.EffectiveScore < candidate.EffectiveScore, $"{after.EffectiveScore} after the revocation, {candidate.EffectiveScore} before");
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Another_installations_trust_page_counts_only_once_its_letter_verifies_against_that_log_and_a_tampered_letter_is_refused(DatabaseProvider provider)
    {
        // Installation A publishes the candidate's page; installation B (its own firm key, its own log) has a practice weighing a switch.
        await using var publisher = await RunningServer.StartAsync(provider);
        await Demo.EnsureAsync(publisher.Installation);
        await using var here = await TestInstallation.CreateAsync(provider);
        var demo = await Demo.EnsureAsync(here.Installation);
        var practice = Tenant.Operator(demo.CustomerOrganizations[0]);
        var address = new Uri(publisher.Address, $"/trust/{DemoWorkspace.CandidateSlug}.json").ToString();

        var local = Assert.Single((await Switching(here.Installation, new SocketsHttpHandler()).CompareAsync(practice, [DemoWorkspace.CandidateSlug], null)).Candidates);
        var remote = Assert.Single((await Switching(here.Installation, new SocketsHttpHandler()).CompareAsync(practice, [address], null)).Candidates);
        Assert.True(remote.Remote);
        Assert.Equal("valid", remote.Attestation);
        Assert.Empty(remote.Unverified);
        Assert.Equal(local.Score, remote.Score);
        Assert.Equal(local.CmmcLevel2, remote.CmmcLevel2);
        Assert.Equal(DemoWorkspace.AssessorName, remote.Issuer);
        // What the remote page says its letter covers is what the same provider here covers: one computation, whatever the source.
        Assert.Equal(local.Claims, remote.Claims);
        Assert.Equal(local.Covers, remote.Covers);
        Assert.Equal(local.EffectiveScore, remote.EffectiveScore);
        Assert.Null(remote.Organizations);

        // A letter changed on the way (its issuer and score rewritten) fails its signature: shown as unverifiable and not counted.
        var tampered = Assert.Single((await Switching(here.Installation, new TamperingHandler()).CompareAsync(practice, [address], null)).Candidates);
        Assert.Equal("unverifiable", tampered.Attestation);
        Assert.Null(tampered.LetterId);
        Assert.Null(tampered.Score);
        var refused = Assert.Single(tampered.Unverified);
        Assert.Contains("signature", refused.Problem);
        Assert.Equal(0, tampered.Covers);
        Assert.True(tampered.EffectiveScore < remote.EffectiveScore, $"{tampered.EffectiveScore} with the tampered letter, {remote.EffectiveScore} verified");

        // Only https, except to this machine.
        var insecure = await Assert.ThrowsAsync<BadInputException>(() =>
            Switching(here.Installation, new SocketsHttpHandler()).CompareAsync(practice, ["http://it-company.example/trust/acme.json"], null));
        Assert.Contains("https", insecure.Message);
    }

    private static SwitchingProviders Switching(Installation installation, HttpMessageHandler handler)
    {
        var clock = TimeProvider.System;
        var audit = new AuditTrail(clock);
        var registry = new SigningKeyRegistry(installation, audit, clock);
        return new SwitchingProviders(installation, new PortfolioGraphs(new PortfolioStore(installation, audit, clock)), new ProviderLetters(installation, registry),
            new RemoteTrustPages(registry, handler), clock);
    }

    /// <summary>A network in between that raises the score inside every letter file it carries, leaving the signature as it was.</summary>
    private sealed class TamperingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var path = request.RequestUri!.AbsolutePath;
            if (!path.StartsWith("/api/v1/letters/", StringComparison.Ordinal) || path.EndsWith("/status", StringComparison.Ordinal) || !response.IsSuccessStatusCode) return response;
            var bundle = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
            var envelope = bundle["envelope"]!;
            var statement = JsonNode.Parse(Convert.FromBase64String(envelope["payload"]!.GetValue<string>()))!;
            statement["predicate"]!["score"] = statement["predicate"]!["score"]!.GetValue<int>() + 1;
            statement["predicate"]!["issuer"] = "A Much Better Firm";
            envelope["payload"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(statement.ToJsonString()));
            response.Content = new StringContent(bundle.ToJsonString(), Encoding.UTF8, "application/json");
            return response;
        }
    }
}
