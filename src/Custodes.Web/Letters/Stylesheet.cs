namespace Custodes.Web.Letters;

/// <summary>The letter and verify pages' stylesheet: served at <see cref="Url"/>, and embedded in a letter rendered to a file.</summary>
internal static class Stylesheet
{
    public const string Url = "/assets/letters.css";

    public static readonly string Css = Load();

    private static string Load()
    {
        using var stream = typeof(Stylesheet).Assembly.GetManifestResourceStream("Custodes.Web.Assets.letters.css")
            ?? throw new InvalidOperationException("the letters stylesheet is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
