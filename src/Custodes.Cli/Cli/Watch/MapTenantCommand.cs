using System.CommandLine;
using Custodes.Common;

namespace Custodes.Cli.Watch;

/// <summary><c>custodes watch map-tenant &lt;tenant&gt; --msp &lt;org&gt; --customer &lt;org&gt;</c>: an RMM tenant of the MSP is
/// that customer organization, which then sees the alerts concerning it.</summary>
internal static class MapTenantCommand
{
    public static Command Create()
    {
        var tenant = new Argument<string>("tenant") { Description = "The tenant name as the MSP's RMM logs it." };
        var msp = new Option<string>("--msp") { Description = "The MSP organization (id or name).", Required = true };
        var customer = new Option<string>("--customer") { Description = "The customer organization (id or name).", Required = true };
        var accept = new Option<bool>("--accept")
        {
            Description = "Also record the customer's acceptance of the MSP's alerts (as the installation's operator, only when you speak for the customer). " +
                "Without it the mapping waits until an owner of the customer accepts on its Watch page or with POST /api/v1/watch/providers/{msp}/accept.",
        };
        var json = CommonOptions.Json();
        var store = new InstallationOptions();
        var command = new Command("map-tenant", "Map an MSP's RMM tenant to a customer organization (it sees that tenant's alerts once it accepts the MSP).") { tenant, msp, customer, accept, json };
        store.AddTo(command);
        command.SetHandler(json, async (parse, reporter, ct) =>
        {
            var workspace = await store.OpenAsync(parse, ct);
            var operatorTenant = await workspace.OperatorForAsync(parse.GetValue(msp)!, ct);
            var customerOrg = await workspace.Organizations.ResolveAsync(parse.GetValue(customer)!, ct);
            // The operator knows every organization, so it is told plainly what the web API keeps from an MSP.
            if (customerOrg.Kind != Application.OrganizationKinds.Customer)
                throw new BadInputException($"organization '{customerOrg.Name}' is a {customerOrg.Kind}, not a customer", path: "--customer");
            var mapping = await workspace.Get<Application.Watch.WatchMspStore>().MapTenantAsync(operatorTenant, parse.GetValue(tenant)!, customerOrg.Id, ct);
            if (parse.GetValue(accept) && mapping.Status != Application.Watch.MappingStatuses.Active)
            {
                var consents = workspace.Get<Application.Watch.WatchConsentStore>();
                await consents.DecideAsync(Application.Tenant.Operator(customerOrg.Id), operatorTenant.OrganizationId, accept: true, ct);
                mapping = mapping with { Status = Application.Watch.MappingStatuses.Active, CustomerName = customerOrg.Name };
            }
            if (reporter.Json) reporter.WriteJson(mapping);
            else if (mapping.Status == Application.Watch.MappingStatuses.Active) reporter.Line($"tenant '{mapping.Tenant}' → {mapping.CustomerName} ({mapping.CustomerOrganizationId})");
            else reporter.Line($"tenant '{mapping.Tenant}' → {customerOrg.Name} ({mapping.CustomerOrganizationId}): {mapping.Status}, until an owner of {customerOrg.Name} accepts {operatorTenant.OrganizationId}'s alerts (or run again with --accept)");
            return ExitCodes.Ok;
        });
        return command;
    }
}
