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

    private static string? _commercialLicense;
    private static bool _licensed;

    /// <summary>
    /// Loads a commercial PDFsharp licence instead of the AGPL one. Call before the first PDF is written (for example at host start-up).
    /// </summary>
    /// <remarks>
    /// Since 6.5.0 PDFsharp refuses to work until a licence is chosen: the free AGPL v3 licence, or a commercial licence key.
    /// Without a key Custodes selects AGPL, which obliges whoever offers Custodes to users over a network to offer them its source.
    /// </remarks>
    public static void UseCommercialLicense(string licenseKey)
    {
        lock (Gate)
        {
            if (_licensed) throw new InvalidOperationException("the PDFsharp licence is already loaded; set the commercial licence before the first PDF is written");
            _commercialLicense = licenseKey;
        }
    }

    /// <summary>Loads the PDFsharp licence and installs the font resolver for the process unless another one is installed (PDFsharp allows one, set before first use).</summary>
    public static void EnsureInstalled()
    {
        if (_licensed && GlobalFontSettings.FontResolver is not null) return;
        lock (Gate)
        {
            if (!_licensed)
            {
                if (_commercialLicense is { } key) PdfSharp.PdfSharpLicense.LoadLicense(key);
                else PdfSharp.PdfSharpLicense.SetAgplLicense();
                _licensed = true;
            }
            GlobalFontSettings.FontResolver ??= new ReportFonts();
        }
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
