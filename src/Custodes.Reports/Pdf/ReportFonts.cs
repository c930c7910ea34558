using PdfSharp.Fonts;

namespace Custodes.Reports.Pdf;

/// <summary>Serves the DejaVu Sans fonts embedded in this assembly to PDFsharp, so PDFs look the same on every machine and need no system fonts.</summary>
/// <remarks>Every family name resolves to DejaVu Sans (regular or bold; italic is simulated). DejaVu fonts: Bitstream Vera licence, see Fonts/LICENSE-DejaVu.txt.</remarks>
public sealed class ReportFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";
    private const string Regular = "DejaVuSans";
    private const string Bold = "DejaVuSans-Bold";
    private static readonly Lock Gate = new();

    /// <summary>Installs the font resolver for the process unless another one is installed (PDFsharp allows one, set before first use).</summary>
    /// <remarks>PDFsharp is pinned to 6.2.4 (MIT): from 6.5.0 it runs under the AGPL v3 unless a commercial key is loaded (docs/licences.md).</remarks>
    public static void EnsureInstalled()
    {
        if (GlobalFontSettings.FontResolver is not null) return;
        lock (Gate) GlobalFontSettings.FontResolver ??= new ReportFonts();
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool isBold, bool isItalic) =>
        new(isBold ? Bold : Regular, mustSimulateBold: false, mustSimulateItalic: isItalic);

    public byte[]? GetFont(string faceName)
    {
        using var stream = typeof(ReportFonts).Assembly.GetManifestResourceStream($"Custodes.Reports.Fonts.{faceName}.ttf")
            ?? throw new InvalidOperationException($"embedded font {faceName} is missing from the build");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
