namespace Custodes.Application;

/// <summary>
/// An installation's files hold assessments, evidence, password hashes and keys: on Unix its directories are created 0700 and its
/// files 0600, whatever the process's umask, so that other accounts on the server read none of them.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode Others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.SetGroup | UnixFileMode.SetUser;

    /// <summary>Creates a directory (and its missing parents) readable only by its owner.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        // Parents first, each with the mode: Directory.CreateDirectory gives missing parents the umask's mode.
        var full = Path.GetFullPath(path);
        var missing = new Stack<string>();
        for (var d = full; !string.IsNullOrEmpty(d) && !Directory.Exists(d); d = Path.GetDirectoryName(d)) missing.Push(d);
        while (missing.TryPop(out var d))
        {
            try
            {
                Directory.CreateDirectory(d, DirectoryMode);
            }
            catch (IOException) when (Directory.Exists(d))
            {
                // Created meanwhile.
            }
        }
    }

    /// <summary>Options for a new file readable only by its owner.</summary>
    public static FileStreamOptions NewFile(bool useAsync = false)
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 81920 };
        if (useAsync) options.Options = FileOptions.Asynchronous;
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FileMode;
        return options;
    }

    /// <summary>Takes away the group's and others' rights on an existing file or directory (one created before this rule, or by a tool
    /// that follows the umask). Does nothing on Windows or when the path does not exist.</summary>
    public static void Restrict(string path)
    {
        if (OperatingSystem.IsWindows() || !Path.Exists(path)) return;
        var mode = File.GetUnixFileMode(path);
        if ((mode & Others) != 0) File.SetUnixFileMode(path, mode & ~Others);
    }
}
