using System.Text.Json;

namespace Custodes.Watch.Formats;

/// <summary><c>jsonl</c>: JSON Lines (or a JSON array) of objects, fields found by common names or <c>--map</c>.</summary>
public sealed class JsonLinesFormat : IEventFormat
{
    public string Name => "jsonl";
    public string Description => "JSON Lines (or a JSON array) of objects; fields by common names or --map field=path (dotted paths allowed).";
    public IReadOnlyCollection<string> WrapperProperties => ["events", "records", "items"];
    public RecordFraming DetectFraming(ReadOnlySpan<byte> head) => Sniff.JsonOrElse(head, csvElse: false);

    public IRecordParser CreateParser(FormatContext context) => new Parser(context);

    private sealed class Parser(FormatContext context) : IRecordParser
    {
        private readonly RowMapper _mapper = new(context);

        public void Parse(ReadOnlySpan<byte> record, RecordSink sink)
        {
            using var document = JsonDocument.Parse(record.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new RecordRejectedException("expected a JSON object");
            sink.Add(_mapper.Map(new JsonRow(document.RootElement), "jsonl", context.Options.TimeZone));
        }
    }
}
