using ClosedXML.Excel;
using Custodes.Common;

namespace Custodes.SupplyChain.Questionnaires;

/// <summary>Writes a questionnaire to an XLSX workbook (sheets "Questionnaire" and "About") and reads a filled one back.</summary>
/// <remarks>Every value is written as text (ClosedXML would otherwise turn "3.1.1" into a date); on reading, a date a person typed is accepted.</remarks>
public static class QuestionnaireXlsx
{
    public const string Sheet = "Questionnaire";
    public const string AboutSheet = "About";

    public static byte[] Write(QuestionnaireResponse response)
    {
        var (meta, rows) = QuestionnaireTable.From(response);
        using var workbook = new XLWorkbook();
        var sheet = workbook.Worksheets.Add(Sheet);
        for (var r = 0; r < rows.Length; r++)
            for (var c = 0; c < rows[r].Length; c++)
                sheet.Cell(r + 1, c + 1).SetValue(rows[r][c]);
        sheet.Row(1).Style.Font.Bold = true;
        sheet.SheetView.FreezeRows(1);
        double[] widths = [16, 24, 60, 18, 10, 12, 30, 30, 40, 10, 10, 18, 22, 40];
        for (var c = 0; c < widths.Length; c++) sheet.Column(c + 1).Width = widths[c];
        sheet.Column(3).Style.Alignment.WrapText = true;
        // The columns a reviewer fills in stand out.
        foreach (var name in QuestionnaireTable.EditableColumns)
            sheet.Column(QuestionnaireTable.Columns.ToList().IndexOf(name) + 1).Style.Fill.BackgroundColor = XLColor.LightYellow;
        var about = workbook.Worksheets.Add(AboutSheet);
        for (var r = 0; r < meta.Length; r++)
        {
            about.Cell(r + 1, 1).SetValue(meta[r][0]);
            about.Cell(r + 1, 2).SetValue(meta[r][1]);
        }
        about.Column(1).Width = 18;
        about.Column(2).Width = 60;
        using var buffer = new MemoryStream();
        workbook.SaveAs(buffer);
        return buffer.ToArray();
    }

    /// <summary>Largest questionnaire workbook read.</summary>
    public const long MaxBytes = 32L * 1024 * 1024;

    public static QuestionnaireTable Read(Stream stream, string file)
    {
        if (stream.CanSeek && stream.Length - stream.Position > MaxBytes)
            throw new BadInputException($"the file is {stream.Length - stream.Position:N0} bytes; a questionnaire workbook may be at most {MaxBytes:N0} bytes", file);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        if (buffer.Length > MaxBytes) throw new BadInputException($"the file is larger than {MaxBytes:N0} bytes, the most a questionnaire workbook may be", file);
        var bytes = buffer.ToArray();
        Reports.Spreadsheets.XlsxLimits.Check(bytes, file);
        XLWorkbook workbook;
        try
        {
            workbook = new XLWorkbook(new MemoryStream(bytes, writable: false));
        }
        catch (Exception e) when (e is not BadInputException and not OutOfMemoryException)
        {
            throw new BadInputException($"not a readable XLSX workbook ({e.GetType().Name}: {e.Message})", file, inner: e);
        }
        using (workbook)
        {
            if (!workbook.Worksheets.TryGetWorksheet(Sheet, out var sheet)) throw new BadInputException($"no sheet named '{Sheet}'", file);
            if (!workbook.Worksheets.TryGetWorksheet(AboutSheet, out var about)) throw new BadInputException($"no sheet named '{AboutSheet}'", file);
            return new QuestionnaireTable(file, Cells(about, 2), Cells(sheet, QuestionnaireTable.Columns.Count));
        }
    }

    private static List<TableCell[]> Cells(IXLWorksheet sheet, int columns)
    {
        var rows = new List<TableCell[]>();
        var last = sheet.LastRowUsed()?.RowNumber() ?? 0;
        var lastColumn = Math.Max(columns, sheet.LastColumnUsed()?.ColumnNumber() ?? 0);
        for (var r = 1; r <= last; r++)
        {
            var row = new TableCell[lastColumn];
            for (var c = 1; c <= lastColumn; c++)
            {
                var cell = sheet.Cell(r, c);
                var text = cell.DataType == XLDataType.DateTime
                    ? cell.GetDateTime().ToString(cell.GetDateTime().TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)
                    : cell.GetString().Trim();
                row[c - 1] = new TableCell(text, $"{sheet.Name}!{cell.Address}", r);
            }
            rows.Add(row);
        }
        return rows;
    }
}
