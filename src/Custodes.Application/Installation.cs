using System.Collections.Concurrent;
using Custodes.Application.Database;
using Custodes.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Custodes.Application;

/// <summary>Which database an installation uses.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>One installation of Custodes: a data directory (SQLite database, evidence files, keys) and, optionally, a PostgreSQL database instead of SQLite.</summary>
public sealed class Installation
{
    private readonly DbContextOptions<SqliteCustodesDb>? _sqlite;
    private readonly DbContextOptions<PostgresCustodesDb>? _postgres;
    private readonly IDbContextFactory<SqliteCustodesDb>? _sqliteReads;
    private readonly IDbContextFactory<PostgresCustodesDb>? _postgresReads;

    private Installation(string dataDirectory, string? postgres)
    {
        DataDirectory = Path.GetFullPath(dataDirectory);
        if (postgres is null)
        {
            Provider = DatabaseProvider.Sqlite;
            var connection = new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(DataDirectory, "custodes.db"),
                Pooling = true,
                DefaultTimeout = 30,
            }.ToString();
            _sqlite = new DbContextOptionsBuilder<SqliteCustodesDb>().UseSqlite(connection).Options;
            _sqliteReads = new PooledDbContextFactory<SqliteCustodesDb>(_sqlite, ReadPoolSize);
        }
        else
        {
            Provider = DatabaseProvider.Postgres;
            _postgres = new DbContextOptionsBuilder<PostgresCustodesDb>().UseNpgsql(DataSource(postgres, reads: false)).Options;
            _postgresReads = new PooledDbContextFactory<PostgresCustodesDb>(
                new DbContextOptionsBuilder<PostgresCustodesDb>().UseNpgsql(DataSource(postgres, reads: true)).Options, ReadPoolSize);
        }
    }

    // One connection pool per connection string and use for the whole process (as Npgsql keeps for plain connection strings), however
    // often an installation is opened.
    private static readonly ConcurrentDictionary<(string, bool), Npgsql.NpgsqlDataSource> DataSources = new();

    /// <summary>The PostgreSQL connection pool for writes or for the pooled read contexts.</summary>
    /// <remarks>
    /// Statements the application runs again and again (the score endpoint's version check, API key lookups, audit appends) are
    /// prepared on the server after a few uses, so PostgreSQL stops parsing and planning them per request; a connection string that
    /// sets its own <c>Max Auto Prepare</c> keeps it. Read contexts run plain SELECTs and never change session state, so their
    /// connections skip the reset when they go back to the pool (server work on every use otherwise).
    /// </remarks>
    private static Npgsql.NpgsqlDataSource DataSource(string connectionString, bool reads) => DataSources.GetOrAdd((connectionString, reads), key =>
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(key.Item1);
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 64;
        if (key.Item2) builder.NoResetOnClose = true;
        return Npgsql.NpgsqlDataSource.Create(builder);
    });

    public string DataDirectory { get; }
    public DatabaseProvider Provider { get; }
    public string EvidenceDirectory => Path.Combine(DataDirectory, "evidence");
    public string KeysDirectory => Path.Combine(DataDirectory, "keys");

    /// <summary>Whether these options (or <c>CUSTODES_DATA</c>/<c>CUSTODES_DB</c>) name an installation, rather than leave the per-user default.</summary>
    public static bool Named(string? dataDirectory, string? database) =>
        !string.IsNullOrWhiteSpace(dataDirectory ?? Environment.GetEnvironmentVariable("CUSTODES_DATA"))
        || !string.IsNullOrWhiteSpace(database ?? Environment.GetEnvironmentVariable("CUSTODES_DB"));

    /// <summary>Opens an installation from options, falling back to <c>CUSTODES_DATA</c>/<c>CUSTODES_DB</c> and the per-user data directory.</summary>
    public static Installation Open(string? dataDirectory = null, string? database = null)
    {
        dataDirectory ??= Environment.GetEnvironmentVariable("CUSTODES_DATA");
        if (string.IsNullOrWhiteSpace(dataDirectory))
            dataDirectory = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "custodes");
        database ??= Environment.GetEnvironmentVariable("CUSTODES_DB");
        return new Installation(dataDirectory, string.IsNullOrWhiteSpace(database) ? null : database);
    }

    /// <summary>Creates a directory of the installation (0700 on Unix).</summary>
    public void EnsureDirectory(string path) => PrivateFiles.CreateDirectory(path);

    /// <summary>A new unit of work on the installation's database.</summary>
    internal CustodesDb OpenDb() => Provider == DatabaseProvider.Sqlite ? new SqliteCustodesDb(_sqlite!) : new PostgresCustodesDb(_postgres!);

    private const int ReadPoolSize = 128;

    /// <summary>A pooled, read-only unit of work for the hot paths (API key lookup, score version check).</summary>
    /// <remarks>
    /// Setting up a new context's services costs more than these queries; pooled contexts are reset and reused instead.
    /// Read-only: nothing recorded in the audit trail may go through one (a pooled context outlives its use).
    /// </remarks>
    internal CustodesDb OpenReadDb() => Provider == DatabaseProvider.Sqlite ? _sqliteReads!.CreateDbContext() : _postgresReads!.CreateDbContext();

    /// <summary>Creates the data directory and brings the database schema up to date.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            PrivateFiles.CreateDirectory(DataDirectory);
            PrivateFiles.CreateDirectory(EvidenceDirectory);
            PrivateFiles.CreateDirectory(KeysDirectory);
            foreach (var directory in new[] { DataDirectory, EvidenceDirectory, KeysDirectory }) PrivateFiles.Restrict(directory);
            var database = Path.Combine(DataDirectory, "custodes.db");
            // SQLite creates its WAL, shared-memory and journal files with the database file's mode, so a database file created 0600
            // (an empty file is an empty database) keeps all of them private.
            if (Provider == DatabaseProvider.Sqlite && !File.Exists(database))
            {
                try
                {
                    using (new FileStream(database, PrivateFiles.NewFile())) { }
                }
                catch (IOException) when (File.Exists(database))
                {
                    // Created meanwhile by another process.
                }
            }
            await using var db = OpenDb();
            await db.Database.MigrateAsync(cancellationToken);
            if (Provider == DatabaseProvider.Sqlite)
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
                foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" }) PrivateFiles.Restrict(database + suffix);
            }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new EnvironmentFailureException($"cannot use data directory {DataDirectory}: {e.Message}", e);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or SqliteException)
        {
            throw new EnvironmentFailureException($"cannot open the {Provider} database: {e.Message}", e);
        }
    }
}
