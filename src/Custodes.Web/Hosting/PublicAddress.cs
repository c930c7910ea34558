using Custodes.Application.Alerting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Custodes.Web.Hosting;

/// <summary>
/// The address people reach this server at, for links that leave the request they were made in (a letter's verify link and QR
/// code, alert links): <c>Custodes:Alerting:PublicUrl</c> when it is set, else the first address the server listens on. Never the
/// request's <c>Host</c> header, which the sender chooses: a forged one must not put its address into a letter others trust, nor
/// into a publicly cached PDF.
/// </summary>
public sealed class PublicAddress(IConfiguration configuration, IServer server)
{
    private string? _base;

    /// <summary>The base URL without a trailing slash (<c>https://custodes.example</c>).</summary>
    public string Base => _base ??= Resolve();

    private string Resolve()
    {
        if (configuration[$"{AlertingOptions.Section}:PublicUrl"] is { Length: > 0 } configured) return configured.TrimEnd('/');
        var listening = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (listening is null || !Uri.TryCreate(listening.Replace("://+", "://localhost").Replace("://*", "://localhost"), UriKind.Absolute, out var uri))
            return new AlertingOptions().PublicUrl;
        // A wildcard bind names no reachable host; loopback at least works on the server itself.
        var host = uri.Host is "0.0.0.0" ? "127.0.0.1" : uri.Host is "[::]" or "::" ? "[::1]" : uri.Host;
        return new UriBuilder(uri) { Host = host }.Uri.GetLeftPart(UriPartial.Authority);
    }
}
