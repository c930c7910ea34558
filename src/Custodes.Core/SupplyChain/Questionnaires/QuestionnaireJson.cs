using System.Text.Json;
using System.Text.Json.Nodes;
using Custodes.Common;

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
}
