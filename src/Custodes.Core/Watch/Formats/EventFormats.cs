using Custodes.Common;
using Custodes.Watch.Formats.Vendors;

namespace Custodes.Watch.Formats;

/// <summary>The formats <c>--format</c> accepts.</summary>
public static class EventFormats
{
    public const string Default = "custodes";

    public static readonly IReadOnlyList<IEventFormat> All =
    [
        new CustodesFormat(), new CsvFormat(), new SyslogFormat(), new JsonLinesFormat(),
        new ScreenConnectFormat(), new ConnectWiseAutomateFormat(), new KaseyaVsaFormat(), new NinjaOneFormat(),
        new DattoRmmFormat(), new NableFormat(), new AteraFormat(),
    ];

    public static IEventFormat? Find(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

    public static IEventFormat Get(string name) =>
        Find(name) ?? throw new BadInputException($"unknown format '{name}'; expected one of {string.Join(", ", All.Select(f => f.Name))}");
}
