using Custodes.Application.SupplyChain;
using Custodes.Common;
using Custodes.SupplyChain;
using Custodes.SupplyChain.Questionnaires;

namespace Custodes.Web.SupplyChain;

/// <summary>Questionnaires as files: XLSX, CSV or JSON downloads, and a filled XLSX or CSV read back.</summary>
internal static class QuestionnaireDownload
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <param name="name">The file's name without its extension (the template id by default).</param>
    public static IResult File(QuestionnaireResponse response, string format, string? name = null)
    {
        name ??= response.TemplateId;
        return format switch
        {
            "json" => TypedResults.Bytes(QuestionnaireJson.Write(response), "application/json", $"{name}.json"),
            "xlsx" => TypedResults.Bytes(QuestionnaireXlsx.Write(response), XlsxType, $"{name}.xlsx"),
            "csv" => TypedResults.Bytes(QuestionnaireCsv.Write(response), "text/csv", $"{name}.csv"),
            _ => throw new BadInputException($"unknown format '{format}'; expected json, xlsx or csv", path: "format"),
        };
    }

    /// <summary>A stored questionnaire's file name: template, revision, and whether it is signed off (<c>msp-security-r2-signed-off</c>).</summary>
    public static string FileName(StoredQuestionnaire stored) => $"{stored.Questionnaire.TemplateId}-r{stored.Revision}-{stored.Status}";

    /// <summary>A filled questionnaire (XLSX when it is a zip or says so, else CSV) against its built-in template.</summary>
    public static QuestionnaireResponse Read(byte[] bytes, string contentTypeOrName, string source)
    {
        var xlsx = contentTypeOrName.Contains("spreadsheetml", StringComparison.Ordinal) || contentTypeOrName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase)
            || bytes is [(byte)'P', (byte)'K', ..];
        QuestionnaireTable table;
        if (xlsx)
        {
            using var stream = new MemoryStream(bytes);
            table = QuestionnaireXlsx.Read(stream, source);
        }
        else table = QuestionnaireCsv.Read(bytes, source);
        return table.ToResponse(id => QuestionnaireTemplates.Find(id) ?? throw new BadInputException($"template '{id}' is not built in", source));
    }
}
