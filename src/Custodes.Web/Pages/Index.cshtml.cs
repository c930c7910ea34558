using Custodes.Web.Words;
using Custodes.Application;
using Custodes.Application.Assessments;
using Custodes.Application.Home;
using Custodes.Application.Sharing;
using Custodes.Assessments.Scoring;
using Custodes.Web.Api;
using Custodes.Web.Pages.Home;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages;

/// <summary>
/// The home page, one per organization kind (docs/web.md "Home pages"): a customer sees a verdict per provider and the alerts on its own
/// machines; an MSP its engagements, letters, trust page, customers and open alerts; an assessor firm its engagements by stage. All three
/// show invitations waiting for the person and the first-run checklist until it is done or dismissed.
/// </summary>
public sealed class IndexModel(AssessmentStore assessments, ShareStore shares, Custodes.Application.Watch.WatchConsentStore consents, Application.Accounts.InvitationStore invitations,
    CustomerHome customerHome, MspHome mspHome, AssessorHome assessorHome, FirstRunChecklist checklist, Application.Hosting.PublicAddress address) : PageModel
{
    /// <summary>One line of the assessments table (MSPs and assessor firms).</summary>
    public sealed record Row(Guid Id, string Subject, string Framework, DateOnly? AssessedOn, int? Score, string Level2, bool Complete, DateTime Updated);

    /// <summary>One step of the first-run checklist, in words, with where to do it.</summary>
    public sealed record ChecklistRow(string Id, string Title, string Help, string Link, string LinkText, bool Done);

    /// <summary>An alert on the customer's machines in plain words.</summary>
    public sealed record AlertCard(CustomerAlert Source, PlainWords.AlertGuidance Guidance, string Severity, string Status, string Machines);

    public string Kind { get; private set; } = "";
    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public IReadOnlyList<SharedAssessment> Shared { get; private set; } = [];
    /// <summary>MSPs waiting for this organization to accept or decline their watch alerts.</summary>
    public IReadOnlyList<Custodes.Application.Watch.ProviderRequest> PendingProviders { get; private set; } = [];
    /// <summary>Invitations waiting for the signed-in person's answer: shown here, the first page after sign-in.</summary>
    public IReadOnlyList<Application.Accounts.Invitation> Invitations { get; private set; } = [];

    public CustomerHomeView? Customer { get; private set; }
    public IReadOnlyList<ProviderCard> Providers { get; private set; } = [];
    public IReadOnlyList<AlertCard> Alerts { get; private set; } = [];
    public MspHomeView? Msp { get; private set; }
    public AssessorHomeView? Assessor { get; private set; }

    public Checklist? FirstRun { get; private set; }
    public IReadOnlyList<ChecklistRow> Steps { get; private set; } = [];
    /// <summary>This installation's public address, for the exact RMM settings an MSP is shown.</summary>
    public string PublicBase => address.Base;

    public async Task OnGetAsync()
    {
        var tenant = User.Tenant();
        var ct = HttpContext.RequestAborted;
        Kind = User.OrganizationKind();
        if (Accounts.OrganizationSwitch.HasSession(User)) Invitations = await invitations.PendingForUserAsync(User.UserId(), ct);
        FirstRun = await checklist.LoadAsync(tenant, ct);
        Kind = FirstRun.Kind;
        Steps = [.. FirstRun.Items.Select(i => Step(i, Kind))];
        switch (Kind)
        {
            case OrganizationKinds.Customer:
                PendingProviders = [.. (await consents.ListAsync(tenant, ct)).Where(p => p.State == Custodes.Application.Watch.ConsentStates.Pending)];
                Customer = await customerHome.LoadAsync(tenant, ct);
                Providers = [.. Customer.Providers.Select(p => ProviderCard.From(p, Customer.Organization, Customer.Data))];
                Alerts = [.. Customer.Alerts.Select(a => new AlertCard(a, PlainWords.Alert(a.Alert.Rule), PlainWords.Severity(a.Alert.Severity),
                    PlainWords.AlertStatus(a.Alert.Status),
                    a.Alert.Tenants.Count == 0 ? "your computers" : $"your computers (known to {a.ContactName} as {string.Join(", ", a.Alert.Tenants)})"))];
                Shared = await shares.SharedWithAsync(tenant, ct);
                break;
            case OrganizationKinds.Msp:
                Msp = await mspHome.LoadAsync(tenant, ct);
                await LoadAssessmentsAsync(tenant, ct);
                break;
            case OrganizationKinds.Assessor:
                Assessor = await assessorHome.LoadAsync(tenant, ct);
                await LoadAssessmentsAsync(tenant, ct);
                break;
        }
    }

    /// <summary>Puts the first-run checklist away for the whole organization.</summary>
    public async Task<IActionResult> OnPostDismissChecklistAsync()
    {
        await checklist.DismissAsync(User.Tenant(), HttpContext.RequestAborted);
        return Redirect("/");
    }

    private async Task LoadAssessmentsAsync(Tenant tenant, CancellationToken ct)
    {
        var stored = await assessments.LoadManyAsync(tenant, 0, 100, cancellationToken: ct);
        Rows = [.. stored.Select(s =>
        {
            var report = ScoreAssessment.Score(s.Assessment);
            return new Row(s.Id, s.Assessment.Organization, s.Assessment.Framework, s.Assessment.AssessedOn, report.Score, report.Cmmc.Level2.Status, report.Complete, s.UpdatedAt);
        })];
        Shared = await shares.SharedWithAsync(tenant, ct);
    }

    private static ChecklistRow Step(ChecklistItem item, string kind) => item.Id switch
    {
        "add-providers" => new(item.Id, "Add your IT providers",
            "List the companies that look after your computers, email, cloud and backups, and what each can reach. Everything on this page starts from that list.",
            "/supply-chain/providers", "Go to your providers", item.Done),
        "provider-trust-page" => new(item.Id, "Ask your IT provider to share its trust page",
            "A trust page shows a provider's independent assessment letter. Ask your provider to publish one here (Settings › Trust page on its side) and send you the address; link it to the provider on your list and its verdict appears here.",
            "/supply-chain/providers/add", "Link a provider", item.Done),
        "answer-insurer" => new(item.Id, "Answer your insurer's questionnaire",
            "Cyber-insurance questionnaires ask about backups, two-step sign-in and your IT provider. Custodes proposes answers from what you have recorded; you review and sign them off.",
            "/supply-chain/questionnaires", "Start a questionnaire", item.Done),
        "request-assessment" => new(item.Id, "Ask an assessor firm for an assessment",
            "An independent assessment, and the signed letter that follows, is what your customers and their insurers rely on.",
            "/engagements", "Request an assessment", item.Done),
        "publish-trust-page" => new(item.Id, "Publish your trust page",
            "Your customers link to it to see your letters and score; without it they cannot check you.",
            "/settings/trust", "Publish it", item.Done),
        "connect-rmm" => new(item.Id, "Send your RMM's audit logs",
            "Custodes watches what your remote-management tools do on customers' computers (a script that deletes backups, a new administrator) and alerts you and the customer. The exact settings for each RMM are below.",
            "/watch/settings", "Watch settings", item.Done),
        "signing-key" => new(item.Id, "Set up your firm's signing key",
            "Letters are signed with your firm's key and published in the transparency log; set it up once before the first letter.",
            "/engagements", "Open engagements", item.Done),
        "answer-requests" => new(item.Id, "Accept (or decline) an assessment request",
            "Organizations ask your firm for an assessment by name; accepting one starts the engagement.",
            "/engagements", "See requests", item.Done),
        _ => new(item.Id, item.Id, "", "/", kind, item.Done),
    };
}
