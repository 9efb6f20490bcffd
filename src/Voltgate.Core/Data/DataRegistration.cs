using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Voltgate.Core.Persistence;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>For PostgreSQL (ConnectionStrings:Voltgate); for SQLite defaults to a file in the data directory.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>SQLite only: PRAGMA synchronous for the WAL journal (see <see cref="SqlitePragmaInterceptor"/>).</summary>
    public string SqliteSynchronous { get; set; } = "NORMAL";

    /// <summary>How long the station-message writer lets a batch fill under load (see <see cref="GroupCommitWriter"/>).</summary>
    public int WriteBatchDelayMs { get; set; } = 5;
}

public static class DataRegistration
{
    public static IServiceCollection AddVoltgateData(this IServiceCollection services, DatabaseOptions options)
    {
        // The options depend on nothing of a scope: built once, not for every DbContext (a profile of the station path
        // showed EF rebuilding them, with its warnings configuration, for each unit of work).
        services.TryAddScoped<TenantContext>();
        services.TryAddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                var pragmas = new SqlitePragmaInterceptor(options.SqliteSynchronous);
                services.AddDbContext<VoltgateDbContext, SqliteVoltgateDbContext>(o => o
                    .UseSqlite(options.ConnectionString, s => s.MigrationsAssembly(typeof(VoltgateDbContext).Assembly.FullName))
                    .AddInterceptors(pragmas), optionsLifetime: ServiceLifetime.Singleton);
                break;
            case DatabaseProvider.Postgres:
                services.AddDbContext<VoltgateDbContext, PostgresVoltgateDbContext>(o =>
                    o.UseNpgsql(options.ConnectionString, n => n.EnableRetryOnFailure(3)), optionsLifetime: ServiceLifetime.Singleton);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown database provider.");
        }

        return services;
    }

    public static string SqliteConnectionString(string dataDirectory) =>
        $"Data Source={Path.Combine(dataDirectory, "voltgate.db")};Pooling=True;Foreign Keys=True";
}
