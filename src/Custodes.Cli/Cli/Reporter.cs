using System.Text.Json;
using Custodes.Common;
using Spectre.Console;

namespace Custodes.Cli;

/// <summary>The one way a command writes: JSON to stdout with <c>--json</c>, human text otherwise; errors always to stderr.</summary>
internal sealed class Reporter(TextWriter stdout, TextWriter stderr, bool json)
{
    public bool Json { get; } = json;
    public TextWriter Out { get; } = stdout;
    public TextWriter Err { get; } = stderr;

    /// <summary>A Spectre console over stdout, for tables and colour in human output.</summary>
    public IAnsiConsole Console => _console ??= AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Out),
        // Colour only on a real terminal: files, pipes and tests get plain text.
        Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
    });

    private IAnsiConsole? _console;

    private bool Interactive => ReferenceEquals(Out, System.Console.Out) && !System.Console.IsOutputRedirected && System.Environment.GetEnvironmentVariable("NO_COLOR") is null;

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
