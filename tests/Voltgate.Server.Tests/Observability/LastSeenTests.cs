using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Data;
using Voltgate.Server.Diagnostics;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.Observability;

/// <summary>
/// <c>LastSeen</c> follows every message (issue 18, item 4), batched: frames only note the time in memory; the
/// flusher writes it. With a flush interval longer than the test, the stored time moves only when the test flushes.
/// </summary>
public sealed class LastSeenTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Every_message_moves_the_stored_last_seen_but_only_the_flush_writes_it(string provider)
    {
        await using var server = await VoltgateServer.StartAsync(provider, "--Voltgate:Diagnostics:FlushSeconds=300");
        using var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        var flusher = server.Services.GetRequiredService<LastSeenFlusher>();
        await using var station = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6")).Station!;
        await station.CallOkAsync("BootNotification", new { chargePointVendor = "V", chargePointModel = "M" });
        var booted = await StoredAsync(server, identity);
        Assert.NotNull(booted);

        // Heartbeats write nothing themselves.
        await Task.Delay(1100);
        await station.CallOkAsync("Heartbeat", new { });
        await Task.Delay(1100);
        var beforeHeartbeat = DateTimeOffset.UtcNow;
        await station.CallOkAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Available" });
        Assert.Equal(booted, await StoredAsync(server, identity));

        Assert.True(await flusher.FlushAsync(CancellationToken.None) >= 1);

        var flushed = await StoredAsync(server, identity);
        Assert.True(flushed > booted, $"stored {flushed} should be later than the boot's {booted}");
        Assert.True(flushed >= beforeHeartbeat.AddSeconds(-1), $"stored {flushed} should be the last message's second ({beforeHeartbeat})");

        // Nothing new: the next flush writes nothing.
        Assert.Equal(0, await flusher.FlushAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_last_message_before_a_disconnect_is_written_by_the_next_flush()
    {
        await using var server = await VoltgateServer.StartAsync("Sqlite", "--Voltgate:Diagnostics:FlushSeconds=300");
        using var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        var flusher = server.Services.GetRequiredService<LastSeenFlusher>();
        var station = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6")).Station!;
        await station.CallOkAsync("BootNotification", new { chargePointVendor = "V", chargePointModel = "M" });
        await flusher.FlushAsync(CancellationToken.None);
        var afterBoot = await StoredAsync(server, identity);

        await Task.Delay(1100);
        await station.CallOkAsync("Heartbeat", new { });
        await station.DisposeAsync();
        await WaitUntilAsync(async () => (await api.GetStringAsync($"/api/v1/stations/{identity}")).Contains("\"online\":false", StringComparison.Ordinal));
        await flusher.FlushAsync(CancellationToken.None);

        Assert.True(await StoredAsync(server, identity) > afterBoot);
    }

    private static async Task<DateTimeOffset?> StoredAsync(VoltgateServer server, string identity)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        return await db.Stations.IgnoreQueryFilters().Where(s => s.Identity == identity).Select(s => s.LastSeenAt).SingleAsync();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100 && !await condition(); i++)
        {
            await Task.Delay(50);
        }
    }
}
