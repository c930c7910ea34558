using System.Net;
using System.Text;

namespace Custodes.Web.Letters;

/// <summary>A small HTML writer: every text and attribute value goes through <see cref="WebUtility.HtmlEncode"/>, so nothing a letter says can become markup.</summary>
public sealed class Html
{
    private readonly StringBuilder _out = new(8 * 1024);

    /// <summary>Escaped text.</summary>
    public Html Text(string? text)
    {
        _out.Append(WebUtility.HtmlEncode(text ?? ""));
        return this;
    }

    /// <summary>Markup written by this code (never anything from a request or a letter).</summary>
    public Html Raw(string markup)
    {
        _out.Append(markup);
        return this;
    }

    /// <summary><c>&lt;tag attr="…"&gt;</c> with escaped attribute values.</summary>
    public Html Open(string tag, params (string Name, string? Value)[] attributes)
    {
        _out.Append('<').Append(tag);
        foreach (var (name, value) in attributes)
        {
            if (value is null) continue;
            _out.Append(' ').Append(name).Append("=\"").Append(WebUtility.HtmlEncode(value)).Append('"');
        }
        _out.Append('>');
        return this;
    }

    public Html Close(string tag)
    {
        _out.Append("</").Append(tag).Append('>');
        return this;
    }

    /// <summary>An element with escaped text content.</summary>
    public Html Element(string tag, string? text, params (string Name, string? Value)[] attributes) => Open(tag, attributes).Text(text).Close(tag);

    /// <summary>Text whose blank lines become paragraphs.</summary>
    public Html Paragraphs(string text)
    {
        foreach (var paragraph in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) Element("p", paragraph);
        return this;
    }

    /// <summary>A whole page: doctype, head with the stylesheet, and the body written by <paramref name="body"/>.</summary>
    /// <param name="embedStylesheet">True for a file handed out on its own (<c>custodes attest render</c>), which must look right without the server;
    /// pages the server answers link <c>/assets/letters.css</c>, because its Content-Security-Policy (<c>style-src 'self'</c>) blocks inline styles.</param>
    public static string Page(string title, Action<Html> body, bool embedStylesheet = false)
    {
        var html = new Html();
        html.Raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Element("title", title);
        if (embedStylesheet) html.Raw("<style>").Raw(Stylesheet.Css).Raw("</style>");
        else html.Raw("<link rel=\"stylesheet\" href=\"").Raw(Stylesheet.Url).Raw("\"><link rel=\"icon\" href=\"/assets/favicon.svg\" type=\"image/svg+xml\">");
        html.Raw("</head><body><main>");
        body(html);
        html.Raw("</main></body></html>\n");
        return html.ToString();
    }

    public override string ToString() => _out.ToString();
}

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
