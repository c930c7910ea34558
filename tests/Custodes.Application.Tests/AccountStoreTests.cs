using Custodes.Application.Accounts;
using Custodes.Common;
using Custodes.Testing;
using Microsoft.EntityFrameworkCore;

namespace Custodes.Application.Tests;

public sealed class AccountStoreTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task An_api_key_authenticates_as_its_user_in_its_organization_until_revoked(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var tenant = await stores.NewTenantAsync();
        await stores.Accounts.CreateUserAsync("Ana@Firm.example", tenant.OrganizationId, Roles.Assessor, "correct horse battery", "test");
        var (keyId, key) = await stores.Accounts.CreateApiKeyAsync("ana@firm.example", null, "ci", [], "test");
        var identity = await stores.Accounts.AuthenticateAsync(key);
        Assert.NotNull(identity);
        Assert.Equal(("ana@firm.example", tenant.OrganizationId, Roles.Assessor), (identity.Email, identity.OrganizationId, identity.Role));
        Assert.Null(await stores.Accounts.AuthenticateAsync(key + "x"));
        await stores.Accounts.RevokeApiKeyAsync(tenant, keyId);
        Assert.Null(await stores.Accounts.AuthenticateAsync(key));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Only_the_hash_of_an_api_key_is_stored(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var tenant = await stores.NewTenantAsync();
        await stores.Accounts.CreateUserAsync("ana@firm.example", tenant.OrganizationId, Roles.Owner, null, "test");
        var (_, key) = await stores.Accounts.CreateApiKeyAsync("ana@firm.example", null, "ci", [], "test");
        await using var db = stores.Installation.OpenDb();
        var row = await db.ApiKeys.SingleAsync();
        Assert.DoesNotContain(key, row.Prefix + row.Name + row.Scopes);
        Assert.Equal(32, row.Hash.Length);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Users_need_a_known_organization_a_valid_role_and_a_strong_password(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var tenant = await stores.NewTenantAsync();
        await Assert.ThrowsAsync<BadInputException>(() => stores.Accounts.CreateUserAsync("a@b.example", Guid.NewGuid(), Roles.Viewer, null, "test"));
        await Assert.ThrowsAsync<BadInputException>(() => stores.Accounts.CreateUserAsync("a@b.example", tenant.OrganizationId, "superuser", null, "test"));
        await Assert.ThrowsAsync<BadInputException>(() => stores.Accounts.CreateUserAsync("a@b.example", tenant.OrganizationId, Roles.Viewer, "short", "test"));
        await Assert.ThrowsAsync<BadInputException>(() => stores.Accounts.CreateUserAsync("not-an-email", tenant.OrganizationId, Roles.Viewer, null, "test"));
    }

    [Fact]
    public void Password_hashes_verify_only_the_right_password()
    {
        var hash = PasswordHasher.Hash("correct horse battery");
        Assert.StartsWith("pbkdf2-sha512$210000$", hash);
        Assert.True(PasswordHasher.Verify("correct horse battery", hash));
        Assert.False(PasswordHasher.Verify("correct horse batterY", hash));
        Assert.NotEqual(hash, PasswordHasher.Hash("correct horse battery"));
    }
}
