using System.Security.Cryptography;
using System.Text;

namespace Custodes.Reports.Oscal;

/// <summary>Name-based UUIDs (RFC 9562 version 5, SHA-1): the same name always gives the same UUID, so re-exporting the same assessment gives the same document.</summary>
public static class StableUuid
{
    /// <summary>The fixed namespace of every UUID Custodes derives for OSCAL documents. Never change it: it would change every exported UUID.</summary>
    public static readonly Guid CustodesNamespace = new("199203e1-6d15-43d8-93ad-695ebfe115e0");

    public static string Create(string name) => Create(CustodesNamespace, name);

    public static string Create(Guid ns, string name)
    {
        Span<byte> nsBytes = stackalloc byte[16];
        ns.TryWriteBytes(nsBytes, bigEndian: true, out _);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        nsBytes.CopyTo(input);
        nameBytes.CopyTo(input, 16);
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true).ToString("D");
    }
}
