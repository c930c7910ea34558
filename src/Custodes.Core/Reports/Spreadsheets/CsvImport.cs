using System.Globalization;
using Custodes.Assessments;
using Custodes.Catalogs;
using Custodes.Common;
using Custodes.SupplyChain.Questionnaires;

namespace Custodes.Reports.Spreadsheets;

/// <summary>Applies a requirements or objectives CSV written by <see cref="AssessmentCsv"/> (and edited offline) to the assessment it came from.</summary>
/// <remarks>
/// A CSV holds determinations, not a whole assessment, so it changes one: each listed requirement (or objective) gets the row's recorded
/// status, partial value, note, evidence and methods; a requirement row's <c>poam_planned_completion</c> sets the planned completion of its
/// POA&amp;M item (adding an open item when there is none). Computed columns are ignored. Strict and all-or-nothing: a renamed or moved column,
/// another framework, an unknown or repeated id, a bad status, method or date is a <see cref="BadInputException"/> naming row and column.
/// </remarks>
public static class CsvImport
{
    public const long MaxBytes = 8 * 1024 * 1024;

    public static Assessment Apply(Assessment existing, ReadOnlySpan<byte> bytes, string file)
    {
        if (bytes.Length > MaxBytes) throw new BadInputException($"the file is {bytes.Length:N0} bytes; a CSV may be at most {MaxBytes:N0} bytes", file);
        var table = QuestionnaireCsv.Read(bytes, file);
        if (table.Meta.Count > 0) throw table.Meta[0][0].Error(file, "expected the header row of a Custodes requirements or objectives CSV, found a '#' line");
        if (table.Rows.Count == 0) throw new BadInputException("the file is empty; expected a header row and one row per requirement or objective", file, "row 1", 1);
        var header = table.Rows[0];
        var catalog = CatalogSet.Get(existing.Framework);
        var objectives = header.Length > 2 && header[2].Text == AssessmentCsv.ObjectiveColumns[2];
        var columns = objectives ? AssessmentCsv.ObjectiveColumns : AssessmentCsv.RequirementColumns;
        var width = CheckHeader(header, columns, objectives ? [] : AssessmentCsv.RequirementPoamColumns, file);
        var reader = new Rows(table, columns, width, file, catalog);
        var updated = objectives ? reader.ApplyObjectives(existing) : reader.ApplyRequirements(existing);
        Resolution.Resolve(updated, (id, message) =>
            throw (reader.RowOf(id) is { } cell ? cell.Error(file, message) : new BadInputException(message, file)));
        return updated;
    }

    /// <summary>Checks the header and returns how many columns a row may fill.</summary>
    private static int CheckHeader(TableCell[] header, string[] columns, string[] readOnly, string file)
    {
        // The POA&M columns that follow are computed from the statuses on export; reading a file back ignores them.
        var known = columns.Length;
        for (var c = 0; c < readOnly.Length && columns.Length + c < header.Length && header[columns.Length + c].Text == readOnly[c]; c++) known++;
        for (var c = 0; c < columns.Length; c++)
        {
            var found = c < header.Length ? header[c].Text : null;
            if (found != columns[c])
                throw new BadInputException($"expected column '{columns[c]}', found {(string.IsNullOrEmpty(found) ? "nothing" : $"'{found}'")}; do not rename, move or delete columns (a Custodes CSV starts {string.Join(",", columns.Take(3))},…)",
                    file, $"row 1, column {c + 1}", 1);
        }
        if (header.Length > known && header.Skip(known).Any(h => h.Text.Length > 0))
            throw new BadInputException($"unexpected column '{header[known].Text}' after '{header[known - 1].Text}'", file, $"row 1, column {known + 1}", 1);
        return known;
    }

    private sealed class Rows(QuestionnaireTable table, string[] columns, int width, string file, Catalog catalog)
    {
        private readonly Dictionary<string, TableCell> _statusCells = new(StringComparer.Ordinal);

        public TableCell? RowOf(string id) => _statusCells.GetValueOrDefault(id);

        public Assessment ApplyRequirements(Assessment existing)
        {
            var requirements = new Dictionary<string, Finding>(existing.Requirements, StringComparer.Ordinal);
            var poam = existing.Poam.ToList();
            foreach (var row in DataRows())
            {
                var requirement = catalog.Find(Cell(row, "id").Text) ?? throw Cell(row, "id").Error(file, $"unknown requirement '{Cell(row, "id").Text}' in {catalog.Framework}");
                if (!_statusCells.TryAdd(requirement.Id, Cell(row, "recorded_status"))) throw Cell(row, "id").Error(file, $"requirement {requirement.Id} is listed twice");
                var finding = ReadFinding(row, "recorded_status", "partial");
                if (finding?.Partial is { } partial && requirement.PartialCredit?.Value != partial)
                    throw Cell(row, "partial").Error(file, requirement.PartialCredit is { } rule
                        ? $"'{partial}' is not a partial value of {requirement.Id}; expected '{rule.Value}'"
                        : $"'partial' is allowed only on 3.5.3 and 3.13.11, not on {requirement.Id}");
                if (finding is null) requirements.Remove(requirement.Id);
                else requirements[requirement.Id] = finding;
                var planned = Date(Cell(row, "poam_planned_completion"));
                var index = poam.FindIndex(p => p.Id == requirement.Id);
                if (index >= 0) poam[index] = poam[index] with { PlannedCompletion = planned };
                else if (planned is not null) poam.Add(new PoamItem { Id = requirement.Id, PlannedCompletion = planned });
            }
            return existing with { Requirements = requirements, Poam = poam };
        }

