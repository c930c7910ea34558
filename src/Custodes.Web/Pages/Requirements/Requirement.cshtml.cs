using Custodes.Catalogs;
using Custodes.Common;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Custodes.Web.Pages.Requirements;

/// <summary>
/// A requirement's text from the catalogs in the repository (/requirements/3.1.12): what every requirement id shown to a customer links
/// to. An r3 id (03.01.12) is found in the r3 catalog; <c>?framework=</c> picks another catalog.
/// </summary>
public sealed class RequirementModel : PageModel
{
    public Catalog Catalog { get; private set; } = CatalogSet.NistR2;
    public Requirement Requirement { get; private set; } = null!;
    public IReadOnlyList<Objective> Objectives { get; private set; } = [];

    public void OnGet(string id, string? framework)
    {
        framework ??= id.StartsWith('0') ? Frameworks.NistR3 : Frameworks.NistR2;
        Catalog = CatalogSet.Find(framework) ?? throw new NotFoundException($"no framework '{framework}'; the catalogs are {string.Join(", ", Frameworks.All)}");
        Requirement = Catalog.Find(id) ?? throw new NotFoundException($"no requirement {id} in {Catalog.Title}");
        Objectives = [.. Requirement.Objectives.Select(Catalog.FindObjective).OfType<Objective>()];
    }

    /// <summary>The link every page uses for a requirement id.</summary>
    public static string Link(string id) => "/requirements/" + Uri.EscapeDataString(id);
}
