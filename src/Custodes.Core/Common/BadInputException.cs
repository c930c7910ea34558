namespace Custodes.Common;

/// <summary>Bad input from a person or a file: names where (file, JSON path, line) and what was expected.</summary>
/// <remarks>The one error type for bad input. The CLI maps it to exit code 2 and the web app to HTTP 400.</remarks>
public sealed class BadInputException : Exception
{
    public BadInputException(string message, string? file = null, string? path = null, long? line = null, Exception? inner = null)
        : base(message, inner)
    {
        File = file;
        Path = path;
        Line = line;
    }

    /// <summary>The file (or upload name) the input came from, when it came from one.</summary>
    public string? File { get; }

    /// <summary>JSON path of the offending value, e.g. <c>$.requirements['3.5.3'].partial</c>.</summary>
    public string? Path { get; }

    /// <summary>1-based line of the offending value, when known.</summary>
    public long? Line { get; }

    /// <summary>The message with its location, as printed to a person: <c>file:line: path: message</c>.</summary>
    public string Describe()
    {
        var where = new List<string>(3);
        if (File is not null) where.Add(Line is { } l ? $"{File}:{l}" : File);
        else if (Line is { } l2) where.Add($"line {l2}");
        if (Path is not null) where.Add(Path);
        return where.Count == 0 ? Message : $"{string.Join(": ", where)}: {Message}";
    }

    public BadInputException InFile(string file) => File is null ? new BadInputException(Message, file, Path, Line, InnerException) : this;
}
