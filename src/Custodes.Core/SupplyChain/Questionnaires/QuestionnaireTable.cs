using System.Globalization;
using Custodes.Common;

namespace Custodes.SupplyChain.Questionnaires;

/// <summary>A questionnaire as a table (the XLSX sheet or the CSV): metadata, a header row and one row per question; the one place that maps it to and from <see cref="QuestionnaireResponse"/>.</summary>
public sealed record QuestionnaireTable(string File, IReadOnlyList<TableCell[]> Meta, IReadOnlyList<TableCell[]> Rows)
{
    public static readonly IReadOnlyList<string> Columns =
        ["section", "question_id", "question", "maps_to", "proposed", "confidence", "statuses", "evidence", "rationale", "answer", "state", "reviewed_by", "reviewed_at", "comment"];

    public static readonly IReadOnlyList<string> MetaKeys =
        ["schema", "template", "template_version", "title", "organization", "assessed_on", "letter_id", "attested", "generated_on", "signed_off_by", "signed_off_at"];

    /// <summary>The columns a person fills in; the others are generated and read back only to be checked.</summary>
    public static readonly IReadOnlyList<string> EditableColumns = ["answer", "state", "reviewed_by", "reviewed_at", "comment"];

    public static (string[][] Meta, string[][] Rows) From(QuestionnaireResponse r)
    {
        string[][] meta =
        [
            ["schema", QuestionnaireResponse.Schema],
            ["template", r.TemplateId],
            ["template_version", r.TemplateVersion.ToString(CultureInfo.InvariantCulture)],
            ["title", r.Title],
            ["organization", r.Organization],
            ["assessed_on", Date(r.AssessedOn)],
            ["letter_id", r.LetterId ?? ""],
            ["attested", r.Attested ? "true" : "false"],
            ["generated_on", Date(r.GeneratedOn)],
            ["signed_off_by", r.SignOff?.By ?? ""],
            ["signed_off_at", r.SignOff is { } s ? Time(s.At) : ""],
        ];
        var rows = new List<string[]> { Columns.ToArray() };
        foreach (var a in r.Answers)
            rows.Add([
                a.SectionId, a.QuestionId, a.Text, string.Join(", ", a.MapsTo),
                QuestionnaireNames.Answers.Name(a.Proposed), QuestionnaireNames.Confidences.Name(a.Confidence),
                string.Join("; ", a.Statuses.Select(s => $"{s.Key}={s.Value}")), string.Join("; ", a.Evidence), a.Rationale,
                a.Final is { } f ? QuestionnaireNames.Answers.Name(f) : "", QuestionnaireNames.States.Name(a.State),
                a.ReviewedBy ?? "", a.ReviewedAt is { } at ? Time(at) : "", a.Comment ?? "",
            ]);
        return (meta, rows.ToArray());
    }

