using Custodes.Application;

namespace Custodes.Web.Pages.Shared;

/// <summary>
/// The main menu per organization kind: what that kind uses. A dental office does not see Import, Audit, API keys or Watch settings;
/// an MSP and an assessor firm see their tools. Hiding is not authorization: every page and endpoint's use case still checks the tenant,
/// and a hidden page stays reachable by its address for those it allows.
/// </summary>
public static class Menu
{
    private static readonly (string, string)[] Customer =
    [
        ("/", "Home"), ("/supply-chain", "Supply chain"), ("/watch/alerts", "Watch"), ("/supply-chain/questionnaires", "Questionnaires"),
        ("/agreements", "Agreements"), ("/members", "Members"), ("/settings/alerts", "Alerts"), ("/settings/security", "Security"),
    ];

    private static readonly (string, string)[] Msp =
    [
        ("/", "Home"), ("/assessments/import", "Import"), ("/engagements", "Engagements"), ("/watch/alerts", "Watch"), ("/watch/settings", "Watch settings"),
        ("/supply-chain", "Supply chain"), ("/agreements", "Agreements"), ("/settings/trust", "Trust page"), ("/members", "Members"), ("/audit", "Audit"),
        ("/settings/alerts", "Alerts"), ("/settings/api-keys", "API keys"), ("/settings/security", "Security"),
    ];

    private static readonly (string, string)[] Assessor =
    [
        ("/", "Home"), ("/assessments/import", "Import"), ("/engagements", "Engagements"), ("/supply-chain/letters", "Letters"), ("/supply-chain", "Supply chain"),
        ("/settings/trust", "Trust page"), ("/members", "Members"), ("/audit", "Audit"), ("/settings/api-keys", "API keys"), ("/settings/security", "Security"),
    ];

    public static IReadOnlyList<(string Href, string Label)> For(string kind) => kind switch
    {
        OrganizationKinds.Customer => Customer,
        OrganizationKinds.Assessor => Assessor,
        _ => Msp,
    };
}
