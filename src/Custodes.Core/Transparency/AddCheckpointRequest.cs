using System.Globalization;
using System.Text;
using Custodes.Common;

namespace Custodes.Transparency;

/// <summary>A C2SP tlog-witness add-checkpoint body: <c>old &lt;size&gt;</c>, consistency proof lines, a blank line, the signed checkpoint.</summary>
public sealed record AddCheckpointRequest(long OldSize, IReadOnlyList<MerkleHash> Proof, string SignedCheckpoint)
{
    /// <summary>The spec lets a client send at most 63 proof lines.</summary>
    public const int MaxProofLines = 63;

    /// <summary>Bodies larger than this are refused before parsing (a checkpoint with 100 signatures fits easily).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public string ToBody()
    {
        var body = new StringBuilder("old ").Append(OldSize.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var hash in Proof) body.Append(hash.ToBase64()).Append('\n');
        return body.Append('\n').Append(SignedCheckpoint).ToString();
    }

    /// <summary>Parses a request body strictly; anything malformed is a <see cref="BadInputException"/> (400).</summary>
    public static AddCheckpointRequest Parse(ReadOnlySpan<byte> body)
    {
        if (body.Length > MaxBodyBytes) throw Bad($"the body is larger than {MaxBodyBytes} bytes");
        if (!System.Text.Unicode.Utf8.IsValid(body)) throw Bad("the body is not UTF-8");
        var text = Encoding.UTF8.GetString(body);
        var end = text.IndexOf('\n');
        if (end < 0) throw Bad("the first line must be 'old <size>' ending in a newline");
        var first = text[..end];
        if (!first.StartsWith("old ", StringComparison.Ordinal)) throw Bad("the first line must be 'old <size>'");
        var sizeText = first[4..];
        if (!long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var oldSize) || oldSize.ToString(CultureInfo.InvariantCulture) != sizeText)
            throw Bad($"the old size '{sizeText}' is not a decimal without leading zeros");
        var proof = new List<MerkleHash>();
        var position = end + 1;
        while (true)
        {
            var next = text.IndexOf('\n', position);
            if (next < 0) throw Bad("no blank line between the consistency proof and the checkpoint");
            var line = text[position..next];
            position = next + 1;
            if (line.Length == 0) break;
            if (proof.Count == MaxProofLines) throw Bad($"more than {MaxProofLines} consistency proof lines");
            if (!MerkleHash.TryFromBase64(line, out var hash)) throw Bad($"consistency proof line {proof.Count + 1} is not base64 of a 32-byte hash");
            proof.Add(hash);
        }
        var checkpoint = text[position..];
        if (checkpoint.Length == 0) throw Bad("the signed checkpoint is missing");
        return new AddCheckpointRequest(oldSize, proof, checkpoint);

        static BadInputException Bad(string why) => new($"malformed add-checkpoint request: {why}", path: "request body");
    }
}
