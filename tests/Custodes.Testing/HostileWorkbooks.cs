using System.IO.Compression;
using System.Text;

namespace Custodes.Testing;

/// <summary>XLSX packages built by hand to attack a workbook reader: small on disk, huge once loaded. Written part by part, so making
/// one costs little memory even when it names millions of cells.</summary>
public static class HostileWorkbooks
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// <summary>One sheet named <paramref name="sheet"/> with <paramref name="rows"/> rows of <paramref name="columns"/> numeric cells.</summary>
    /// <remarks>Cells without a reference (it is optional), each holding its row number: repetitive enough that two million cells zip
    /// to about half a megabyte, as in the security report, yet under the 100:1 ratio that marks a zip bomb.</remarks>
    public static byte[] Cells(int rows, int columns, string sheet = "Requirements") =>
        Package(sheet, w =>
        {
            for (var r = 1; r <= rows; r++) w.Write($"<row r=\"{r}\">{string.Concat(Enumerable.Repeat($"<c><v>{r}</v></c>", columns))}</row>");
        });

    /// <summary>One cell at the given reference (<c>A1048576</c>, <c>XFD1</c>): a workbook reader that walks up to the last used cell walks far.</summary>
    public static byte[] CellAt(int row, string column, string sheet = "Requirements") =>
        Package(sheet, w => w.Write($"<row r=\"{row}\"><c r=\"{column}{row}\"><v>1</v></c></row>"));

    /// <summary>A sheet part padded with <paramref name="megabytes"/> MB of spaces: a zip bomb, a thousand to one.</summary>
    public static byte[] Bomb(int megabytes) =>
        Package("Requirements", w =>
        {
            var spaces = new string(' ', 1024 * 1024);
            for (var i = 0; i < megabytes; i++) w.Write(spaces);
        }, CompressionLevel.Optimal);

    /// <summary>A workbook with <paramref name="count"/> parts.</summary>
    public static byte[] Parts(int count)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            WriteSkeleton(zip, "Requirements", _ => { });
            for (var i = 0; i < count; i++)
                using (var w = new StreamWriter(zip.CreateEntry($"customXml/item{i}.xml").Open())) w.Write("<x/>");
        }
        return buffer.ToArray();
    }

    /// <summary>A workbook whose shared strings table holds <paramref name="count"/> strings.</summary>
    public static byte[] SharedStrings(int count)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            WriteSkeleton(zip, "Requirements", w => w.Write("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"));
            using var s = new StreamWriter(zip.CreateEntry("xl/sharedStrings.xml").Open());
            s.Write($"<sst xmlns=\"{Main}\" count=\"{count}\" uniqueCount=\"{count}\">");
            for (var i = 0; i < count; i++) s.Write($"<si><t>{i}</t></si>");
            s.Write("</sst>");
        }
        return buffer.ToArray();
    }

    /// <summary>Changes the inflated size the zip directory declares for a part, so that the part inflates to more than it says.</summary>
    public static byte[] UnderstateSize(byte[] package, string part, uint declared)
    {
        var bytes = (byte[])package.Clone();
        var name = Encoding.ASCII.GetBytes(part);
        // Central directory headers (PK\x01\x02): the uncompressed size is at offset 24, the name length at 28 and the name at 46.
        for (var i = 0; i + 46 + name.Length <= bytes.Length; i++)
        {
            if (bytes[i] != 0x50 || bytes[i + 1] != 0x4B || bytes[i + 2] != 0x01 || bytes[i + 3] != 0x02) continue;
            var nameLength = BitConverter.ToUInt16(bytes, i + 28);
            if (nameLength != name.Length || !bytes.AsSpan(i + 46, nameLength).SequenceEqual(name)) continue;
            BitConverter.GetBytes(declared).CopyTo(bytes, i + 24);
            return bytes;
        }
        throw new InvalidOperationException($"no part {part} in the package");
    }

    private static byte[] Package(string sheet, Action<TextWriter> rows, CompressionLevel level = CompressionLevel.Fastest)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true)) WriteSkeleton(zip, sheet, rows, level);
        return buffer.ToArray();
    }

    private static void WriteSkeleton(ZipArchive zip, string sheet, Action<TextWriter> rows, CompressionLevel level = CompressionLevel.Fastest)
    {
        void Part(string path, string text)
        {
            using var w = new StreamWriter(zip.CreateEntry(path).Open());
            w.Write(text);
        }
        Part("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" +
            "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>" +
            "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>" +
            "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>");
        Part("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
            "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
        Part("xl/workbook.xml", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"{Main}\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">" +
            $"<sheets><sheet name=\"{sheet}\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
        Part("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
            "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>");
        using var w = new StreamWriter(zip.CreateEntry("xl/worksheets/sheet1.xml", level).Open());
        w.Write($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"{Main}\"><sheetData>");
        rows(w);
        w.Write("</sheetData></worksheet>");
    }
}
