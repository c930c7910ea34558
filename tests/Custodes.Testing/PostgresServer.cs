using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Custodes.Testing;

/// <summary>A throwaway PostgreSQL cluster for one test process: initdb into a temp directory, listening on 127.0.0.1 at a random port, stopped at exit.</summary>
/// <remarks>
/// Started once per test assembly on first use. Runs as the <c>postgres</c> user when the tests run as root (initdb refuses root).
/// When PostgreSQL is not installed the tests that need it fail with a message saying how to install it; scripts/test.sh installs it.
/// </remarks>
public sealed class PostgresServer
{
    private static readonly Lazy<PostgresServer> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly string _dataDirectory;
    private readonly string _bin;
    private readonly string? _runAs;

    private PostgresServer(string bin, string dataDirectory, int port, string? runAs)
    {
        _bin = bin;
        _dataDirectory = dataDirectory;
        _runAs = runAs;
        Port = port;
    }

    public int Port { get; }

    public static PostgresServer Instance => Shared.Value;

    /// <summary>A new, empty database on the shared cluster; its connection string.</summary>
    public string CreateDatabase()
    {
        var name = $"t_{Guid.NewGuid():N}";
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        command.ExecuteNonQuery();
        return ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=20;Timeout=30;Command Timeout=60;Connection Idle Lifetime=15;Connection Pruning Interval=5";

    private static PostgresServer Start()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        if (bin is null)
            throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb). Run scripts/test.sh, which installs it, or: apt-get install -y postgresql");
        var runAs = Environment.UserName == "root" ? "postgres" : null;
        // scripts/test.sh gives each run its own root, so it can stop exactly the clusters it started.
        var root = Environment.GetEnvironmentVariable("CUSTODES_PG_ROOT") is { Length: > 0 } r ? r : Path.GetTempPath();
        var dataDirectory = Path.Combine(root, $"custodes-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDirectory);
        if (runAs is not null) Run("chown", $"{runAs} {dataDirectory}", null);
        var port = FreePort();
        Run(Path.Combine(bin, "initdb"), $"-D {dataDirectory} -U postgres --auth=trust --encoding=UTF8 --no-sync", runAs);
        var server = new PostgresServer(bin, dataDirectory, port, runAs);
        var options = $"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={dataDirectory} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        Run(Path.Combine(bin, "pg_ctl"), $"-D {dataDirectory} -o \"{options}\" -l {dataDirectory}/server.log -w -t 60 start", runAs);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        return server;
    }

    private void Stop()
    {
        try
        {
            Run(Path.Combine(_bin, "pg_ctl"), $"-D {_dataDirectory} -m immediate -w stop", _runAs);
        }
        catch (InvalidOperationException)
        {
            // Already stopped; the directory is still removed below.
        }
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void Run(string file, string arguments, string? runAs)
    {
        var info = runAs is null
            ? new ProcessStartInfo(file, arguments)
            : new ProcessStartInfo("runuser", $"-u {runAs} -- {file} {arguments}");
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({process.ExitCode}): {stderr}{stdout.Result}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
