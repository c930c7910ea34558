using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Custodes.Attestation;
using Custodes.Common;
using Custodes.Transparency;

namespace Custodes.SupplyChain.Questionnaires;

/// <summary>Writes a questionnaire as <c>custodes.questionnaire/v1</c> JSON (the project's JSON options: snake_case, kebab-case values).</summary>
public static class QuestionnaireJson
{
    public static byte[] Write(QuestionnaireResponse response)
    {
        var node = JsonSerializer.SerializeToNode(response, Json.Options)!.AsObject();
        var ordered = new JsonObject { ["schema"] = QuestionnaireResponse.Schema };
        foreach (var (key, value) in node.ToArray())
        {
            node.Remove(key);
            ordered[key] = value;
        }
        return JsonSerializer.SerializeToUtf8Bytes(ordered, Json.Indented);
    }

    /// <summary>SHA-256 (lowercase hex) of the document's RFC 8785 canonical JSON: what a sign-off seals.</summary>
    /// <remarks>Canonical, as a letter's subject digest is, so the same questionnaire hashes the same from any export: the JSON, or an XLSX or CSV read back.</remarks>
    public static string Sha256(QuestionnaireResponse response) => Convert.ToHexStringLower(SHA256.HashData(CanonicalJson.Canonicalize(Write(response))));
}