    /// <summary>Reads a filled questionnaire back, strictly: every question of the template exactly once, valid values, consistent review; nothing partial.</summary>
    public QuestionnaireResponse ToResponse(Func<string, QuestionnaireTemplate> template)
    {
        var meta = new Dictionary<string, TableCell>(StringComparer.Ordinal);
        foreach (var row in Meta)
        {
            if (row.Length < 2 || string.IsNullOrWhiteSpace(row[0].Text)) continue;
            var key = row[0].Text.Trim();
            if (!MetaKeys.Contains(key)) throw row[0].Error(File, $"unknown field '{key}'; expected one of {string.Join(", ", MetaKeys)}");
            if (!meta.TryAdd(key, row[1])) throw row[0].Error(File, $"'{key}' is given twice");
        }
        TableCell Need(string key) => meta.TryGetValue(key, out var c) && c.Text.Length > 0 ? c : throw new BadInputException($"missing '{key}' in the questionnaire's metadata", File);
        var schema = Need("schema");
        if (schema.Text != QuestionnaireResponse.Schema) throw schema.Error(File, $"unsupported schema '{schema.Text}'; expected '{QuestionnaireResponse.Schema}'");
        var templateCell = Need("template");
        var t = template(templateCell.Text);
        var versionCell = Need("template_version");
        if (versionCell.Text != t.Version.ToString(CultureInfo.InvariantCulture))
            throw versionCell.Error(File, $"the questionnaire was made from version {versionCell.Text} of {t.Id}; this is version {t.Version}");

        if (Rows.Count == 0) throw new BadInputException("no header row; expected the columns " + string.Join(", ", Columns), File);
        var header = Rows[0];
        for (var c = 0; c < Columns.Count; c++)
            if (c >= header.Length || header[c].Text != Columns[c])
                throw (c < header.Length ? header[c] : header[^1]).Error(File, $"expected column {c + 1} to be '{Columns[c]}'; the header is {string.Join(", ", Columns)}");

        var questions = t.Questions.ToDictionary(q => q.Question.Id, StringComparer.Ordinal);
        var answers = new Dictionary<string, QuestionAnswer>(StringComparer.Ordinal);
        foreach (var row in Rows.Skip(1))
        {
            if (row.All(c => c.Text.Length == 0)) continue;
            var cells = Enumerable.Range(0, Columns.Count).Select(i => i < row.Length ? row[i] : row[^1] with { Text = "" }).ToArray();
            TableCell Col(string name) => cells[IndexOf(name)];
            var id = Col("question_id");
            if (!questions.TryGetValue(id.Text, out var q)) throw id.Error(File, $"unknown question '{id.Text}' in template {t.Id}");
            if (answers.ContainsKey(id.Text)) throw id.Error(File, $"question '{id.Text}' appears twice");
            var proposed = Parse(Col("proposed"), QuestionnaireNames.Answers, "answer");
            var confidence = Parse(Col("confidence"), QuestionnaireNames.Confidences, "confidence");
            var state = Parse(Col("state"), QuestionnaireNames.States, "review state");
            Answer? final = Col("answer").Text.Length == 0 ? null : Parse(Col("answer"), QuestionnaireNames.Answers, "answer");
            var by = Col("reviewed_by").Text;
            DateTimeOffset? at = Col("reviewed_at").Text.Length == 0 ? null : ParseTime(Col("reviewed_at"));
            switch (state)
            {
                case ReviewState.Proposed when final is not null || by.Length > 0 || at is not null:
                    throw Col("state").Error(File, "an answer, reviewer or review time is filled in but the state is 'proposed'; set it to 'reviewed' or 'edited'");
                case ReviewState.Reviewed or ReviewState.Edited when by.Length == 0:
                    throw Col("reviewed_by").Error(File, $"a {QuestionnaireNames.States.Name(state)} answer needs the reviewer's name");
                case ReviewState.Reviewed or ReviewState.Edited when at is null:
                    throw Col("reviewed_at").Error(File, $"a {QuestionnaireNames.States.Name(state)} answer needs the review time (ISO 8601, e.g. 2026-12-01T14:30:00Z)");
                case ReviewState.Reviewed when final is not null && final != proposed:
                    throw Col("answer").Error(File, $"the answer differs from the proposed '{QuestionnaireNames.Answers.Name(proposed)}'; set the state to 'edited'");
                case ReviewState.Edited when final is null:
                    throw Col("answer").Error(File, "an edited answer needs the answer");
            }
            if (state == ReviewState.Reviewed) final = proposed;
            answers[id.Text] = new QuestionAnswer(q.Section.Id, q.Question.Id, q.Question.Text, q.Question.MapsTo, proposed, confidence,
                Statuses(Col("statuses")), Split(Col("evidence").Text, ';'), Col("rationale").Text, state, final,
                by.Length == 0 ? null : by, at, Col("comment").Text.Length == 0 ? null : Col("comment").Text);
        }
        var missing = questions.Keys.Where(k => !answers.ContainsKey(k)).ToArray();
        if (missing.Length > 0) throw new BadInputException($"questions missing from the file: {string.Join(", ", missing)}", File);

        SignOff? signOff = null;
        var signedBy = meta.GetValueOrDefault("signed_off_by");
        var signedAt = meta.GetValueOrDefault("signed_off_at");
        if (signedBy is { Text.Length: > 0 } || signedAt is { Text.Length: > 0 })
        {
            if (signedBy is not { Text.Length: > 0 }) throw signedAt!.Error(File, "a sign-off time without 'signed_off_by'");
            if (signedAt is not { Text.Length: > 0 }) throw signedBy.Error(File, "a sign-off without 'signed_off_at'");
            var pending = answers.Values.FirstOrDefault(a => a.State == ReviewState.Proposed);
            if (pending is not null) throw signedBy.Error(File, $"signed off, but question '{pending.QuestionId}' was not reviewed");
            signOff = new SignOff(signedBy.Text, ParseTime(signedAt));
        }
        var attested = meta.GetValueOrDefault("attested");
        return new QuestionnaireResponse
        {
            TemplateId = t.Id,
            TemplateVersion = t.Version,
            Title = t.Title,
            Organization = Need("organization").Text,
            AssessedOn = meta.GetValueOrDefault("assessed_on") is { Text.Length: > 0 } on ? ParseDate(on) : null,
            LetterId = meta.GetValueOrDefault("letter_id") is { Text.Length: > 0 } l ? l.Text : null,
            Attested = attested is { Text.Length: > 0 } && (attested.Text == "true" || (attested.Text == "false" ? false : throw attested.Error(File, "expected true or false"))),
            GeneratedOn = ParseDate(Need("generated_on")),
            Answers = t.Questions.Select(q => answers[q.Question.Id]).ToArray(),
            SignOff = signOff,
        };
    }

    private T Parse<T>(TableCell cell, WireNames<T> names, string what) where T : struct, Enum =>
        names.TryParse(cell.Text, out var value) ? value : throw cell.Error(File, $"invalid {what} '{cell.Text}'; expected {names.Expected}");

    private DateOnly ParseDate(TableCell cell) =>
        DateOnly.TryParseExact(cell.Text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : throw cell.Error(File, $"expected a date written YYYY-MM-DD, found '{cell.Text}'");

    private DateTimeOffset ParseTime(TableCell cell) =>
        DateTimeOffset.TryParse(cell.Text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) && cell.Text.Length >= 10
            ? t.ToUniversalTime()
            : throw cell.Error(File, $"expected a time in ISO 8601 (2026-12-01T14:30:00Z), found '{cell.Text}'");

    private Dictionary<string, string> Statuses(TableCell cell)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in Split(cell.Text, ';'))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !Assessments.StatusNames.TryParse(part[(eq + 1)..], out _)) throw cell.Error(File, $"expected 'id=status' pairs separated by ';', found '{part}'");
            result[part[..eq]] = part[(eq + 1)..];
        }
        return result;
    }

    private static int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++) if (Columns[i] == column) return i;
        throw new ArgumentException(column);
    }

    private static string[] Split(string text, char separator) => text.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Date(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    private static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

/// <summary>One cell's text and where it is (<c>Questionnaire!J12</c> or <c>row 12, column 10</c>; line = row or file line).</summary>
public sealed record TableCell(string Text, string Where, long Line)
{
    public BadInputException Error(string file, string message) => new(message, file, Where, Line);
}
