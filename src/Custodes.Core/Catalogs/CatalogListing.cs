namespace Custodes.Catalogs;

/// <summary>The JSON shape of <c>custodes catalog list &lt;framework&gt; --json</c> (contracts §1).</summary>
public sealed record CatalogListing(string Framework, IReadOnlyList<CatalogListing.Entry> Requirements)
{
    public static CatalogListing From(Catalog catalog) =>
        new(catalog.Framework, catalog.Requirements.Select(r => Entry.From(catalog, r)).ToArray());

    /// <summary>CMMC frameworks cite practices by their CMMC id (<c>AC.L2-3.1.1</c>); NIST frameworks by the NIST number.</summary>
    public static string IdFor(Catalog catalog, Requirement r) =>
        catalog.Framework is Frameworks.CmmcL1 or Frameworks.CmmcL2 ? r.CmmcId! : r.Id;

    public sealed record Entry(
        string Id,
        string FamilyId,
        string Family,
        string Text,
        int? Points,
        IReadOnlyList<string> Objectives,
        string NistId,
        string? CmmcId,
        string? Title)
    {
        public static Entry From(Catalog catalog, Requirement r) =>
            new(IdFor(catalog, r), r.FamilyId, r.Family, r.Text, r.Points, r.Objectives, r.Id, r.CmmcId, r.Title);
    }
}
