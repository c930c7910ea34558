using System.Text;
using BenchmarkDotNet.Attributes;
using Custodes.Watch.Detection;
using Custodes.Watch.Events;
using Custodes.Watch.Formats;
using Custodes.Watch.Simulation;

namespace Custodes.Bench;

/// <summary>Watch throughput on one core: NDJSON parse + normalize (baseline), detection alone, and both, over a buffer of
/// simulated events. Times are per event (OperationsPerInvoke), so events/s = 1e9 / Mean(ns).</summary>
[ShortRunJob]
[MemoryDiagnoser]
public class WatchBenchmarks
{
    private const int Count = 200_000;

    private byte[] _ndjson = [];
    private WatchEvent[] _events = [];
    private WatchSettings _settings = WatchSettings.Default;

    [GlobalSetup]
    public void Setup()
    {
        var options = new SimulationOptions { Msps = 20, Tenants = 40, Days = 60, Seed = 1 };
        _settings = SimulatedSettings.For(options);
        _events = [.. new Simulator(options).Events().Take(Count)];
        if (_events.Length != Count) throw new InvalidOperationException($"simulated only {_events.Length} events");
        var sb = new StringBuilder();
        foreach (var e in _events) sb.Append(EventJson.Serialize(e)).Append('\n');
        _ndjson = Encoding.UTF8.GetBytes(sb.ToString());
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count)]
    public long Parse()
    {
        var reader = new EventReader(EventFormats.Get("custodes"), new ReadOptions(), new Quarantine());
        long n = 0;
        foreach (var _ in reader.Read(new MemoryStream(_ndjson, writable: false), "bench")) n++;
        return n;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public int Detect()
    {
        var engine = new DetectionEngine(_settings);
        var alerts = 0;
        foreach (var e in _events) alerts += engine.Process(e).Count;
        return alerts + engine.Flush().Count;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public int ParseAndDetect()
    {
        var reader = new EventReader(EventFormats.Get("custodes"), new ReadOptions(), new Quarantine());
        var engine = new DetectionEngine(_settings);
        var alerts = 0;
        foreach (var e in reader.Read(new MemoryStream(_ndjson, writable: false), "bench")) alerts += engine.Process(e).Count;
        return alerts + engine.Flush().Count;
    }
}
