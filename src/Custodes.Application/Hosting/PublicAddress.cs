using Custodes.Application.Alerting;
using Microsoft.Extensions.Options;

namespace Custodes.Application.Hosting;

/// <summary>
/// Where people reach this installation's web app (<c>Custodes:PublicUrl</c>; the older key <c>Custodes:Alerting:PublicUrl</c> is
/// read too, the new one wins when both are set).
/// </summary>
public sealed class PublicAddressOptions
{
    /// <summary>The section the one key lives in; <see cref="AliasSection"/> holds the key under its older name.</summary>
    public const string Section = "Custodes";
    public const string AliasSection = AlertingOptions.Section;

    /// <summary>The address, e.g. <c>https://custodes.example</c>; when unset, the first address the server listens on.</summary>
    public string? PublicUrl { get; set; }
}

/// <summary>Checks that a configured public address is an absolute http(s) URL.</summary>
public sealed class PublicAddressOptionsValidator : IValidateOptions<PublicAddressOptions>
{
    public ValidateOptionsResult Validate(string? name, PublicAddressOptions options) => new OptionsProblems(PublicAddressOptions.Section)
        .Require(string.IsNullOrWhiteSpace(options.PublicUrl) || OptionsProblems.IsHttpUrl(options.PublicUrl), "PublicUrl",
            $"'{options.PublicUrl}' is not an absolute http(s) URL (the address people reach the web app at, such as https://custodes.example)").Result;
}

/// <summary>The address a server in this process listens on, when there is one (the web host provides it).</summary>
public interface IListeningAddress
{
    /// <summary>The first address bound, as the server reports it (<c>http://127.0.0.1:5000</c>, <c>http://+:80</c>), or null.</summary>
    string? First { get; }
}

/// <summary>
/// The one address links that leave this installation point at: a letter's verify link and QR code, alert links in webhooks and
/// email, invitation and password-reset links. <c>Custodes:PublicUrl</c> when set, else the first address the server listens on,
/// else (no server in this process: a command at the command line) <see cref="Default"/>, where <c>custodes serve</c> listens by
/// default. Never a request's <c>Host</c> header, which the sender chooses: a forged one must not put its address into a letter
/// others trust, into a publicly cached PDF, or into an email.
/// </summary>
public sealed class PublicAddress(PublicAddressOptions options, IListeningAddress? listening = null)
{
    public const string Default = "http://127.0.0.1:8080";

    private string? _base;

    /// <summary>The base URL without a trailing slash (<c>https://custodes.example</c>).</summary>
    public string Base => _base ??= Resolve();

    /// <summary>An absolute URL of a path of the web app (<paramref name="pathAndQuery"/> starts with <c>/</c>).</summary>
    public string Link(string pathAndQuery) => Base + pathAndQuery;

    /// <summary>The page of a watch alert.</summary>
    public string AlertLink(string alertId) => Link($"/watch/alerts/{Uri.EscapeDataString(alertId)}");

    private string Resolve()
    {
        if (options.PublicUrl is { Length: > 0 } configured && !string.IsNullOrWhiteSpace(configured)) return configured.Trim().TrimEnd('/');
        var first = listening?.First;
        if (first is null || !Uri.TryCreate(first.Replace("://+", "://localhost").Replace("://*", "://localhost"), UriKind.Absolute, out var uri))
            return Default;
        // A wildcard bind names no reachable host; loopback at least works on the server itself.
        var host = uri.Host is "0.0.0.0" ? "127.0.0.1" : uri.Host is "[::]" or "::" ? "[::1]" : uri.Host;
        return new UriBuilder(uri) { Host = host }.Uri.GetLeftPart(UriPartial.Authority);
    }
}