        public Assessment ApplyObjectives(Assessment existing)
        {
            var objectives = new Dictionary<string, Finding>(existing.Objectives, StringComparer.Ordinal);
            foreach (var row in DataRows())
            {
                var objective = catalog.FindObjective(Cell(row, "id").Text) ?? throw Cell(row, "id").Error(file, $"unknown objective '{Cell(row, "id").Text}' in {catalog.Framework}");
                if (Cell(row, "requirement_id").Text != objective.RequirementId)
                    throw Cell(row, "requirement_id").Error(file, $"objective {objective.Id} belongs to requirement {objective.RequirementId}, not '{Cell(row, "requirement_id").Text}'");
                if (!_statusCells.TryAdd(objective.Id, Cell(row, "status"))) throw Cell(row, "id").Error(file, $"objective {objective.Id} is listed twice");
                // An objective's status "unassessed" with nothing else is how the export writes an objective without a determination.
                var finding = ReadFinding(row, "status", null);
                if (finding is null || (finding.Status == Status.Unassessed && finding.IsBare)) objectives.Remove(objective.Id);
                else objectives[objective.Id] = finding;
                _statusCells.TryAdd(objective.RequirementId, Cell(row, "status"));
            }
            return existing with { Objectives = objectives };
        }

        private IEnumerable<TableCell[]> DataRows()
        {
            foreach (var row in table.Rows.Skip(1))
            {
                if (row.All(c => c.Text.Length == 0)) continue;
                if (row.Length > width && row.Skip(width).Any(c => c.Text.Length > 0))
                    throw row[width].Error(file, $"this row has {row.Length} fields; the header has {width}");
                var framework = Cell(row, "framework");
                if (framework.Text != catalog.Framework)
                    throw framework.Error(file, $"this row is for framework '{framework.Text}'; the assessment is {catalog.Framework}");
                yield return row;
            }
        }

        private TableCell Cell(TableCell[] row, string column)
        {
            var c = Array.IndexOf(columns, column);
            return c < row.Length ? Undefused(row[c]) : new TableCell("", $"{row[0].Where.Split(',')[0]}, column {column}", row[0].Line);
        }

        // The export prefixes a quote to text starting with = + - @ (CSV injection); reading back removes it.
        private static TableCell Undefused(TableCell cell) =>
            cell.Text.Length > 1 && cell.Text[0] == '\'' && cell.Text[1] is '=' or '+' or '-' or '@' ? cell with { Text = cell.Text[1..] } : cell;

        private Finding? ReadFinding(TableCell[] row, string statusColumn, string? partialColumn)
        {
            var statusCell = Cell(row, statusColumn);
            var partial = partialColumn is null ? null : Text(Cell(row, partialColumn));
            var note = Text(Cell(row, "note"));
            var evidenceText = Text(Cell(row, "evidence"));
            var methodsText = Text(Cell(row, "methods"));
            if (statusCell.Text.Length == 0)
            {
                if (partial is null && note is null && evidenceText is null && methodsText is null) return null;
                throw statusCell.Error(file, $"this row has a note, evidence, methods or partial value but no status; expected one of {string.Join(", ", StatusNames.All)}");
            }
            if (!StatusNames.TryParse(statusCell.Text, out var status))
                throw statusCell.Error(file, $"invalid status '{statusCell.Text}'; expected one of {string.Join(", ", StatusNames.All)}");
            var evidence = (evidenceText ?? "").Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var e in evidence)
                if (e.StartsWith(EvidenceReference.Prefix, StringComparison.Ordinal) && !EvidenceReference.IsSha256(e))
                    throw Cell(row, "evidence").Error(file, $"'{e}' is not a SHA-256 evidence reference; expected sha256: followed by 64 lowercase hex digits");
            var methods = new List<AssessmentMethod>();
            foreach (var m in (methodsText ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries))
                methods.Add(m.ToLowerInvariant() switch
                {
                    "examine" => AssessmentMethod.Examine,
                    "interview" => AssessmentMethod.Interview,
                    "test" => AssessmentMethod.Test,
                    _ => throw Cell(row, "methods").Error(file, $"invalid assessment method '{m}'; expected examine, interview or test, separated by spaces"),
                });
            return new Finding { Status = status, Partial = partial, Note = note, Evidence = evidence, Methods = methods.Distinct().ToArray() };
        }

        private static string? Text(TableCell cell) => cell.Text.Length == 0 ? null : cell.Text;

        private DateOnly? Date(TableCell cell) =>
            cell.Text.Length == 0 ? null
            : DateOnly.TryParseExact(cell.Text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
            : throw cell.Error(file, $"expected a date written YYYY-MM-DD, found '{cell.Text}'");
    }
}
