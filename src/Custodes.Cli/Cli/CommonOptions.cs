using System.CommandLine;

namespace Custodes.Cli;

/// <summary>Options shared by many commands, declared once.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Write machine-readable JSON to stdout (and nothing else)." };

    public static Option<string?> DataDir() => new("--data-dir")
    {
        Description = "Installation data directory (SQLite database, evidence, keys). Default: $CUSTODES_DATA or the per-user data directory.",
    };

    public static Option<string?> Db() => new("--db")
    {
        Description = "PostgreSQL connection string (Host=…;Database=…). Default: $CUSTODES_DB, else the embedded SQLite database in the data directory.",
    };
}
