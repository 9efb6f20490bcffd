using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Voltgate.Core.Access;
using Voltgate.Core.Audit;
using Voltgate.Core.Composition;
using Voltgate.Core.Data;
using Voltgate.Core.Persistence;
using Voltgate.Core.Stations;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Tests.Domain;

/// <summary>
/// The domain services over a real, migrated SQLite file in a temporary directory, with one tenant and one station.
/// The group commit writer is started unless the test asks not to (to queue writes before the first batch).
/// </summary>
internal sealed class DomainDatabase : IAsyncDisposable
{
    private readonly string _directory;
    private bool _writerStarted;

    private DomainDatabase(string directory, ServiceProvider services, Guid tenantId, Guid companyId)
    {
        _directory = directory;
        Services = services;
        TenantId = tenantId;
        _companyId = companyId;
    }

    private readonly Guid _companyId;

    public ServiceProvider Services { get; }
    public Guid TenantId { get; }
    public FakeTimeProvider Time => (FakeTimeProvider)Services.GetRequiredService<TimeProvider>();
    public GroupCommitWriter Writer => Services.GetRequiredService<GroupCommitWriter>();

    public static async Task<DomainDatabase> CreateAsync(bool startWriter = true)
    {
        var directory = Path.Combine(Path.GetTempPath(), "voltgate-core-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var options = new DatabaseOptions { ConnectionString = DataRegistration.SqliteConnectionString(directory), WriteBatchDelayMs = 0 };
        var services = new ServiceCollection();
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton(options);
        services.AddVoltgateData(options);
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero)));
        services.AddScoped<ActorContext>();
        services.AddScoped<IActorContext>(sp => sp.GetRequiredService<ActorContext>());
        services.AddScoped<AuditLog>();
        services.AddSingleton<TenantDirectory>();
        services.AddSingleton<IStationDirectory, StationDirectory>();
        services.AddSingleton<IStationEvents, InProcessStationEvents>();
        services.AddStationDomain();
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        var tenant = new Tenant { Slug = Tenant.DefaultSlug, Name = "Default" };
        var company = new Company { TenantId = tenant.Id, Name = "Default" };
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
            await db.Database.MigrateAsync();
            db.Tenants.Add(tenant);
            db.Companies.Add(company);
            db.TenantSettings.Add(new TenantSettings { TenantId = tenant.Id, HeartbeatIntervalSeconds = 120 });
            await db.SaveChangesAsync();
        }

        var database = new DomainDatabase(directory, provider, tenant.Id, company.Id);
        if (startWriter)
        {
            await database.StartWriterAsync();
        }

        return database;
    }

    public async Task StartWriterAsync()
    {
        await Writer.StartAsync(CancellationToken.None);
        _writerStarted = true;
    }

    public async Task StopWriterAsync()
    {
        await Writer.StopAsync(CancellationToken.None);
        _writerStarted = false;
    }

    /// <summary>A unit of work of the tenant, as the dispatcher makes one per scoped message.</summary>
    public AsyncServiceScope Scope()
    {
        var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(TenantId);
        return scope;
    }

    public async Task<StationRef> AddStationAsync(string identity = "CP-1", RegistrationStatus status = RegistrationStatus.Accepted)
    {
        var station = new Station { TenantId = TenantId, CompanyId = _companyId, Identity = identity, RegistrationStatus = status };
        await WithDbAsync(db =>
        {
            db.Stations.Add(station);
            return db.SaveChangesAsync();
        });
        return new StationRef(TenantId, station.Id, identity);
    }

    public async Task WithDbAsync(Func<VoltgateDbContext, Task> action)
    {
        await using var scope = Scope();
        await action(scope.ServiceProvider.GetRequiredService<VoltgateDbContext>());
    }

    public async Task<T> QueryAsync<T>(Func<VoltgateDbContext, Task<T>> query)
    {
        await using var scope = Scope();
        return await query(scope.ServiceProvider.GetRequiredService<VoltgateDbContext>());
    }

    public async ValueTask DisposeAsync()
    {
        if (_writerStarted)
        {
            await StopWriterAsync();
        }

        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
