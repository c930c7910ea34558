using System.Security.Cryptography;
using System.Text;
using Custodes.Common;

namespace Custodes.Reports.Artifacts;

/// <summary>One assessment artifact: the name the organization keeps it under and the SHA-256 (lowercase hex) of its bytes.</summary>
public sealed record Artifact(string Name, string Sha256);

/// <summary>
/// The artifact hash list of the DoD CMMC Hashing Guide: the SHA-256 of each artifact examined, the list itself, and the SHA-256 of the list,
/// which the assessor records and the organization keeps with its artifacts for six years.
/// </summary>
/// <remarks>
/// The guide's PowerShell tool writes its own log layout; the list here is the GNU coreutils checksum format (<c>&lt;sha256&gt;  &lt;name&gt;</c>,
/// one line per artifact, sorted by name, UTF-8, LF) because anyone can re-check it with a standard tool on any system
/// (<c>sha256sum -c artifacts.sha256</c> in the folder holding the artifacts), and its own SHA-256 is computed over exactly these bytes
/// (docs/reports.md#artifact-hash-list).
/// </remarks>
public sealed record ArtifactHashList(IReadOnlyList<Artifact> Artifacts, byte[] Content, string Sha256)
{
    /// <summary>The list's file name as written by default.</summary>
    public const string FileName = "artifacts.sha256";

    /// <summary>The list of the given artifacts: one line each, in name order; the same bytes for the same artifacts, whatever their order.</summary>
    /// <remarks>Two artifacts under one name with different contents are both kept, the later ones renamed <c>name (2)</c>; identical duplicates count once.</remarks>
    public static ArtifactHashList Build(IEnumerable<Artifact> artifacts)
    {
        var byName = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var artifact in artifacts.OrderBy(a => a.Name, StringComparer.Ordinal).ThenBy(a => a.Sha256, StringComparer.Ordinal))
        {
            if (!IsSha256(artifact.Sha256)) throw new BadInputException($"artifact '{artifact.Name}': '{artifact.Sha256}' is not a SHA-256 in lowercase hex");
            var name = SafeName(artifact.Name);
            if (byName.TryGetValue(name, out var existing) && existing == artifact.Sha256) continue;
            var unique = name;
            for (var n = 2; byName.ContainsKey(unique); n++) unique = $"{Path.GetFileNameWithoutExtension(name)} ({n}){Path.GetExtension(name)}";
            byName[unique] = artifact.Sha256;
        }
        var text = new StringBuilder();
        foreach (var (name, hash) in byName) text.Append(hash).Append("  ").Append(name).Append('\n');
        var content = Encoding.UTF8.GetBytes(text.ToString());
        return new ArtifactHashList(byName.Select(a => new Artifact(a.Key, a.Value)).ToArray(), content, Hex(SHA256.HashData(content)));
    }

    /// <summary>The companion file holding the list's own hash, in the same format (<c>sha256sum -c</c> checks the list with it).</summary>
    public byte[] HashFile(string listFileName = FileName) => Encoding.UTF8.GetBytes($"{Sha256}  {listFileName}\n");

    /// <summary>Checks that <paramref name="content"/> is an artifact hash list and returns its SHA-256 (lowercase hex).</summary>
    public static string Check(byte[] content, string source)
    {
        if (content.Length == 0) throw new BadInputException("the artifact hash list is empty: it lists no artifact", source);
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(content);
        }
        catch (DecoderFallbackException e)
        {
            throw new BadInputException("the artifact hash list is not UTF-8 text", source, inner: e);
        }
        if (!text.EndsWith('\n')) throw new BadInputException("the artifact hash list must end with a line break", source);
        var lines = text[..^1].Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length < 67 || !IsSha256(line[..64]) || line[64..66] != "  ")
                throw new BadInputException("expected '<64 lowercase hex>  <file name>' (the sha256sum format)", source, line: i + 1);
        }
        return Hex(SHA256.HashData(content));
    }

    /// <summary>Names stay on one line and inside the artifacts folder: line breaks, backslashes and parent steps are replaced.</summary>
    private static string SafeName(string name)
    {
        var clean = new StringBuilder(name.Length);
        foreach (var c in name.Trim()) clean.Append(char.IsControl(c) || c == '\\' ? '_' : c);
        var parts = clean.ToString().Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p is not ("." or "..")).ToArray();
        return parts.Length == 0 ? "unnamed" : string.Join('/', parts);
    }

    private static bool IsSha256(string value) => value.Length == 64 && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    private static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);
}
