using System.CommandLine;

namespace Custodes.Cli.Watch;

/// <summary><c>custodes watch map-tenant &lt;tenant&gt; --msp &lt;org&gt; --customer &lt;org&gt;</c>: an RMM tenant of the MSP is
/// that customer organization, which then sees the alerts concerning it.</summary>
public static class MapTenantCommand
{
    public static Command Create()
    {
        var tenant = new Argument<string>("tenant") { Description = "The tenant name as the MSP's RMM logs it." };
        var msp = new Option<string>("--msp") { Description = "The MSP organization (id or name).", Required = true };
        var customer = new Option<string>("--customer") { Description = "The customer organization (id or name).", Required = true };
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("map-tenant", "Map an MSP's RMM tenant to a customer organization (it then sees that tenant's alerts).") { tenant, msp, customer, json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            var operatorTenant = await workspace.OperatorForAsync(parse.GetValue(msp)!, ct);
            var customerOrg = await workspace.Organizations.ResolveAsync(parse.GetValue(customer)!, ct);
            var mapping = await workspace.Watch.Msps.MapTenantAsync(operatorTenant, parse.GetValue(tenant)!, customerOrg.Id, ct);
            if (reporter.Json) reporter.WriteJson(mapping);
            else reporter.Line($"tenant '{mapping.Tenant}' → {mapping.CustomerName} ({mapping.CustomerOrganizationId})");
            return ExitCodes.Ok;
        });
        return command;
    }
}
