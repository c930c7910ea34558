using Custodes.Application.Accounts;
using Custodes.Application.Audit;
using Custodes.Common;
using Custodes.Testing;

namespace Custodes.Application.Tests;

/// <summary>Multi-factor sign-in, one use case a step: enrol, confirm with the app's code, turn off with a code or a recovery code.</summary>
public sealed class MfaTests
{
    public static TheoryData<DatabaseProvider> Providers => TestInstallation.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task Enrolment_needs_the_apps_code_and_a_recovery_code_turns_it_off_while_a_wrong_code_changes_nothing(DatabaseProvider provider)
    {
        await using var stores = await Stores.CreateAsync(provider);
        var tenant = await stores.NewTenantAsync();
        var user = await stores.Accounts.CreateUserAsync("ana@firm.example", tenant.OrganizationId, Roles.Owner, "correct horse battery staple", "test");
        var clock = TimeProvider.System;
        var audit = new AuditTrail(clock);
        var (begin, confirm, disable, status) = (new BeginMfaEnrolment(stores.Installation), new ConfirmMfa(stores.Installation, audit, clock),
            new DisableMfa(stores.Installation, audit, clock), new ReadMfaStatus(stores.Installation));

        var secret = await begin.HandleAsync(user);
        Assert.Equal(new MfaStatus(false, secret, 0), await status.HandleAsync(user));
        string Now() => Totp.Compute(Base32.Decode(secret), Totp.StepAt(clock.GetUtcNow()));
        var wrong = Now() == "000000" ? "111111" : "000000";
        Assert.Equal("code", (await Assert.ThrowsAsync<BadInputException>(() => confirm.HandleAsync(new ConfirmMfaRequest(user, wrong, tenant.OrganizationId)))).Path);
        Assert.False((await status.HandleAsync(user)).Enabled);

        var codes = await confirm.HandleAsync(new ConfirmMfaRequest(user, Now(), tenant.OrganizationId));
        Assert.Equal(10, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[a-z2-9]{5}-[a-z2-9]{5}$", c));
        Assert.Equal(new MfaStatus(true, null, 10), await status.HandleAsync(user));
        await Assert.ThrowsAsync<BadInputException>(() => begin.HandleAsync(user)); // on already: turned off first

        await Assert.ThrowsAsync<BadInputException>(() => disable.HandleAsync(new DisableMfaRequest(user, "aaaaa-bbbbb", tenant.OrganizationId)));
        Assert.Equal(new MfaStatus(true, null, 10), await status.HandleAsync(user));
        await disable.HandleAsync(new DisableMfaRequest(user, codes[3].ToUpperInvariant(), tenant.OrganizationId));
        Assert.Equal(new MfaStatus(false, null, 0), await status.HandleAsync(user));
        await Assert.ThrowsAsync<BadInputException>(() => disable.HandleAsync(new DisableMfaRequest(user, codes[4], tenant.OrganizationId)));
    }
}
