using System.CommandLine;
using System.Text;
using Custodes.Common;

namespace Custodes.Cli;

/// <summary>Writes a command's output file whole or not at all (a temporary file renamed into place), or to stdout for <c>--out -</c>.</summary>
internal static class OutputFile
{
    public static Option<string> Option(string description) => new("--out", "-o") { Description = description + " Use - for stdout.", Required = true };

    /// <summary>Writes the bytes and tells the person what was written; text goes to stdout through the reporter, binary through the raw stream.</summary>
    public static void Write(string path, byte[] bytes, Reporter reporter, string what, bool binary = false)
    {
        if (path == "-")
        {
            if (!binary)
            {
                reporter.Out.Write(Encoding.UTF8.GetString(bytes));
                return;
            }
            reporter.Out.Flush();
            using var raw = Console.OpenStandardOutput();
            raw.Write(bytes);
            return;
        }
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory)) throw new EnvironmentFailureException($"cannot write {path}: the directory {directory} does not exist");
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EnvironmentFailureException($"cannot write {path}: {e.Message}", e);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        reporter.Line($"Wrote {what} to {path} ({bytes.Length:N0} bytes).");
    }
}
