using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Tests.Data;

/// <summary>Each provider's migration set matches the model: a model change without a migration fails here.</summary>
public sealed class MigrationsTests
{
    [Fact]
    public void The_sqlite_migrations_cover_the_whole_model()
    {
        using var db = new SqliteVoltgateDbContext(new DbContextOptionsBuilder<SqliteVoltgateDbContext>().UseSqlite("Data Source=:memory:").Options, new TenantContext());

        Assert.False(db.Database.HasPendingModelChanges(), "run scripts/add-migration.sh <Name> after changing the model");
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Fact]
    public void The_postgres_migrations_cover_the_whole_model()
    {
        using var db = new PostgresVoltgateDbContext(new DbContextOptionsBuilder<PostgresVoltgateDbContext>().UseNpgsql("Host=unused").Options, new TenantContext());

        Assert.False(db.Database.HasPendingModelChanges(), "run scripts/add-migration.sh <Name> after changing the model");
        Assert.Equal(db.Database.GetMigrations().Select(Name), new SqliteVoltgateDbContext(
            new DbContextOptionsBuilder<SqliteVoltgateDbContext>().UseSqlite("Data Source=:memory:").Options, new TenantContext()).Database.GetMigrations().Select(Name));
    }

    [Fact]
    public void Every_tenant_owned_entity_is_filtered_by_tenant()
    {
        using var db = new SqliteVoltgateDbContext(new DbContextOptionsBuilder<SqliteVoltgateDbContext>().UseSqlite("Data Source=:memory:").Options, new TenantContext());

        var unfiltered = db.Model.GetEntityTypes()
            .Where(e => typeof(ITenantOwned).IsAssignableFrom(e.ClrType) && e.GetDeclaredQueryFilters().Count == 0)
            .Select(e => e.ClrType.Name)
            .ToList();

        Assert.True(unfiltered.Count == 0, "tenant-owned entities without a tenant filter: " + string.Join(", ", unfiltered));
    }

    private static string Name(string migrationId) => migrationId[(migrationId.IndexOf('_', StringComparison.Ordinal) + 1)..];
}
