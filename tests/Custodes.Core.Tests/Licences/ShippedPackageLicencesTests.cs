using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using static Custodes.Core.Tests.Reports.ReportFixtures;

namespace Custodes.Core.Tests.Licences;

/// <summary>
/// No package the product ships with (every src project, transitive packages included) is under the GPL family, and every one is
/// listed in docs/licences.md. Reads what restore resolved (obj/project.assets.json) and each package's own nuspec.
/// </summary>
public sealed partial class ShippedPackageLicencesTests
{
    /// <summary>A shipped package: its id, version and licence as its nuspec states it (an SPDX expression, else the licence URL or file).</summary>
    public sealed record ShippedPackage(string Project, string Id, string Version, string Licence);

    [Fact]
    public void No_package_the_product_ships_with_is_under_the_GPL_AGPL_or_LGPL()
    {
        var packages = Shipped();
        Assert.NotEmpty(packages);
        Assert.Contains(packages, p => p.Id == "PDFsharp");
        var copyleft = packages.Where(p => IsGplFamily(p.Licence)).Select(p => $"{p.Id} {p.Version} ({p.Licence}) in {p.Project}").Distinct().ToArray();
        Assert.True(copyleft.Length == 0, "GPL-family licences in shipped packages:\n" + string.Join("\n", copyleft));
    }

    [Fact]
    public void Every_shipped_package_is_listed_with_its_licence_in_docs_licences()
    {
        var doc = File.ReadAllText(Path.Combine(RepoRoot, "docs", "licences.md"));
        var missing = Shipped().DistinctBy(p => (p.Id, p.Version))
            .Where(p => !Regex.IsMatch(doc, $@"^\|\s*{Regex.Escape(p.Id)}\s*\|\s*{Regex.Escape(p.Version)}\s*\|\s*{Regex.Escape(p.Licence)}\s*\|", RegexOptions.Multiline))
            .Select(p => $"| {p.Id} | {p.Version} | {p.Licence} |").ToArray();
        Assert.True(missing.Length == 0, "add these rows to docs/licences.md:\n" + string.Join("\n", missing));
    }

    [Theory]
    [InlineData("AGPL-3.0-only", true)]
    [InlineData("GPL-2.0-or-later", true)]
    [InlineData("LGPL-2.1-only", true)]
    [InlineData("MIT OR GPL-3.0-only", true)]
    [InlineData("https://www.gnu.org/licenses/agpl-3.0.html", true)]
    [InlineData("MIT", false)]
    [InlineData("Apache-2.0", false)]
    [InlineData("BSD-3-Clause", false)]
    public void The_check_recognises_GPL_family_licences(string licence, bool gpl) => Assert.Equal(gpl, IsGplFamily(licence));

    [Fact]
    public void The_check_reads_the_licence_expression_PDFsharp_6_5_0_declares()
    {
        // The nuspec of PDFsharp 6.5.0 (the version this project left): the check must refuse it.
        const string nuspec = """
            <?xml version="1.0" encoding="utf-8"?>
            <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
              <metadata><id>PDFsharp</id><version>6.5.0</version>
                <license type="expression">AGPL-3.0-only</license><licenseUrl>https://licenses.nuget.org/AGPL-3.0-only</licenseUrl></metadata>
            </package>
            """;
        Assert.True(IsGplFamily(LicenceOf(XDocument.Parse(nuspec))));
    }

    public static bool IsGplFamily(string licence) => GplFamily().IsMatch(licence);

    [GeneratedRegex(@"(?<![A-Za-z])(A|L)?GPL(?![A-Za-z])", RegexOptions.IgnoreCase)]
    private static partial Regex GplFamily();

    private static string LicenceOf(XDocument nuspec)
    {
        var metadata = nuspec.Root!.Elements().First(e => e.Name.LocalName == "metadata");
        var license = metadata.Elements().FirstOrDefault(e => e.Name.LocalName == "license");
        if (license is not null) return (string?)license.Attribute("type") == "file" ? "file: " + license.Value.Trim() : license.Value.Trim();
        return metadata.Elements().FirstOrDefault(e => e.Name.LocalName == "licenseUrl")?.Value.Trim() ?? "(none stated)";
    }

    /// <summary>Every package restore resolved for every src project, with its licence.</summary>
    private static IReadOnlyList<ShippedPackage> Shipped()
    {
        var result = new List<ShippedPackage>();
        foreach (var project in Directory.GetFiles(Path.Combine(RepoRoot, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            var assets = Path.Combine(Path.GetDirectoryName(project)!, "obj", "project.assets.json");
            Assert.True(File.Exists(assets), $"{assets} is missing: restore {project} first");
            using var doc = JsonDocument.Parse(File.ReadAllBytes(assets));
            var folders = doc.RootElement.GetProperty("packageFolders").EnumerateObject().Select(f => f.Name).ToArray();
            foreach (var library in doc.RootElement.GetProperty("libraries").EnumerateObject())
            {
                if (library.Value.GetProperty("type").GetString() != "package") continue;
                var (id, version) = (library.Name[..library.Name.IndexOf('/')], library.Name[(library.Name.IndexOf('/') + 1)..]);
                var path = library.Value.GetProperty("path").GetString()!;
                var nuspecName = library.Value.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).First(f => f.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase));
                var nuspec = folders.Select(f => Path.Combine(f, path, nuspecName)).FirstOrDefault(File.Exists)
                    ?? throw new InvalidOperationException($"no nuspec for {id} {version} in {string.Join(", ", folders)}");
                result.Add(new ShippedPackage(Path.GetFileNameWithoutExtension(project), id, version, LicenceOf(XDocument.Load(nuspec))));
            }
        }
        return result;
    }
}
