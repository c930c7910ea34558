using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Custodes.Common;
using Custodes.Transparency;

namespace Custodes.Attestation;

/// <summary>One DSSE signature: the signer's key id (a hint, not trusted) and the Ed25519 signature over the PAE.</summary>
public sealed record DsseSignature(string KeyId, ReadOnlyMemory<byte> Sig);

/// <summary>Outcome of verifying a DSSE envelope against one public key.</summary>
public enum DsseCheck
{
    Ok,
    /// <summary>The envelope carries no signature at all.</summary>
    NoSignatures,
    /// <summary>No signature is by this key: the letter was signed with another key.</summary>
    WrongKey,
    /// <summary>A signature names this key but does not verify: payload, type or signature were changed.</summary>
    InvalidSignature,
}

/// <summary>A DSSE v1 envelope: a typed payload and signatures over <see cref="Pae"/> of type and payload.</summary>
public sealed record DsseEnvelope
{
    public required string PayloadType { get; init; }

    public required ReadOnlyMemory<byte> Payload { get; init; }

    public required IReadOnlyList<DsseSignature> Signatures { get; init; }

    /// <summary>DSSE pre-authentication encoding: <c>"DSSEv1" SP len(type) SP type SP len(body) SP body</c>, lengths in ASCII decimal bytes.</summary>
    public static byte[] Pae(string payloadType, ReadOnlySpan<byte> payload)
    {
        var type = Encoding.UTF8.GetBytes(payloadType);
        var header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"DSSEv1 {type.Length} "));
        var middle = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $" {payload.Length} "));
        return [.. header, .. type, .. middle, .. payload];
    }

    /// <summary>Signs a payload with one key; the signature's key id is the key's <see cref="Ed25519PublicKey.KeyId"/>.</summary>
    public static DsseEnvelope Sign(string payloadType, ReadOnlyMemory<byte> payload, Ed25519SigningKey key) => new()
    {
        PayloadType = payloadType,
        Payload = payload,
        Signatures = [new DsseSignature(key.PublicKey.KeyId, key.Sign(Pae(payloadType, payload.Span)))],
    };

    /// <summary>True when a signature by <paramref name="key"/> verifies; otherwise the named reason.</summary>
    /// <remarks>Key ids only pick which signatures to try first; a signature counts only when it verifies under the key itself.</remarks>
    public DsseCheck Verify(Ed25519PublicKey key)
    {
        if (Signatures.Count == 0) return DsseCheck.NoSignatures;
        var pae = Pae(PayloadType, Payload.Span);
        var namedThisKey = false;
        foreach (var signature in Signatures.Where(s => s.KeyId == key.KeyId))
        {
            namedThisKey = true;
            if (key.Verify(pae, signature.Sig.Span)) return DsseCheck.Ok;
        }
        foreach (var signature in Signatures.Where(s => s.KeyId != key.KeyId))
            if (key.Verify(pae, signature.Sig.Span)) return DsseCheck.Ok;
        return namedThisKey ? DsseCheck.InvalidSignature : DsseCheck.WrongKey;
    }

    /// <summary>The envelope's JSON: <c>{"payloadType", "payload" (base64), "signatures": [{"keyid", "sig"}]}</c>.</summary>
    public JsonObject ToJson() => new()
    {
        ["payloadType"] = PayloadType,
        ["payload"] = Convert.ToBase64String(Payload.Span),
        ["signatures"] = new JsonArray([.. Signatures.Select(s => new JsonObject { ["keyid"] = s.KeyId, ["sig"] = Convert.ToBase64String(s.Sig.Span) })]),
    };

    /// <summary>Reads an envelope from JSON; anything missing or mistyped is bad input naming its path.</summary>
    public static DsseEnvelope FromJson(JsonElement json, string path = "$")
    {
        if (json.ValueKind != JsonValueKind.Object) throw new BadInputException("expected a DSSE envelope object", path: path);
        var payloadType = JsonRead.String(json, "payloadType", path);
        var payload = JsonRead.Base64(json, "payload", path);
        if (!json.TryGetProperty("signatures", out var signatures) || signatures.ValueKind != JsonValueKind.Array)
            throw new BadInputException("expected an array of signatures", path: $"{path}.signatures");
        var list = new List<DsseSignature>();
        var i = 0;
        foreach (var signature in signatures.EnumerateArray())
        {
            var at = $"{path}.signatures[{i++}]";
            if (signature.ValueKind != JsonValueKind.Object) throw new BadInputException("expected a signature object", path: at);
            var keyId = signature.TryGetProperty("keyid", out var id) && id.ValueKind == JsonValueKind.String ? JsonRead.Text(id, $"{at}.keyid") : "";
            list.Add(new DsseSignature(keyId, JsonRead.Base64(signature, "sig", at)));
        }
        return new DsseEnvelope { PayloadType = payloadType, Payload = payload, Signatures = list };
    }
}

// Typed reads of JSON members that fail as bad input naming the member's path.
internal static class JsonRead
{
    public static string String(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var value)) throw new BadInputException($"'{name}' is missing", path: $"{path}.{name}");
        if (value.ValueKind != JsonValueKind.String) throw new BadInputException($"'{name}' must be a string", path: $"{path}.{name}");
        return Text(value, $"{path}.{name}");
    }

    /// <summary>A string value; one that is not valid Unicode (a lone surrogate escape) is bad input.</summary>
    public static string Text(JsonElement value, string path)
    {
        try
        {
            return value.GetString() ?? throw new BadInputException("expected a string", path: path);
        }
        catch (InvalidOperationException e)
        {
            throw new BadInputException("the string is not valid Unicode", path: path, inner: e);
        }
    }

    /// <summary>Parses one JSON value from UTF-8 (checked up front: System.Text.Json only finds bad UTF-8 in strings when they are read).</summary>
    public static JsonElement Parse(ReadOnlySpan<byte> json, string what)
    {
        if (!System.Text.Unicode.Utf8.IsValid(json)) throw new BadInputException($"{what} is not UTF-8", path: "$");
        try
        {
            var reader = new Utf8JsonReader(json);
            var root = JsonElement.ParseValue(ref reader);
            if (reader.BytesConsumed != json.Length && json[(int)reader.BytesConsumed..].IndexOfAnyExcept(" \t\r\n"u8) >= 0)
                throw new BadInputException($"unexpected text after {what}", path: "$");
            return root;
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{what} is not valid JSON: {e.Message}", path: e.Path, line: e.LineNumber + 1, inner: e);
        }
    }

    public static byte[] Base64(JsonElement obj, string name, string path)
    {
        var text = String(obj, name, path);
        // DSSE readers accept standard and URL-safe base64.
        var standard = text.Replace('-', '+').Replace('_', '/');
        if (standard.Length % 4 != 0) standard = standard.PadRight(standard.Length + 4 - standard.Length % 4, '=');
        try
        {
            return Convert.FromBase64String(standard);
        }
        catch (FormatException)
        {
            throw new BadInputException($"'{name}' is not base64", path: $"{path}.{name}");
        }
    }
}
