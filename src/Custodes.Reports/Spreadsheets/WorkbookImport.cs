using System.Globalization;
using ClosedXML.Excel;
using Custodes.Assessments;
using Custodes.Catalogs;
using Custodes.Common;

namespace Custodes.Reports.Spreadsheets;

/// <summary>Reads an assessment workbook written by <see cref="AssessmentWorkbook"/> back into an assessment, strictly: the first problem names sheet, cell and row, and nothing is returned.</summary>
public static class WorkbookImport
{
    public const long MaxBytes = 32 * 1024 * 1024;

    public static Assessment Read(byte[] bytes, string file)
    {
        XlsxLimits.Check(bytes, file);
        XLWorkbook wb;
        try
        {
            wb = new XLWorkbook(new MemoryStream(bytes, writable: false));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new BadInputException($"not an XLSX workbook ({e.GetType().Name}: {e.Message})", file, inner: e);
        }
        using (wb) return new Reader(wb, file).Read();
    }

    private sealed class Reader(XLWorkbook wb, string file)
    {
        private readonly Dictionary<string, int> _requirementRows = new(StringComparer.Ordinal);

        public Assessment Read()
        {
            var summary = Sheet(AssessmentWorkbook.SummarySheet);
            var fields = ReadSummary(summary);
            var catalog = CatalogSet.Find(fields["Framework"].Text ?? "")
                ?? throw Bad(summary, fields["Framework"].Row, 2, $"unknown framework '{fields["Framework"].Text}'; expected one of {string.Join(", ", Frameworks.All)}");
            var organization = fields["Organization"].Text ?? throw Bad(summary, fields["Organization"].Row, 2, "the organization is required");
            var sspRow = fields["SSP"];
            bool? ssp = sspRow.Text switch
            {
                null => null,
                "yes" or "true" => true,
                "no" or "false" => false,
                var other => throw Bad(summary, sspRow.Row, 2, $"invalid SSP value '{other}'; expected yes, no or empty"),
            };
            var assessment = new Assessment
            {
                Framework = catalog.Framework,
                Organization = organization,
                Scope = fields["Scope"].Text,
                AssessedOn = DateOf(summary.Cell(fields["Assessed on"].Row, 2)),
                Assessor = fields["Assessor"].Text,
                Ssp = ssp,
                System = fields["System description"].Text,
                Requirements = ReadRequirements(catalog),
                Objectives = ReadObjectives(catalog),
                Poam = ReadPoam(catalog),
            };
            var requirements = Sheet(AssessmentWorkbook.RequirementsSheet);
            Resolution.Resolve(assessment, (id, message) =>
                throw (_requirementRows.TryGetValue(id, out var row) ? Bad(requirements, row, 6, message) : new BadInputException(message, file, AssessmentWorkbook.RequirementsSheet)));
            return assessment;
        }

        private Dictionary<string, (int Row, string? Text)> ReadSummary(IXLWorksheet ws)
        {
            CheckHeader(ws, ["Field", "Value"]);
            var found = new Dictionary<string, (int, string?)>(StringComparer.Ordinal);
            for (var row = 2; ; row++)
            {
                var label = TextOf(ws.Cell(row, 1));
                if (label is null) break;
                if (Array.IndexOf(AssessmentWorkbook.SummaryFields, label) < 0)
                    throw Bad(ws, row, 1, $"unknown field '{label}'; expected one of: {string.Join(", ", AssessmentWorkbook.SummaryFields)}");
                if (!found.TryAdd(label, (row, label == "Assessed on" ? null : TextOf(ws.Cell(row, 2)))))
                    throw Bad(ws, row, 1, $"field '{label}' is given twice");
            }
            foreach (var field in AssessmentWorkbook.SummaryFields)
                if (!found.ContainsKey(field)) throw new BadInputException($"missing field '{field}' in column A", file, $"{ws.Name}!A:A");
            var (formatRow, format) = found["Format"];
            if (format != AssessmentWorkbook.Format)
                throw Bad(ws, formatRow, 2, $"unsupported workbook format '{format}'; expected '{AssessmentWorkbook.Format}' (a workbook written by 'custodes report xlsx')");
            return found;
        }

