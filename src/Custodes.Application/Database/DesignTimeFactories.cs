using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Custodes.Application.Database;

// Used only by `dotnet ef migrations add`: connection strings here are never opened.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteCustodesDb>
{
    public SqliteCustodesDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteCustodesDb>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresCustodesDb>
{
    public PostgresCustodesDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresCustodesDb>().UseNpgsql("Host=localhost;Database=design").Options);
}
