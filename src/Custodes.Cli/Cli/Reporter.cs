using System.Text.Json;
using Custodes.Common;
using Spectre.Console;

namespace Custodes.Cli;

/// <summary>The one way a command writes: JSON to stdout with <c>--json</c>, human text otherwise; errors always to stderr.</summary>
public sealed class Reporter(TextWriter stdout, TextWriter stderr, bool json)
{
    public bool Json { get; } = json;
    public TextWriter Out { get; } = stdout;
    public TextWriter Err { get; } = stderr;

    /// <summary>A Spectre console over stdout, for tables and colour in human output.</summary>
    public IAnsiConsole Console => _console ??= AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Out),
        Ansi = AnsiSupport.Detect,
        ColorSystem = ColorSystemSupport.Detect,
        Interactive = InteractionSupport.No,
    });

    private IAnsiConsole? _console;

    public void WriteJson<T>(T value)
    {
        Out.WriteLine(JsonSerializer.Serialize(value, Common.Json.Indented));
    }

    /// <summary>Writes a line for a person (never in --json mode, where stdout carries only JSON).</summary>
    public void Line(string text)
    {
        if (!Json) Out.WriteLine(text);
    }

    public void Error(string message) => Err.WriteLine($"error: {message}");

    public void Warning(string message) => Err.WriteLine($"warning: {message}");
}
