using System.Net;
using System.Text.RegularExpressions;

namespace Custodes.Web.Tests;

/// <summary>What a browser does, without one: keeps cookies, reads the antiforgery token out of a page and posts its forms.</summary>
/// <remarks>Give it a <see cref="SocketsHttpHandler"/> to connect differently (from another local address); it must not follow redirects.</remarks>
public sealed partial class WebSession(Uri address, SocketsHttpHandler? handler = null) : IDisposable
{
    private readonly CookieContainer _cookies = handler?.CookieContainer ?? new();
    private HttpClient? _client;

    public HttpClient Http => _client ??= new HttpClient(handler ?? (HttpMessageHandler)new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false }) { BaseAddress = address };
    public CookieContainer Cookies => _cookies;

    public async Task<(HttpStatusCode Status, string Html, HttpResponseMessage Response)> GetAsync(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html");
        var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    /// <summary>Loads <paramref name="page"/>, takes its antiforgery token, and posts <paramref name="fields"/> to <paramref name="action"/> (the page itself by default).</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string page, IEnumerable<KeyValuePair<string, string>> fields, string? action = null, bool json = false)
    {
        var (_, html, _) = await GetAsync(page);
        var token = Token(html) ?? throw new InvalidOperationException($"no antiforgery token on {page}");
        var request = new HttpRequestMessage(HttpMethod.Post, action ?? page)
        {
            Content = new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token))),
        };
        request.Headers.Accept.ParseAdd(json ? "application/json" : "text/html");
        if (json) request.Headers.Add("X-Requested-With", "fetch");
        return await Http.SendAsync(request);
    }

    public async Task<HttpResponseMessage> SignInAsync(string email, string password = RunningServer.Password) =>
        await PostFormAsync("/account/sign-in", [new("Email", email), new("Password", password)]);

    public static string? Token(string html) => TokenPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    public void Dispose() => _client?.Dispose();
}
