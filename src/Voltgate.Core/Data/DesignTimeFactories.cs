using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Data;

// Let `dotnet ef migrations add` build each provider's model without starting the web host.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteVoltgateDbContext>
{
    public SqliteVoltgateDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteVoltgateDbContext>().UseSqlite("Data Source=design.db").Options, new TenantContext());
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresVoltgateDbContext>
{
    public PostgresVoltgateDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresVoltgateDbContext>().UseNpgsql("Host=localhost;Database=design").Options, new TenantContext());
}
