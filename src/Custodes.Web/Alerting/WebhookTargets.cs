using System.Net;
using System.Net.Sockets;

namespace Custodes.Web.Alerting;

/// <summary>A webhook whose host resolves only to addresses webhooks may not reach (loopback, private, link-local…).</summary>
public sealed class WebhookTargetRefusedException(string message) : Exception(message);

/// <summary>
/// Where a webhook may connect. A channel's URL is set by any owner of any organization of the installation, and the server posts
/// to it from inside its own network: without a check, a webhook could reach the cloud metadata service (169.254.169.254), the
/// database or an internal admin page (server-side request forgery). Addresses are checked when connecting, after DNS resolution,
/// so a name that resolves (or re-resolves) to an internal address is refused too. An installation that delivers to receivers on
/// its own network sets <c>Custodes:Alerting:AllowPrivateWebhookTargets</c>.
/// </summary>
public static class WebhookTargets
{
    /// <summary>The addresses of <paramref name="host"/> a webhook may connect to; refuses the host when none is left.</summary>
    public static async Task<IPAddress[]> ResolveAsync(string host, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (allowPrivate) return addresses;
        var reachable = addresses.Where(IsPublic).ToArray();
        if (reachable.Length == 0)
            throw new WebhookTargetRefusedException($"{host} resolves only to addresses webhooks may not reach ({string.Join(", ", addresses.Select(a => a.ToString()))}: " +
                "loopback, private, link-local or reserved); set Custodes:Alerting:AllowPrivateWebhookTargets=true to deliver inside your network");
        return reachable;
    }

    /// <summary>Whether an address is on the public internet: not loopback, private (RFC 1918, RFC 4193), shared (RFC 6598), link-local, multicast or reserved.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] is 0 or 10 or 127 or >= 224                      // this network, private, loopback, multicast and reserved
                || b[0] == 100 && (b[1] & 0xC0) == 64                      // 100.64.0.0/10 shared address space (carrier-grade NAT)
                || b[0] == 169 && b[1] == 254                              // link-local, cloud metadata services
                || b[0] == 172 && (b[1] & 0xF0) == 16                      // 172.16.0.0/12
                || b[0] == 192 && b[1] == 168                              // 192.168.0.0/16
                || b[0] == 192 && b[1] == 0 && b[2] == 0                   // 192.0.0.0/24 protocol assignments
                || b[0] == 198 && (b[1] & 0xFE) == 18);                    // 198.18.0.0/15 benchmarking
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return false;
        var v6 = address.GetAddressBytes();
        return !(IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6None)
            || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal
            || v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xFF && v6[3] == 0x9B);  // 64:ff9b::/96 NAT64: the IPv4 behind it is unknown here
    }
}
