using System.IO.Compression;
using System.Xml;
using Custodes.Common;

namespace Custodes.Reports.Spreadsheets;

/// <summary>Checks an XLSX package against size limits before a workbook library loads it, reading the zip directory and streaming
/// each sheet's XML (nothing is loaded whole).</summary>
/// <remarks>A workbook library builds the whole workbook in memory: a 590 KB file of two million cells cost 13 s of CPU and 420 MB,
/// and a zip bomb would cost more. The workbooks Custodes reads (an assessment, a questionnaire) hold a few thousand cells, so the
/// limits leave wide room. Declared sizes are checked first; inflating is then bounded by them, so a part that lies about its size
/// is refused too.</remarks>
public static class XlsxLimits
{
    /// <summary>Most parts (files) in the package.</summary>
    public const int MaxParts = 1_000;

    /// <summary>Most bytes all parts inflate to, together.</summary>
    public const long MaxUncompressedBytes = 64L * 1024 * 1024;

    /// <summary>Highest ratio of inflated to compressed size of a part larger than <see cref="RatioCheckedFrom"/>.</summary>
    public const int MaxCompressionRatio = 100;

    /// <summary>Parts smaller than this inflated are not held to <see cref="MaxCompressionRatio"/> (tiny XML parts compress very well).</summary>
    public const long RatioCheckedFrom = 1024 * 1024;

    /// <summary>Highest row number a sheet may use.</summary>
    public const int MaxRows = 20_000;

    /// <summary>Highest column number a sheet may use (IV).</summary>
    public const int MaxColumns = 256;

