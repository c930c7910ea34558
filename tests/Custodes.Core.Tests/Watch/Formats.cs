using System.Text;
using Microsoft.Extensions.Time.Testing;
using Custodes.Watch.Events;
using Custodes.Watch.Formats;

namespace Custodes.Core.Tests.Watch;

/// <summary>Reading helpers for the format specifications.</summary>
internal static class Formats
{
    public static readonly TimeProvider Clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public static string Sample(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Custodes.slnx"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), "samples", "watch", name);
    }

    public static (List<WatchEvent> Events, Quarantine Quarantine) ReadFile(string format, string path, ReadOptions? options = null)
    {
        using var stream = File.OpenRead(path);
        return Read(format, stream, Path.GetFileName(path), options);
    }

    public static (List<WatchEvent> Events, Quarantine Quarantine) ReadText(string format, string text, ReadOptions? options = null) =>
        Read(format, new MemoryStream(Encoding.UTF8.GetBytes(text)), "input", options);

    public static (List<WatchEvent> Events, Quarantine Quarantine) Read(string format, Stream stream, string name, ReadOptions? options = null)
    {
        var quarantine = new Quarantine();
        var reader = new EventReader(EventFormats.Get(format), (options ?? new ReadOptions()) with { Clock = Clock }, quarantine);
        return ([.. reader.Read(stream, name)], quarantine);
    }

    public static ReadOptions Msp(string msp, string? zone = null) =>
        new() { Msp = msp, TimeZone = zone is null ? null : Timestamps.ResolveZone(zone) };

    public static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime();
}
