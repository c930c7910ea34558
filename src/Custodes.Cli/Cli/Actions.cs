using System.CommandLine;

namespace Custodes.Cli;

/// <summary>Wires a command's handler with its <see cref="Reporter"/>, so handlers only compute and report.</summary>
internal static class Actions
{
    public static void SetHandler(this Command command, Option<bool>? json, Func<ParseResult, Reporter, CancellationToken, Task<int>> handler) =>
        command.SetAction((parse, cancellationToken) =>
        {
            var config = parse.InvocationConfiguration;
            var reporter = new Reporter(config.Output, config.Error, json is not null && parse.GetValue(json));
            return handler(parse, reporter, cancellationToken);
        });

    public static void SetHandler(this Command command, Option<bool>? json, Func<ParseResult, Reporter, int> handler) =>
        command.SetHandler(json, (parse, reporter, _) => Task.FromResult(handler(parse, reporter)));
}
