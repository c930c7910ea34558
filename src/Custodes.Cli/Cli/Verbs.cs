using System.CommandLine;

namespace Custodes.Cli;

/// <summary>Every top-level verb, one folder each under Cli/.</summary>
public static class Verbs
{
    public static IEnumerable<Command> All() =>
    [
        Catalog.CatalogCommand.Create(),
        Watch.WatchCommand.Create(),
    ];
}
