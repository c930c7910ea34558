using System.Text;
using Custodes.SupplyChain;

namespace Custodes.Core.Tests.SupplyChain;

/// <summary>The repository's sample files and small portfolios written inline, for tests.</summary>
internal static class Samples
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static Portfolio DentalMsp() => DocumentFiles.ReadPortfolio(Path("samples", "portfolio", "dental-msp.yaml"));

    /// <summary>Parses an inline YAML portfolio; the schema line is added.</summary>
    public static Portfolio Parse(string yaml, string file = "test.yaml") =>
        PortfolioFile.Parse(Encoding.UTF8.GetBytes("schema: custodes.portfolio/v1\n" + yaml), file);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Custodes.slnx"))) return dir.FullName;
        throw new InvalidOperationException("repository root (Custodes.slnx) not found above the test binaries");
    }
}
