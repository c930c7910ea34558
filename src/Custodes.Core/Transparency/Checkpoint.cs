using System.Globalization;
using System.Text;
using Custodes.Attestation;
using Custodes.Common;

namespace Custodes.Transparency;

/// <summary>A C2SP tlog-checkpoint: the note text naming a log (origin), its size and its RFC 6962 root hash.</summary>
public sealed record Checkpoint
{
    public Checkpoint(string origin, long size, MerkleHash rootHash, IReadOnlyList<string>? extensions = null)
    {
        if (string.IsNullOrEmpty(origin) || origin.Contains('\n')) throw new BadInputException("a checkpoint origin must be one non-empty line");
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        extensions ??= [];
        if (extensions.Any(e => e.Length == 0 || e.Contains('\n'))) throw new BadInputException("checkpoint extension lines must be single non-empty lines");
        Origin = origin;
        Size = size;
        RootHash = rootHash;
        Extensions = extensions;
    }

    /// <summary>The log's identity, e.g. <c>assessor.example/custodes</c>.</summary>
    public string Origin { get; }

    /// <summary>Entries in the tree.</summary>
    public long Size { get; }

    public MerkleHash RootHash { get; }

    /// <summary>Opaque lines after the root hash (C2SP advises against them).</summary>
    public IReadOnlyList<string> Extensions { get; }

    /// <summary>The note text: origin, size, base64 root, extension lines, each ending in a newline.</summary>
    public string ToNoteText()
    {
        var text = new StringBuilder().Append(Origin).Append('\n')
            .Append(Size.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(RootHash.ToBase64()).Append('\n');
        foreach (var line in Extensions) text.Append(line).Append('\n');
        return text.ToString();
    }

    /// <summary>Parses checkpoint note text (the text of an opened note, without signatures).</summary>
    public static Checkpoint Parse(string text)
    {
        if (!text.EndsWith('\n')) throw Bad("the text must end with a newline");
        var lines = text[..^1].Split('\n');
        if (lines.Length < 3) throw Bad("expected origin, tree size and root hash lines");
        if (lines.Any(l => l.Length == 0)) throw Bad("lines must not be empty");
        var sizeText = lines[1];
        if (!long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size.ToString(CultureInfo.InvariantCulture) != sizeText)
            throw Bad($"tree size '{sizeText}' is not a decimal without leading zeros");
        if (!MerkleHash.TryFromBase64(lines[2], out var root)) throw Bad("the root hash is not base64 of 32 bytes");
        return new Checkpoint(lines[0], size, root, lines[3..]);

        static BadInputException Bad(string why) => new($"malformed checkpoint: {why}", path: "checkpoint");
    }

    /// <summary>Opens a signed checkpoint with the log's key: the checkpoint, or the named reason it is refused.</summary>
    public static CheckpointOpening Open(string signedNote, NoteVerifier logKey)
    {
        var opening = SignedNote.Open(signedNote, logKey);
        if (!opening.IsValid) return new CheckpointOpening(null, opening.Error, opening.Message);
        try
        {
            return new CheckpointOpening(Parse(opening.Note!.Text), NoteError.None, "ok");
        }
        catch (BadInputException e)
        {
            return new CheckpointOpening(null, NoteError.Malformed, e.Message);
        }
    }
}

/// <summary>A verified checkpoint, or why the signed note was refused (<see cref="NoteError"/>).</summary>
public sealed record CheckpointOpening(Checkpoint? Checkpoint, NoteError Error, string Message)
{
    public bool IsValid => Error == NoteError.None;
}

/// <summary>Signs checkpoints of one log with the log's note key (named by the origin, as C2SP recommends).</summary>
public sealed class CheckpointSigner(NoteSigner signer)
{
    public NoteVerifier Verifier => signer.Verifier;

    /// <summary>The signed checkpoint, as served at <c>/log/checkpoint</c>.</summary>
    public string Sign(Checkpoint checkpoint) => SignedNote.Sign(checkpoint.ToNoteText(), signer);

    public string Sign(string origin, long size, MerkleHash rootHash) => Sign(new Checkpoint(origin, size, rootHash));
}
