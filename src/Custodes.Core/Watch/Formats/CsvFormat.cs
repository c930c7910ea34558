namespace Custodes.Watch.Formats;

/// <summary><c>csv</c>: a header row, then one event per row, columns found by common names or <c>--map</c>.</summary>
public sealed class CsvFormat : IEventFormat
{
    public string Name => "csv";
    public string Description => "CSV with a header row; columns by common names (time, tenant, actor, action, …) or --map field=column.";
    public IReadOnlyCollection<string> WrapperProperties => [];
    public RecordFraming DetectFraming(ReadOnlySpan<byte> head) => RecordFraming.CsvRows;

    public IRecordParser CreateParser(FormatContext context) => new Parser(context);

    private sealed class Parser(FormatContext context) : IRecordParser
    {
        private readonly CsvRowReader _rows = new();
        private readonly RowMapper _mapper = new(context);

        public void Parse(ReadOnlySpan<byte> record, RecordSink sink)
        {
            if (_rows.Read(record) is { } row) sink.Add(_mapper.Map(row, "csv", context.Options.TimeZone));
            else CheckHeader();
        }

        private void CheckHeader()
        {
            var header = new FlatRow();
            foreach (var h in _rows.Header!) header.Add(h, "x");
            foreach (var field in (string[])["time", "action"])
            {
                var names = context.Options.FieldMap.TryGetValue(field, out var m) ? [m] : RowMapper.Alternates[field];
                if (header.FirstName(names) is null)
                    throw new Common.BadInputException(
                        $"the CSV header has no {field} column (looked for {string.Join(", ", names)}); name one with --map {field}=<column>",
                        context.File, line: 1);
            }
        }
    }
}
