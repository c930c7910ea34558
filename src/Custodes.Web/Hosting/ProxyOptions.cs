using System.Net;
using Custodes.Application.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Custodes.Web.Hosting;

/// <summary>
/// The reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed (configuration section
/// <c>Custodes:ForwardedHeaders</c>). Behind a TLS proxy these make the request https (so session cookies are <c>Secure</c> and HSTS is
/// sent) and its client address the browser's (so the sign-in limit counts people, not the proxy). Nobody is trusted unless listed:
/// from any other sender the headers are ignored, or anyone could claim to be anyone.
/// </summary>
internal sealed class ProxyOptions
{
    public const string Section = "Custodes:ForwardedHeaders";

    /// <summary>Addresses of trusted proxies (<c>127.0.0.1</c>, <c>::1</c>, <c>10.0.0.5</c>).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation (<c>10.0.0.0/24</c>, <c>fd00::/64</c>).</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxies in a row are walked back through <c>X-Forwarded-For</c> (each must be trusted).</summary>
    public int ForwardLimit { get; set; } = 1;

    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    /// <summary>Reads and checks the section as the server does at start; a setting that is not an address or a network throws, naming it.</summary>
    public static ProxyOptions Read(IConfiguration configuration) =>
        configuration.ReadConfiguredOptions<ProxyOptions, ProxyOptionsValidator>(Section);

    /// <summary>What is wrong with the settings, each as <c>configuration Custodes:ForwardedHeaders:Key: why</c>.</summary>
    public IEnumerable<string> Problems()
    {
        if (ForwardLimit < 1) yield return $"configuration {Section}:ForwardLimit: {ForwardLimit} is not at least 1";
        for (var i = 0; i < KnownProxies.Count; i++)
        {
            var text = KnownProxies[i]?.Trim() ?? "";
            if (!IPAddress.TryParse(text, out _) || text.Contains('/'))
                yield return $"configuration {Section}:KnownProxies:{i}: '{text}' is not an IP address (a network goes in KnownNetworks, as 10.0.0.0/24)";
        }
        for (var i = 0; i < KnownNetworks.Count; i++)
        {
            var text = KnownNetworks[i]?.Trim() ?? "";
            if (!System.Net.IPNetwork.TryParse(text, out _))
                yield return $"configuration {Section}:KnownNetworks:{i}: '{text}' is not a network in CIDR notation, such as 10.0.0.0/24";
        }
    }

    /// <summary>Configures the forwarded-headers middleware to trust exactly these proxies (not ASP.NET Core's default of loopback).</summary>
    public void Apply(ForwardedHeadersOptions target)
    {
        if (Problems().FirstOrDefault() is { } problem) throw new InvalidOperationException(problem);
        target.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        target.ForwardLimit = ForwardLimit;
        target.KnownProxies.Clear();
        target.KnownIPNetworks.Clear();
        for (var i = 0; i < KnownProxies.Count; i++)
        {
            target.KnownProxies.Add(IPAddress.Parse(KnownProxies[i].Trim()));
        }
        for (var i = 0; i < KnownNetworks.Count; i++)
        {
            target.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(KnownNetworks[i].Trim()));
        }
    }
}

/// <summary>Checks every trusted proxy is an address and every network a CIDR network, so a typo stops the server instead of trusting nobody (or everybody).</summary>
internal sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options) =>
        options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