    /// <summary>Most cells in all sheets together (and most shared strings).</summary>
    public const int MaxCells = 250_000;

    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// <summary>Throws <see cref="BadInputException"/> naming the limit a workbook breaks. A package that is not a zip, or a part that is not
    /// well-formed, is left to the workbook reader, which reports a damaged file its own way: this check is about size, not form.</summary>
    public static void Check(byte[] bytes, string file)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
        }
        catch (InvalidDataException)
        {
            return;
        }
        using (zip) Check(zip, file);
    }

    private static void Check(ZipArchive zip, string file)
    {
        if (zip.Entries.Count > MaxParts)
            throw new BadInputException($"the workbook has {zip.Entries.Count:N0} parts; a workbook may have at most {MaxParts:N0}", file);
        long total = 0;
        foreach (var entry in zip.Entries)
        {
            total += entry.Length;
            if (total > MaxUncompressedBytes)
                throw new BadInputException($"the workbook inflates to more than {MaxUncompressedBytes / (1024 * 1024)} MB (part {entry.FullName} alone is {entry.Length:N0} bytes); " +
                    $"a workbook may inflate to at most {MaxUncompressedBytes / (1024 * 1024)} MB", file, entry.FullName);
            if (entry.Length >= RatioCheckedFrom && entry.Length / Math.Max(entry.CompressedLength, 1) > MaxCompressionRatio)
                throw new BadInputException($"part {entry.FullName} inflates from {entry.CompressedLength:N0} to {entry.Length:N0} bytes, " +
                    $"more than {MaxCompressionRatio}:1; that is a zip bomb, not a workbook", file, entry.FullName);
        }

        var names = SheetNames(zip);
        var cells = 0L;
        foreach (var entry in zip.Entries)
        {
            if (entry.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal) && entry.FullName.EndsWith(".xml", StringComparison.Ordinal))
                cells = CountSheet(entry, names.GetValueOrDefault(entry.FullName, entry.FullName), cells, file);
            else if (entry.FullName == "xl/sharedStrings.xml")
                CountSharedStrings(entry, file);
        }
    }

    private static long CountSheet(ZipArchiveEntry entry, string sheet, long cells, string file)
    {
        try
        {
            using var reader = Open(entry, file);
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element || reader.NamespaceURI != Main) continue;
                if (reader.LocalName == "row" && reader.GetAttribute("r") is { } r && (!int.TryParse(r, out var row) || row > MaxRows))
                    throw new BadInputException($"{sheet} sheet uses row {r}; a sheet may use at most {MaxRows:N0} rows", file, $"{sheet}!{r}:{r}");
                if (reader.LocalName != "c") continue;
                if (++cells > MaxCells)
                    throw new BadInputException($"the workbook has more than {MaxCells:N0} cells (counted up to {sheet}{At(reader)}); a workbook may have at most {MaxCells:N0}", file, sheet);
                if (reader.GetAttribute("r") is { } reference && Column(reference) > MaxColumns)
                    throw new BadInputException($"{sheet} sheet uses cell {reference}, past column IV; a sheet may use at most {MaxColumns} columns", file, $"{sheet}!{reference}");
            }
        }
        catch (Exception e) when (e is XmlException or InvalidDataException)
        {
            // Damaged, not too large: the workbook reader says so.
        }
        return cells;
    }

    private static void CountSharedStrings(ZipArchiveEntry entry, string file)
    {
        var count = 0;
        try
        {
            using var reader = Open(entry, file);
            while (reader.Read())
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "si" && reader.NamespaceURI == Main && ++count > MaxCells)
                    throw new BadInputException($"the workbook holds more than {MaxCells:N0} shared strings; a workbook may have at most {MaxCells:N0} cells", file, entry.FullName);
        }
        catch (Exception e) when (e is XmlException or InvalidDataException)
        {
            // Damaged, not too large: the workbook reader says so.
        }
    }

    private static string At(XmlReader reader) => reader.GetAttribute("r") is { } r ? $"!{r}" : "";

    /// <summary>Sheet names by part path, from the workbook and its relationships, so that errors name the sheet a person sees.</summary>
    private static Dictionary<string, string> SheetNames(ZipArchive zip)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var workbook = zip.GetEntry("xl/workbook.xml");
        var rels = zip.GetEntry("xl/_rels/workbook.xml.rels");
        if (workbook is null || rels is null) return names;
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using (var reader = Open(rels, "xl/_rels/workbook.xml.rels"))
                while (reader.Read())
                    if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Relationship" && reader.GetAttribute("Id") is { } id && reader.GetAttribute("Target") is { } target)
                        targets[id] = target.StartsWith('/') ? target[1..] : "xl/" + target;
            using (var reader = Open(workbook, "xl/workbook.xml"))
                while (reader.Read())
                    if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "sheet" && reader.NamespaceURI == Main
                        && reader.GetAttribute("id", "http://schemas.openxmlformats.org/officeDocument/2006/relationships") is { } rid
                        && targets.TryGetValue(rid, out var part) && reader.GetAttribute("name") is { } name)
                        names[part] = name;
        }
        catch (Exception e) when (e is XmlException or InvalidDataException)
        {
            // Names only make messages clearer; the library reports a malformed workbook itself.
        }
        return names;
    }

    private static XmlReader Open(ZipArchiveEntry entry, string file)
    {
        return XmlReader.Create(new Bounded(entry.Open(), entry.Length, entry.FullName, file), new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = true, IgnoreComments = true, CloseInput = true,
        });
    }

    /// <summary>The column number of a cell reference such as <c>AB12</c> (0 when it has no letters).</summary>
    private static int Column(string reference)
    {
        var column = 0;
        foreach (var c in reference)
        {
            if (c is < 'A' or > 'Z') break;
            column = column * 26 + (c - 'A' + 1);
            if (column > MaxColumns) return column;
        }
        return column;
    }

    /// <summary>An inflating stream that refuses to give more bytes than the part declared.</summary>
    private sealed class Bounded(Stream inner, long declared, string part, string file) : Stream
    {
        private long _read;

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        private int Count(int n)
        {
            _read += n;
            if (_read > declared)
                throw new BadInputException($"part {part} inflates to more than the {declared:N0} bytes it declares; the workbook is damaged or hostile", file, part);
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
