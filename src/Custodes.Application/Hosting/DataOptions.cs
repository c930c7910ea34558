using Microsoft.Extensions.Options;

namespace Custodes.Application.Hosting;

/// <summary>
/// Which installation to open (configuration section <c>Custodes:Data</c>): the CLI's <c>--data-dir</c> and <c>--db</c> land on these
/// keys. Unset, <see cref="Installation.Open"/> falls back to <c>CUSTODES_DATA</c>/<c>CUSTODES_DB</c> and the per-user data directory.
/// </summary>
public sealed class DataOptions
{
    public const string Section = "Custodes:Data";

    /// <summary>The data directory (SQLite database, evidence files, keys).</summary>
    public string? Directory { get; set; }

    /// <summary>A PostgreSQL connection string; the embedded SQLite database when unset.</summary>
    public string? Database { get; set; }
}

/// <summary>Nothing to check before the installation opens: opening it reports what is wrong with the directory or the database.</summary>
public sealed class DataOptionsValidator : IValidateOptions<DataOptions>
{
    public ValidateOptionsResult Validate(string? name, DataOptions options) => ValidateOptionsResult.Success;
}
