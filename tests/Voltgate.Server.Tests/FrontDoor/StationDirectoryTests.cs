using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Data;
using Voltgate.Core.Stations;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.FrontDoor;

/// <summary>
/// The front door's station cache: filled in one query at start, and a boot's registration status taken over
/// without forgetting the station, but never over an operator's change made in between.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class StationDirectoryTests(ServerPool pool)
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Loading_at_start_knows_every_stored_station_before_its_first_connection(string provider)
    {
        var (server, identity, tenantId, directory) = await FreshDirectoryWithStationAsync(provider);

        await directory.LoadAllAsync(CancellationToken.None);
        // Behind the directory's back: a lookup that went to the database now would see the station deactivated.
        await SetInDatabaseAsync(server, identity, active: false, RegistrationStatus.Accepted);
        var found = await directory.FindAsync(tenantId, identity, CancellationToken.None);

        Assert.NotNull(found);
        Assert.True(found.Active);
        Assert.Null(await directory.FindAsync(tenantId, identity + "-unknown", CancellationToken.None));
    }

    [Fact]
    public async Task A_boot_status_replaces_the_entry_it_was_read_with_without_a_query()
    {
        var (server, identity, tenantId, directory) = await FreshDirectoryWithStationAsync("Sqlite");
        var seen = (await directory.FindAsync(tenantId, identity, CancellationToken.None))!;

        await SetInDatabaseAsync(server, identity, active: false, RegistrationStatus.Rejected);
        directory.UpdateRegistrationStatus(seen, RegistrationStatus.Pending);
        var found = await directory.FindAsync(tenantId, identity, CancellationToken.None);

        Assert.Equal(RegistrationStatus.Accepted, seen.RegistrationStatus);
        Assert.Equal(RegistrationStatus.Pending, found!.RegistrationStatus);
        Assert.True(found.Active); // still the cached entry: no query was made
    }

    [Fact]
    public async Task A_boot_status_does_not_overwrite_an_operator_change_made_in_between()
    {
        var (server, identity, tenantId, directory) = await FreshDirectoryWithStationAsync("Sqlite");
        var seen = (await directory.FindAsync(tenantId, identity, CancellationToken.None))!;

        // The operator deactivates the station while its boot is being written.
        await SetInDatabaseAsync(server, identity, active: false, RegistrationStatus.Accepted);
        directory.Invalidate(tenantId, identity);
        var fresh = await directory.FindAsync(tenantId, identity, CancellationToken.None);
        directory.UpdateRegistrationStatus(seen, RegistrationStatus.Pending);
        var found = await directory.FindAsync(tenantId, identity, CancellationToken.None);

        Assert.False(fresh!.Active);
        Assert.Same(fresh, found);
        Assert.Equal(RegistrationStatus.Accepted, found!.RegistrationStatus);
    }

    /// <summary>A new station (through the API) and a directory of its own on the server's database, still empty.</summary>
    private async Task<(VoltgateServer Server, string Identity, Guid TenantId, StationDirectory Directory)> FreshDirectoryWithStationAsync(string provider)
    {
        var server = await pool.GetAsync(provider);
        using var api = await server.AdminClientAsync();
        var identity = Arrange.NewIdentity("DIR");
        await api.StationAsync(identity);
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var tenantId = await db.Stations.IgnoreQueryFilters().Where(s => s.Identity == identity).Select(s => s.TenantId).SingleAsync();
        return (server, identity, tenantId, new StationDirectory(server.Services.GetRequiredService<IServiceScopeFactory>()));
    }

    private static async Task SetInDatabaseAsync(VoltgateServer server, string identity, bool active, RegistrationStatus status)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var rows = await db.Stations.IgnoreQueryFilters().Where(s => s.Identity == identity)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Active, active).SetProperty(s => s.RegistrationStatus, status));
        Assert.Equal(1, rows);
    }
}
