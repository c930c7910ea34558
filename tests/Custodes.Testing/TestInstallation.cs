using Custodes.Application;

namespace Custodes.Testing;

/// <summary>A fresh installation for one test: its own temp data directory, on SQLite or on its own PostgreSQL database.</summary>
public sealed class TestInstallation : IAsyncDisposable
{
    private TestInstallation(Installation installation, string dataDirectory)
    {
        Installation = installation;
        DataDirectory = dataDirectory;
    }

    public Installation Installation { get; }
    public string DataDirectory { get; }

    /// <summary>The connection string given to <c>--db</c>, or null on SQLite.</summary>
    public string? Database { get; private init; }

    /// <summary>The providers every storage test runs on (for <c>[Theory, MemberData]</c>).</summary>
    public static TheoryData<DatabaseProvider> Providers => new() { DatabaseProvider.Sqlite, DatabaseProvider.Postgres };

    public static async Task<TestInstallation> CreateAsync(DatabaseProvider provider)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"custodes-test-{Guid.NewGuid():N}");
        var database = provider == DatabaseProvider.Postgres ? PostgresServer.Instance.CreateDatabase() : null;
        var installation = Installation.Open(dir, database);
        await installation.InitializeAsync();
        return new TestInstallation(installation, dir) { Database = database };
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        return ValueTask.CompletedTask;
    }
}
