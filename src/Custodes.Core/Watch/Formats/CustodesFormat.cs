using Custodes.Watch.Events;

namespace Custodes.Watch.Formats;

/// <summary><c>custodes</c>: <c>custodes.event/v1</c> NDJSON, one event per line (the default and the hot path).</summary>
public sealed class CustodesFormat : IEventFormat
{
    public string Name => "custodes";
    public string Description => "custodes.event/v1 NDJSON, one event per line (contracts §7).";
    public IReadOnlyCollection<string> WrapperProperties => [];
    public RecordFraming DetectFraming(ReadOnlySpan<byte> head) => RecordFraming.Lines;

    public IRecordParser CreateParser(FormatContext context) => new Parser(context);

    private sealed class Parser(FormatContext context) : IRecordParser
    {
        private readonly TimeZoneInfo? _zone = context.Options.TimeZone;
        private readonly List<Events.DetailEntry> _scratch = new(8);

        public void Parse(ReadOnlySpan<byte> record, RecordSink sink) => sink.Add(EventJson.Parse(record, _zone, context.Pool, _scratch));
    }
}
