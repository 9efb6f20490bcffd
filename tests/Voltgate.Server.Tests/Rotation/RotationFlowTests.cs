using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Voltgate.Server.Tests.Support;
using static Voltgate.Server.Tests.Rotation.RotationHelpers;

namespace Voltgate.Server.Tests.Rotation;

/// <summary>Rotations with real stations over real WebSockets: each path of the per-station state machine.</summary>
[Collection(ServerCollection.Name)]
public sealed class RotationFlowTests(ServerPool pool)
{
    [Fact]
    public async Task An_accepting_station_reconnects_with_the_new_password_and_only_it_loses_the_old_one()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var old = Arrange.RandomPassword();
        await api.PasswordAsync(old);
        var (rotated, other) = (Arrange.NewIdentity(), Arrange.NewIdentity());
        await api.StationAsync(rotated);
        await api.StationAsync(other);
        var (station, key) = await ConnectAsync(server, rotated, old);
        await server.FlushAsync();

        var id = await CreateAsync(api, new { source = new { stationIdentities = new[] { rotated } }, target = new { generate = new { length = 40, label = "rotation target" } } });
        var value = await key.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await WaitForAsync(api, id, rotated, "Accepted");
        Assert.Equal(40, value.Length);

        // A conformant 1.6 station decodes the hex AuthorizationKey and sends those bytes.
        await station.DisposeAsync();
        var back = await HandshakeAsync(server, rotated, Convert.FromHexString(value));
        Assert.True(back.Upgraded, $"the new password was refused: {back.Status}");
        await using var __ = back.Station!;
        await server.FlushAsync();
        var done = await WaitForAsync(api, id, rotated, "Done");
        Assert.Contains("new password", done.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var oldFromRotated = await HandshakeAsync(server, rotated, Encoding.UTF8.GetBytes(old));
        Assert.Equal(HttpStatusCode.Unauthorized, oldFromRotated.Status);
        var oldFromOther = await HandshakeAsync(server, other, Encoding.UTF8.GetBytes(old));
        Assert.True(oldFromOther.Upgraded, "the pool must keep admitting stations that were not rotated");
        await oldFromOther.Station!.DisposeAsync();

        var rotation = await GetAsync(api, id);
        Assert.Equal("Completed", rotation.GetProperty("state").GetString());
        Assert.Equal(1, rotation.GetProperty("counts").GetProperty("done").GetInt32());

        // The key is a secret: never in the audit trail.
        var audit = await api.GetStringAsync("/api/v1/audit-events?take=500");
        Assert.Contains("OcppSecurity.RotationCreated", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(value, audit, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_rejecting_station_keeps_its_old_password_and_can_be_retried()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var old = Arrange.RandomPassword();
        await api.PasswordAsync(old);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        var (station, key) = await ConnectAsync(server, identity, old, status: "Rejected");
        await using var _ = station;

        var id = await CreateAsync(api, new { source = new { stationIdentities = new[] { identity } }, target = new { perStation = new { length = 32 } } });
        var rejected = await WaitForAsync(api, id, identity, "Rejected");
        Assert.Contains("old password is still admitted", rejected.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(32, (await key.Task).Length);

        var again = await HandshakeAsync(server, identity, Encoding.UTF8.GetBytes(old));
        Assert.True(again.Upgraded, "after Rejected the old password must still be admitted (A01.FR.04)");
        await again.Station!.DisposeAsync();

        var retry = await api.PostAsync($"{RotationsPath}/{id}/stations/{identity}/retry", null);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var notRetriable = await api.PostAsync($"{RotationsPath}/{id}/stations/{identity}/admit-previous", null);
        Assert.Equal(HttpStatusCode.Conflict, notRetriable.StatusCode);
    }

    [Fact]
    public async Task A_station_that_accepts_and_never_comes_back_is_Lost_with_diagnostics_and_can_be_admitted_again()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var old = Arrange.RandomPassword();
        await api.PasswordAsync(old);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        var (station, key) = await ConnectAsync(server, identity, old);

        var id = await CreateAsync(api, new { source = new { stationIdentities = new[] { identity } }, target = new { generate = new { length = 40 } }, lostAfterSeconds = 3 });
        await key.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await WaitForAsync(api, id, identity, "Accepted");
        await station.DisposeAsync();

        // It comes back with the pre-rotation password (the libocpp-style bug): refused, the station is pinned.
        var withOld = await HandshakeAsync(server, identity, Encoding.UTF8.GetBytes(old));
        Assert.Equal(HttpStatusCode.Unauthorized, withOld.Status);
        await server.FlushAsync();
        var lost = await WaitForAsync(api, id, identity, "Lost");
        Assert.Contains("Tried the pre-rotation password at", lost.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("accepted the change at", lost.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var admit = await api.PostAsync($"{RotationsPath}/{id}/stations/{identity}/admit-previous", null);
        Assert.Equal(HttpStatusCode.OK, admit.StatusCode);
        Assert.True(Row(await admit.Content.ReadFromJsonAsync<JsonElement>(), identity).GetProperty("previousAdmitted").GetBoolean());
        var readmitted = await HandshakeAsync(server, identity, Encoding.UTF8.GetBytes(old));
        Assert.True(readmitted.Upgraded, $"admit-previous must undo the pinning: {readmitted.Status}");
        await readmitted.Station!.DisposeAsync();

        var twice = await api.PostAsync($"{RotationsPath}/{id}/stations/{identity}/admit-previous", null);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("OcppSecurity.RotationAdmitPrevious", await api.GetStringAsync("/api/v1/audit-events?take=500"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_offline_station_waits_and_is_pushed_when_it_connects()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var old = Arrange.RandomPassword();
        await api.PasswordAsync(old);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);

        var id = await CreateAsync(api, new { source = new { stationIdentities = new[] { identity } }, target = new { generate = new { length = 40 } } });
        await Task.Delay(2500);
        var waiting = Row(await GetAsync(api, id), identity);
        Assert.Equal("Waiting", waiting.GetProperty("state").GetString());
        Assert.Contains("Offline", waiting.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var (station, key) = await ConnectAsync(server, identity, old);
        await using var _ = station;
        await key.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await WaitForAsync(api, id, identity, "Accepted");
    }

    [Fact]
    public async Task Command_results_never_show_the_AuthorizationKey()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var old = Arrange.RandomPassword();
        await api.PasswordAsync(old);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        var connected = await TestStation.ConnectAsync(server.AuthEndpoint, identity, old, "ocpp1.6");
        await using var station = connected.Station!;
        station.OnServerCall = (_, _) => System.Text.Json.Nodes.JsonNode.Parse("""{"configurationKey":[{"key":"AuthorizationKey","readonly":false,"value":"0123456789abcdef0123456789abcdef"},{"key":"HeartbeatInterval","readonly":false,"value":"300"}]}""");

        var response = await api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/GetConfiguration", new { });

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("0123456789abcdef", text, StringComparison.Ordinal);
        Assert.Contains("***", text, StringComparison.Ordinal);
        Assert.Contains("300", text, StringComparison.Ordinal);
    }
}
