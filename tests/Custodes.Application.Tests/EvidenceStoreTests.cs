using System.Security.Cryptography;
using System.Text;
using Custodes.Assessments;
using Custodes.Common;
using Custodes.Testing;

namespace Custodes.Application.Tests;

public sealed class EvidenceStoreTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    private static MemoryStream Content(string text) => new(Encoding.UTF8.GetBytes(text));

    [Theory, MemberData(nameof(Providers))]
    public async Task Evidence_is_stored_by_its_SHA256_and_linked_to_the_requirement(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var tenant = await stores.NewTenantAsync();
        var id = await stores.Assessments.ImportAsync(tenant, DocumentFiles.ReadAssessment(Path.Combine(AppContext.BaseDirectory, "samples", "example-msp.json")));
        var item = await stores.Evidence.AddAsync(tenant, Content("MFA report"), "mfa.txt", "text/plain", "MFA report", id, ["3.5.3", "3.5.3[b]"]);
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("MFA report")));
        Assert.Equal(expected, item.Sha256);
        Assert.True(File.Exists(stores.Evidence.PathFor(expected)));
        var stored = await stores.Assessments.GetAsync(tenant, id);
        Assert.Contains("sha256:" + expected, stored.Assessment.Requirements["3.5.3"].Evidence);
        Assert.Contains("sha256:" + expected, stored.Assessment.Objectives["3.5.3[b]"].Evidence);
        Assert.Single(await stores.Evidence.ListAsync(tenant, id));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_new_upload_under_the_same_name_is_the_next_version(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var tenant = await stores.NewTenantAsync();
        var v1 = await stores.Evidence.AddAsync(tenant, Content("policy v1"), "policy.txt", "text/plain", "Access policy", null, []);
        var v2 = await stores.Evidence.AddAsync(tenant, Content("policy v2"), "policy.txt", "text/plain", "Access policy", null, []);
        Assert.Equal((1, 2), (v1.Version, v2.Version));
        Assert.NotEqual(v1.Sha256, v2.Sha256);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Verify_detects_a_tampered_and_a_missing_file(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var tenant = await stores.NewTenantAsync();
        var a = await stores.Evidence.AddAsync(tenant, Content("firewall rules"), "fw.txt", "text/plain", null, null, []);
        var b = await stores.Evidence.AddAsync(tenant, Content("backup report"), "bkp.txt", "text/plain", null, null, []);
        Assert.Empty(await stores.Evidence.VerifyAsync(null));
        await File.AppendAllTextAsync(stores.Evidence.PathFor(a.Sha256), "allow any any");
        File.Delete(stores.Evidence.PathFor(b.Sha256));
        var problems = await stores.Evidence.VerifyAsync(null);
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.EvidenceId == a.Id && p.Problem.StartsWith("tampered"));
        Assert.Contains(problems, p => p.EvidenceId == b.Id && p.Problem.StartsWith("missing"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_oversized_file_is_refused_and_nothing_is_kept(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var tenant = await stores.NewTenantAsync();
        var error = await Assert.ThrowsAsync<BadInputException>(() => stores.Evidence.AddAsync(tenant, new MemoryStream(new byte[2 * 1024 * 1024]), "big.bin", "application/octet-stream", null, null, []));
        Assert.Contains("limit", error.Message);
        Assert.Equal(0, await stores.Evidence.CountAsync(null));
        Assert.Empty(Directory.EnumerateFiles(stores.Installation.EvidenceDirectory, "*", SearchOption.AllDirectories));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Linking_to_an_unknown_requirement_is_refused(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var tenant = await stores.NewTenantAsync();
        var id = await stores.Assessments.ImportAsync(tenant, DocumentFiles.ReadAssessment(Path.Combine(AppContext.BaseDirectory, "samples", "example-msp.json")));
        await Assert.ThrowsAsync<BadInputException>(() => stores.Evidence.AddAsync(tenant, Content("x"), "x.txt", "text/plain", null, id, ["3.99.1"]));
        Assert.Equal(0, await stores.Evidence.CountAsync(null));
    }
}