        private Dictionary<string, Finding> ReadRequirements(Catalog catalog)
        {
            var ws = Sheet(AssessmentWorkbook.RequirementsSheet);
            CheckHeader(ws, AssessmentWorkbook.RequirementColumns);
            var found = new Dictionary<string, Finding>(StringComparer.Ordinal);
            foreach (var row in DataRows(ws))
            {
                var idText = TextOf(ws.Cell(row, 1));
                var finding = ReadFinding(ws, row, statusColumn: 6, partialColumn: 7, noteColumn: 8, evidenceColumn: 9, methodsColumn: 10, what: idText);
                if (idText is null)
                {
                    if (finding is null) continue;
                    throw Bad(ws, row, 1, "the requirement id is empty");
                }
                var requirement = catalog.Find(idText) ?? throw Bad(ws, row, 1, $"unknown requirement '{idText}' in {catalog.Framework}");
                if (!_requirementRows.TryAdd(requirement.Id, row)) throw Bad(ws, row, 1, $"requirement {requirement.Id} is listed twice");
                if (finding is null) continue;
                if (finding.Partial is { } partial && requirement.PartialCredit?.Value != partial)
                    throw Bad(ws, row, 7, requirement.PartialCredit is { } rule
                        ? $"'{partial}' is not a partial value of {requirement.Id}; expected '{rule.Value}'"
                        : $"'partial' is allowed only on 3.5.3 and 3.13.11, not on {requirement.Id}");
                found[requirement.Id] = finding;
            }
            return found;
        }

        private Dictionary<string, Finding> ReadObjectives(Catalog catalog)
        {
            var ws = Sheet(AssessmentWorkbook.ObjectivesSheet);
            CheckHeader(ws, AssessmentWorkbook.ObjectiveColumns);
            var found = new Dictionary<string, Finding>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in DataRows(ws))
            {
                var idText = TextOf(ws.Cell(row, 1));
                var finding = ReadFinding(ws, row, statusColumn: 4, partialColumn: null, noteColumn: 5, evidenceColumn: 6, methodsColumn: 7, what: idText);
                if (idText is null)
                {
                    if (finding is null) continue;
                    throw Bad(ws, row, 1, "the objective id is empty");
                }
                var objective = catalog.FindObjective(idText) ?? throw Bad(ws, row, 1, $"unknown objective '{idText}' in {catalog.Framework}");
                if (!seen.Add(objective.Id)) throw Bad(ws, row, 1, $"objective {objective.Id} is listed twice");
                if (finding is null) continue;
                found[objective.Id] = finding;
                _requirementRows.TryAdd(objective.RequirementId, row);
            }
            return found;
        }

