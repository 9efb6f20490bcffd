using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Voltgate.Core.Access;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Data;

internal sealed class SqliteVoltgateDbContext(DbContextOptions<SqliteVoltgateDbContext> options, ITenantContext tenant, CallerAccess? access = null)
    : VoltgateDbContext(options, tenant, access)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // SQLite has no offset-aware type and cannot order or compare DateTimeOffset text; UTC ticks sort correctly.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}

internal sealed class PostgresVoltgateDbContext(DbContextOptions<PostgresVoltgateDbContext> options, ITenantContext tenant, CallerAccess? access = null)
    : VoltgateDbContext(options, tenant, access);
