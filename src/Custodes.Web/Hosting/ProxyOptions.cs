using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Custodes.Web.Hosting;

/// <summary>
/// The reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed (configuration section
/// <c>Custodes:ForwardedHeaders</c>). Behind a TLS proxy these make the request https (so session cookies are <c>Secure</c> and HSTS is
/// sent) and its client address the browser's (so the sign-in limit counts people, not the proxy). Nobody is trusted unless listed:
/// from any other sender the headers are ignored, or anyone could claim to be anyone.
/// </summary>
public sealed class ProxyOptions
{
    public const string Section = "Custodes:ForwardedHeaders";

    /// <summary>Addresses of trusted proxies (<c>127.0.0.1</c>, <c>::1</c>, <c>10.0.0.5</c>).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation (<c>10.0.0.0/24</c>, <c>fd00::/64</c>).</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxies in a row are walked back through <c>X-Forwarded-For</c> (each must be trusted).</summary>
    public int ForwardLimit { get; set; } = 1;

    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    /// <summary>Reads and checks the section; a setting that is not an address or a network stops the server at start, naming it.</summary>
    public static ProxyOptions Read(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<ProxyOptions>() ?? new ProxyOptions();
        options.Apply(new ForwardedHeadersOptions());
        return options;
    }

    /// <summary>Configures the forwarded-headers middleware to trust exactly these proxies (not ASP.NET Core's default of loopback).</summary>
    public void Apply(ForwardedHeadersOptions target)
    {
        if (ForwardLimit < 1) throw new InvalidOperationException($"configuration {Section}:ForwardLimit: {ForwardLimit} is not at least 1");
        target.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        target.ForwardLimit = ForwardLimit;
        target.KnownProxies.Clear();
        target.KnownIPNetworks.Clear();
        for (var i = 0; i < KnownProxies.Count; i++)
        {
            var text = KnownProxies[i]?.Trim() ?? "";
            if (!IPAddress.TryParse(text, out var address) || text.Contains('/'))
                throw new InvalidOperationException($"configuration {Section}:KnownProxies:{i}: '{text}' is not an IP address (a network goes in KnownNetworks, as 10.0.0.0/24)");
            target.KnownProxies.Add(address);
        }
        for (var i = 0; i < KnownNetworks.Count; i++)
        {
            var text = KnownNetworks[i]?.Trim() ?? "";
            if (!System.Net.IPNetwork.TryParse(text, out var network))
                throw new InvalidOperationException($"configuration {Section}:KnownNetworks:{i}: '{text}' is not a network in CIDR notation, such as 10.0.0.0/24");
            target.KnownIPNetworks.Add(network);
        }
    }
}
