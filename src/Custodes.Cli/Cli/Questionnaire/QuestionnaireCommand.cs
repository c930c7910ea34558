using System.CommandLine;
using System.Globalization;
using Custodes.Cli.SupplyChain;
using Custodes.Common;
using Custodes.SupplyChain;
using Custodes.SupplyChain.Questionnaires;
using Spectre.Console;

namespace Custodes.Cli.Questionnaire;

/// <summary><c>custodes questionnaire templates|answer|import</c>: security questionnaires answered from an assessment, reviewed in XLSX/CSV, read back strictly.</summary>
internal static class QuestionnaireCommand
{
    public static Command Create()
    {
        var command = new Command("questionnaire", "Customer and insurer questionnaires answered from assessments and letters (docs/questionnaires.md).");
        command.Subcommands.Add(Templates());
        command.Subcommands.Add(Answer());
        command.Subcommands.Add(Import());
        return command;
    }

    private static Command Templates()
    {
        var json = CommonOptions.Json();
        var command = new Command("templates", "List the built-in questionnaire templates.") { json };
        command.SetHandler(json, (_, reporter) =>
        {
            var templates = QuestionnaireTemplates.BuiltIn.Select(id => QuestionnaireTemplates.Find(id)!)
                .Select(t => new { id = t.Id, version = t.Version, title = t.Title, audience = t.Audience, framework = t.Framework, questions = t.Questions.Count() })
                .ToArray();
            if (reporter.Json) reporter.WriteJson(new { templates });
            else foreach (var t in templates) reporter.Line($"{t.id,-22} v{t.version}  {t.questions,3} questions  {t.title}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Answer()
    {
        var template = new Option<string>("--template") { Description = "A built-in template id (see 'questionnaire templates') or a template file.", Required = true };
        var assessment = new Option<string>("--assessment") { Description = "The assessment that answers (custodes.assessment/v1; an effective one from 'supply-chain inherit --out' works too).", Required = true };
        var letters = new Option<string?>("--letter-status") { Description = "Letter states (custodes.letter-status/v1); the letter of the assessed organization is used." };
        var provider = new Option<string?>("--letter-provider") { Description = "Which letter of --letter-status to use (default: the assessment's organization, or the only letter)." };
        var output = new Option<string>("--out") { Description = "Where to write: .xlsx, .csv or .json.", Required = true };
        var stale = new Option<int?>("--stale-after-months") { Description = "Answers are stale when the assessment is older than this (default: the template's)." };
        var asOf = SupplyChainCommand.AsOfOption();
        var json = CommonOptions.Json();
        var command = new Command("answer", "Propose answers from an assessment and letter, for a person to review and sign off.") { template, assessment, letters, provider, output, stale, asOf, json };
        command.SetHandler(json, (parse, reporter) =>
        {
            var t = DocumentFiles.ResolveQuestionnaireTemplate(parse.GetValue(template)!);
            var a = AssessmentInput.LoadFile(parse.GetValue(assessment)!).Assessment;
            var letter = ChooseLetter(parse.GetValue(letters), parse.GetValue(provider), a.Organization);
            var months = parse.GetValue(stale);
            if (months is < 1) throw new BadInputException($"--stale-after-months must be at least 1, found {months}");
            var response = ProposeAnswers.For(t, a, letter, SupplyChainCommand.ResolveAsOf(parse.GetValue(asOf)), months);
            var path = parse.GetValue(output)!;
            var bytes = Path.GetExtension(path).ToLowerInvariant() switch
            {
                ".xlsx" => QuestionnaireXlsx.Write(response),
                ".csv" => QuestionnaireCsv.Write(response),
                ".json" => QuestionnaireJson.Write(response),
                var other => throw new BadInputException($"--out: unknown extension '{other}'; expected .xlsx, .csv or .json"),
            };
            File.WriteAllBytes(path, bytes);
            var summary = Summary(response, path);
            if (reporter.Json) reporter.WriteJson(summary);
            else reporter.Line($"{path}: {summary.Questions} questions — {string.Join(", ", summary.Answers.Select(x => $"{x.Value} {x.Key}"))}; confidence: {string.Join(", ", summary.Confidence.Select(x => $"{x.Value} {x.Key}"))}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Import()
    {
        var file = new Argument<string>("file") { Description = "A filled questionnaire (.xlsx or .csv) written by 'questionnaire answer'." };
        var template = new Option<string?>("--template") { Description = "The template file, when the questionnaire was made from a file rather than a built-in template." };
        var output = new Option<string?>("--out") { Description = "Write the imported questionnaire as custodes.questionnaire/v1 JSON." };
        var json = CommonOptions.Json();
        var command = new Command("import", "Read a filled questionnaire back: strict, located errors, nothing partial.") { file, template, output, json };
        command.SetHandler(json, (parse, reporter) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path)) throw new BadInputException("no such file", path);
            var table = Path.GetExtension(path).ToLowerInvariant() switch
            {
                ".xlsx" => ReadXlsx(path),
                ".csv" => QuestionnaireCsv.Read(File.ReadAllBytes(path), path),
                var other => throw new BadInputException($"unknown extension '{other}'; expected .xlsx or .csv", path),
            };
            var templateFile = parse.GetValue(template);
            var response = table.ToResponse(id => templateFile is not null ? DocumentFiles.ResolveQuestionnaireTemplate(templateFile) is var t && t.Id == id ? t
                    : throw new BadInputException($"the questionnaire was made from template '{id}', not from {templateFile}", path)
                : QuestionnaireTemplates.Find(id) ?? throw new BadInputException($"template '{id}' is not built in; pass --template <file>", path));
            if (parse.GetValue(output) is { } outPath) File.WriteAllBytes(outPath, QuestionnaireJson.Write(response));
            var summary = new
            {
                template = response.TemplateId,
                organization = response.Organization,
                questions = response.Answers.Count,
                states = response.Answers.GroupBy(a => QuestionnaireNames.States.Name(a.State)).ToDictionary(g => g.Key, g => g.Count()),
                signed_off_by = response.SignOff?.By,
                signed_off_at = response.SignOff?.At,
                // What a sign-off in the web app seals: a received file can be checked against the hash its sender quotes.
                content_sha256 = QuestionnaireJson.Sha256(response),
            };
            if (reporter.Json) reporter.WriteJson(summary);
            else reporter.Line($"{path}: {summary.questions} answers ({string.Join(", ", summary.states.Select(s => $"{s.Value} {s.Key}"))}); " +
                (response.SignOff is { } s ? $"signed off by {s.By} at {s.At.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}Z" : "not signed off"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static QuestionnaireTable ReadXlsx(string path)
    {
        using var stream = File.OpenRead(path);
        return QuestionnaireXlsx.Read(stream, path);
    }

    private static LetterState? ChooseLetter(string? file, string? provider, string organization)
    {
        if (file is null) return null;
        var letters = DocumentFiles.ReadLetterStatuses(file);
        if (provider is not null)
            return letters.FirstOrDefault(l => l.Provider == provider) ?? throw new BadInputException($"no letter for '{provider}'", file);
        return letters.FirstOrDefault(l => l.Provider == organization)
            ?? (letters.Count == 1 ? letters[0] : throw new BadInputException($"no letter for '{organization}' among {letters.Count}; pass --letter-provider <id>", file));
    }

    private static AnswerSummary Summary(QuestionnaireResponse r, string path) => new(
        path, r.TemplateId, r.Organization, r.Attested, r.Answers.Count,
        r.Answers.GroupBy(a => QuestionnaireNames.Answers.Name(a.Proposed)).ToDictionary(g => g.Key, g => g.Count()),
        r.Answers.GroupBy(a => QuestionnaireNames.Confidences.Name(a.Confidence)).ToDictionary(g => g.Key, g => g.Count()));

    /// <summary>What <c>questionnaire answer --json</c> prints: counts of proposed answers and confidences.</summary>
    private sealed record AnswerSummary(string Out, string Template, string Organization, bool Attested, int Questions, Dictionary<string, int> Answers, Dictionary<string, int> Confidence);
}
