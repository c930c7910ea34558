using System.Net;
using System.Net.Sockets;

namespace Custodes.Web.Alerting;

/// <summary>A webhook whose host resolves only to addresses webhooks may not reach (loopback, private, link-local…).</summary>
internal sealed class WebhookTargetRefusedException(string message) : Exception(message);

/// <summary>
/// Where a webhook may connect. A channel's URL is set by any owner of any organization of the installation, and the server posts
/// to it from inside its own network: without a check, a webhook could reach the cloud metadata service (169.254.169.254), the
/// database or an internal admin page (server-side request forgery). Addresses are checked when connecting, after DNS resolution,
/// so a name that resolves (or re-resolves) to an internal address is refused too. An installation that delivers to receivers on
/// its own network sets <c>Custodes:Alerting:AllowPrivateWebhookTargets</c>.
/// </summary>
internal static class WebhookTargets
{
    /// <summary>What a refused webhook's delivery says: nothing of what the host resolved to on the server's side (that would tell any
    /// organization's owner the server's internal DNS answers).</summary>
    public const string Refused = "refused: the address is not allowed";

    /// <summary>The addresses of <paramref name="host"/> a webhook may connect to; refuses the host when none is left.</summary>
    public static async Task<IPAddress[]> ResolveAsync(string host, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (allowPrivate) return addresses;
        var reachable = addresses.Where(IsPublic).ToArray();
        if (reachable.Length == 0) throw new WebhookTargetRefusedException(Refused);
        return reachable;
    }

    /// <summary>
    /// Whether an address is on the public internet: not loopback, private (RFC 1918, RFC 4193), shared (RFC 6598), link-local,
    /// multicast, documentation or reserved. An IPv6 address that carries an IPv4 address (IPv4-mapped, IPv4-compatible, IPv4-translated,
    /// 6to4, NAT64 well-known prefix) is judged by that IPv4 address: <c>::ffff:127.0.0.1</c>, <c>::127.0.0.1</c> and
    /// <c>2002:7f00:1::</c> all reach loopback. Teredo and local-use NAT64 hide theirs, so they are refused outright.
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        if (EmbeddedIPv4(address) is { } v4) address = v4;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] is 0 or 10 or 127 or >= 224                      // this network, private, loopback, multicast and reserved
                || b[0] == 100 && (b[1] & 0xC0) == 64                      // 100.64.0.0/10 shared address space (carrier-grade NAT)
                || b[0] == 169 && b[1] == 254                              // link-local, cloud metadata services
                || b[0] == 172 && (b[1] & 0xF0) == 16                      // 172.16.0.0/12
                || b[0] == 192 && b[1] == 168                              // 192.168.0.0/16
                || b[0] == 192 && b[1] == 0 && b[2] is 0 or 2              // 192.0.0.0/24 protocol assignments, 192.0.2.0/24 documentation
                || b[0] == 192 && b[1] == 88 && b[2] == 99                 // 192.88.99.0/24 6to4 relay anycast
                || b[0] == 198 && (b[1] & 0xFE) == 18                      // 198.18.0.0/15 benchmarking
                || b[0] == 198 && b[1] == 51 && b[2] == 100                // 198.51.100.0/24 documentation
                || b[0] == 203 && b[1] == 0 && b[2] == 113);               // 203.0.113.0/24 documentation
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return false;
        var v6 = address.GetAddressBytes();
        return !(IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6None)
            || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal
            || v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xFF && v6[3] == 0x9B                       // 64:ff9b::/32 beyond the well-known /96: local-use NAT64 (RFC 8215)
            || v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x00 && v6[3] == 0x00                       // 2001::/32 Teredo: its IPv4 is obfuscated
            || v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0D && v6[3] == 0xB8                       // 2001:db8::/32 documentation
            || v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x00 && (v6[3] & 0xF0) is 0x10 or 0x20      // ORCHID 2001:10::/28, 2001:20::/28
            || v6[0] == 0x01 && v6[1] == 0x00 && v6.AsSpan(2, 6).IndexOfAnyExcept((byte)0) < 0         // 100::/64 discard
            || v6.AsSpan(0, 10).IndexOfAnyExcept((byte)0) < 0);                                        // ::/80 (:: and ::1 included) reserved
    }

    /// <summary>The IPv4 address an IPv6 address carries, where the IPv4 address is what a connection reaches; null for other addresses.</summary>
    public static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return null;
        var b = address.GetAddressBytes();
        var zeros = b.AsSpan(0, 10).IndexOfAnyExcept((byte)0) < 0;
        if (zeros && b[10] == 0xFF && b[11] == 0xFF) return new IPAddress(b.AsSpan(12, 4));             // ::ffff:a.b.c.d mapped
        if (zeros && b[10] == 0 && b[11] == 0 && b.AsSpan(12, 4).IndexOfAnyExcept((byte)0) >= 0)         // ::a.b.c.d compatible (not :: itself)
            return new IPAddress(b.AsSpan(12, 4));
        if (b.AsSpan(0, 8).IndexOfAnyExcept((byte)0) < 0 && b[8] == 0xFF && b[9] == 0xFF && b[10] == 0 && b[11] == 0)
            return new IPAddress(b.AsSpan(12, 4));                                                        // ::ffff:0:a.b.c.d translated (RFC 2765)
        if (b[0] == 0x20 && b[1] == 0x02) return new IPAddress(b.AsSpan(2, 4));                          // 2002:aabb:ccdd::/16 6to4
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
            return new IPAddress(b.AsSpan(12, 4));                                                        // 64:ff9b::/96 NAT64 well-known prefix
        return null;
    }
}