        private List<PoamItem> ReadPoam(Catalog catalog)
        {
            var ws = Sheet(AssessmentWorkbook.PoamSheet);
            CheckHeader(ws, AssessmentWorkbook.PoamColumns);
            var items = new List<PoamItem>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in DataRows(ws))
            {
                var idText = TextOf(ws.Cell(row, 1));
                var editable = new[] { 2, 3, 4, 5, 6, 7 }.Any(c => !ws.Cell(row, c).IsEmpty());
                if (idText is null)
                {
                    if (!editable) continue;
                    throw Bad(ws, row, 1, "the requirement id is empty");
                }
                var requirement = catalog.Find(idText) ?? throw Bad(ws, row, 1, $"unknown requirement '{idText}' in {catalog.Framework}");
                if (!seen.Add(requirement.Id)) throw Bad(ws, row, 1, $"requirement {requirement.Id} has more than one POA&M item");
                var status = TextOf(ws.Cell(row, 4)) switch
                {
                    null or "open" => PoamStatus.Open,
                    "in-progress" => PoamStatus.InProgress,
                    "closed" => PoamStatus.Closed,
                    var other => throw Bad(ws, row, 4, $"invalid POA&M status '{other}'; expected open, in-progress or closed"),
                };
                var item = new PoamItem
                {
                    Id = requirement.Id,
                    PlannedCompletion = DateOf(ws.Cell(row, 2)),
                    Milestones = TextOf(ws.Cell(row, 3)),
                    Status = status,
                    CompletedOn = DateOf(ws.Cell(row, 5)),
                    Owner = TextOf(ws.Cell(row, 6)),
                    Note = TextOf(ws.Cell(row, 7)),
                };
                // The workbook lists every unmet requirement; a row with nothing but its id and "open" is one without a written plan.
                if (item == new PoamItem { Id = requirement.Id }) continue;
                items.Add(item);
            }
            return items;
        }

        private Finding? ReadFinding(IXLWorksheet ws, int row, int statusColumn, int? partialColumn, int noteColumn, int evidenceColumn, int methodsColumn, string? what)
        {
            var statusText = TextOf(ws.Cell(row, statusColumn));
            var partial = partialColumn is { } pc ? TextOf(ws.Cell(row, pc)) : null;
            var note = TextOf(ws.Cell(row, noteColumn));
            var evidenceText = TextOf(ws.Cell(row, evidenceColumn));
            var methodsText = TextOf(ws.Cell(row, methodsColumn));
            if (statusText is null)
            {
                if (partial is null && note is null && evidenceText is null && methodsText is null) return null;
                throw Bad(ws, row, statusColumn, $"{what ?? "this row"} has a note, evidence, methods or partial value but no status; expected one of {string.Join(", ", StatusNames.All)}");
            }
            if (!StatusNames.TryParse(statusText, out var status))
                throw Bad(ws, row, statusColumn, $"invalid status '{statusText}'; expected one of {string.Join(", ", StatusNames.All)}");
            var evidence = (evidenceText ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var e in evidence)
                if (e.StartsWith(EvidenceReference.Prefix, StringComparison.Ordinal) && !EvidenceReference.IsSha256(e))
                    throw Bad(ws, row, evidenceColumn, $"'{e}' is not a SHA-256 evidence reference; expected sha256: followed by 64 lowercase hex digits");
            var methods = new List<AssessmentMethod>();
            foreach (var m in (methodsText ?? "").Split([',', ';', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries))
                methods.Add(m.ToLowerInvariant() switch
                {
                    "examine" => AssessmentMethod.Examine,
                    "interview" => AssessmentMethod.Interview,
                    "test" => AssessmentMethod.Test,
                    _ => throw Bad(ws, row, methodsColumn, $"invalid assessment method '{m}'; expected examine, interview or test, separated by commas"),
                });
            return new Finding { Status = status, Partial = partial, Note = note, Evidence = evidence, Methods = methods.Distinct().ToArray() };
        }

        private IXLWorksheet Sheet(string name) =>
            wb.TryGetWorksheet(name, out var ws) ? ws
                : throw new BadInputException($"missing sheet '{name}'; a Custodes workbook has the sheets {string.Join(", ", AssessmentWorkbook.SummarySheet, AssessmentWorkbook.RequirementsSheet, AssessmentWorkbook.ObjectivesSheet, AssessmentWorkbook.EvidenceSheet, AssessmentWorkbook.PoamSheet)}", file, name);

        private void CheckHeader(IXLWorksheet ws, string[] columns)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                var text = TextOf(ws.Cell(1, c + 1));
                if (text != columns[c])
                    throw Bad(ws, 1, c + 1, $"expected column '{columns[c]}', found {(text is null ? "an empty cell" : $"'{text}'")}; do not rename, move or delete columns");
            }
        }

        private static IEnumerable<int> DataRows(IXLWorksheet ws)
        {
            var last = ws.LastRowUsed()?.RowNumber() ?? 1;
            for (var row = 2; row <= last; row++) yield return row;
        }

        private static string? TextOf(IXLCell cell)
        {
            if (cell.IsEmpty()) return null;
            var text = cell.DataType switch
            {
                XLDataType.Number => cell.GetDouble().ToString(CultureInfo.InvariantCulture),
                XLDataType.DateTime => cell.GetDateTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                _ => cell.GetString(),
            };
            text = text.ReplaceLineEndings("\n").Trim();
            return text.Length == 0 ? null : text;
        }

        private DateOnly? DateOf(IXLCell cell)
        {
            if (cell.IsEmpty()) return null;
            if (cell.DataType == XLDataType.DateTime) return DateOnly.FromDateTime(cell.GetDateTime());
            var text = TextOf(cell);
            if (text is null) return null;
            return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date
                : throw Bad(cell.Worksheet, cell.Address.RowNumber, cell.Address.ColumnNumber, $"expected a date written YYYY-MM-DD, found '{text}'");
        }

        private BadInputException Bad(IXLWorksheet ws, int row, int column, string message) =>
            new($"{ws.Name} sheet, row {row}: {message}", file, $"{ws.Name}!{XLHelper.GetColumnLetterFromNumber(column)}{row}", row);
    }
}
