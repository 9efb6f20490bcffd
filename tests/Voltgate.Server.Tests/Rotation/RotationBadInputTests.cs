using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Voltgate.Server.Tests.Support;
using Voltgate.Server.Tests.UserManagement;
using static Voltgate.Server.Tests.Rotation.RotationHelpers;

namespace Voltgate.Server.Tests.Rotation;

/// <summary>Every refused rotation says why, and sends and changes nothing.</summary>
[Collection(ServerCollection.Name)]
public sealed class RotationBadInputTests(ServerPool pool)
{
    private static async Task<int> PoolSizeAsync(HttpClient api) =>
        (await api.GetFromJsonAsync<JsonElement>("/api/v1/ocpp-security/basic-auth-passwords?take=500")).GetProperty("total").GetInt32();

    private static async Task<int> RotationCountAsync(HttpClient api) =>
        (await api.GetFromJsonAsync<JsonElement>($"{RotationsPath}?take=500")).GetProperty("total").GetInt32();

    [Fact]
    public async Task An_unknown_station_is_refused_by_name()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var known = Arrange.NewIdentity();
        await api.StationAsync(known);
        var before = await PoolSizeAsync(api);

        var response = await api.PostAsJsonAsync(RotationsPath, new { source = new { stationIdentities = new[] { known, "NO-SUCH-STATION" } }, target = new { generate = new { length = 40 } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("NO-SUCH-STATION", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await PoolSizeAsync(api));
    }

    [Fact]
    public async Task A_target_that_OCPP_16_cannot_carry_is_refused_before_anything_is_sent()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var old = Arrange.RandomPassword();
        await api.PasswordAsync(old);
        // 30 characters, not hex: hex(UTF-8) would be 30 bytes, more than AuthorizationKey's 20.
        var tooLong = await api.PasswordAsync("long-password-" + Guid.NewGuid().ToString("N")[..16]);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        var (station, key) = await ConnectAsync(server, identity, old);
        await using var _ = station;
        var rotations = await RotationCountAsync(api);

        var response = await api.PostAsJsonAsync(RotationsPath, new { source = new { stationIdentities = new[] { identity } }, target = new { passwordId = tooLong } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("OCPP 1.6 cannot carry this password", text, StringComparison.Ordinal);
        Assert.Contains("30", text, StringComparison.Ordinal);
        Assert.Equal(rotations, await RotationCountAsync(api));
        await Task.Delay(1500);
        Assert.False(key.Task.IsCompleted, "nothing may be sent for a refused rotation");
        Assert.DoesNotContain(station.ServerCalls, c => c.Action == "ChangeConfiguration");
    }

    [Fact]
    public async Task A_KEBA_station_refuses_a_target_its_profile_forbids()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var old = Arrange.RandomPassword();
        await api.PasswordAsync(old);
        // Expressible for 1.6 (20 bytes) but not hex: KEBA x-series needs 32-40 hex characters.
        var notHex = await api.PasswordAsync("keba-no-" + Guid.NewGuid().ToString("N")[..12]);
        var identity = Arrange.NewIdentity("KEBA");
        await api.StationAsync(identity);
        var (station, _) = await ConnectAsync(server, identity, old);
        await using var __ = station;
        await station.CallOkAsync("BootNotification", new { chargePointVendor = "KEBA AG", chargePointModel = "KC-P30-EC2404X2", firmwareVersion = "P30 v 1.15.3" });
        var before = await PoolSizeAsync(api);

        var response = await api.PostAsJsonAsync(RotationsPath, new { source = new { stationIdentities = new[] { identity } }, target = new { passwordId = notHex } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("KEBA x-series", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await PoolSizeAsync(api));
    }

    [Fact]
    public async Task A_target_equal_to_the_current_password_and_a_second_rotation_over_a_station_are_refused()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var old = "0123456789abcdef" + Guid.NewGuid().ToString("N")[..16];
        var oldId = await api.PasswordAsync(old);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        var (station, _) = await ConnectAsync(server, identity, old, status: "Rejected");
        await station.DisposeAsync();
        await server.FlushAsync();

        var same = await api.PostAsJsonAsync(RotationsPath, new { source = new { stationIdentities = new[] { identity } }, target = new { passwordId = oldId } });
        Assert.Equal(HttpStatusCode.BadRequest, same.StatusCode);
        Assert.Contains("already uses the target password", await same.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var first = await CreateAsync(api, new { source = new { stationIdentities = new[] { identity } }, target = new { generate = new { length = 40 } } });
        var second = await api.PostAsJsonAsync(RotationsPath, new { source = new { stationIdentities = new[] { identity } }, target = new { generate = new { length = 40 } } });
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Contains(first.ToString(), await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_stops_waiting_stations_and_a_finished_rotation_cannot_be_cancelled_or_paused()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        var id = await CreateAsync(api, new { source = new { stationIdentities = new[] { identity } }, target = new { generate = new { length = 40 } } });

        var pause = await api.PostAsync($"{RotationsPath}/{id}/pause", null);
        Assert.Equal("Paused", (await pause.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        var resume = await api.PostAsync($"{RotationsPath}/{id}/resume", null);
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        var cancel = await api.PostAsync($"{RotationsPath}/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var cancelled = await cancel.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Cancelled", cancelled.GetProperty("state").GetString());
        Assert.Equal("Cancelled", Row(cancelled, identity).GetProperty("state").GetString());

        var again = await api.PostAsync($"{RotationsPath}/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("Cancelled", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsync($"{RotationsPath}/{id}/pause", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync($"{RotationsPath}/{Guid.NewGuid()}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync($"{RotationsPath}/{id}/stations/NO-SUCH/retry", null)).StatusCode);
    }

    [Fact]
    public async Task Bad_shapes_are_400_with_the_field()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);

        var noTarget = await api.PostAsJsonAsync(RotationsPath, new { source = new { stationIdentities = new[] { identity } } });
        var badLength = await api.PostAsJsonAsync(RotationsPath, new { source = new { stationIdentities = new[] { identity } }, target = new { perStation = new { length = 33 } } });
        var twoSources = await api.PostAsJsonAsync(RotationsPath, new { source = new { stationIdentities = new[] { identity }, companyId = Guid.NewGuid() }, target = new { generate = new { length = 40 } } });

        Assert.Equal(HttpStatusCode.BadRequest, noTarget.StatusCode);
        Assert.Contains("target", await noTarget.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badLength.StatusCode);
        Assert.Contains("32, 34, 36, 38, 40", await badLength.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, twoSources.StatusCode);
    }

    [Fact]
    public async Task A_user_without_the_right_gets_403_and_the_right_is_in_the_catalogue()
    {
        var server = await UserMgmtServer.GetAsync();
        var tenant = await server.NewTenantAsync();
        var group = await tenant.GroupAsync("Security only", "Instance", ["Settings.OcppSecuritySettings"]);
        await tenant.UserAsync("no-rotate", [group]);
        using var user = await tenant.LoginAsync("no-rotate");

        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync(RotationsPath)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.PostAsJsonAsync(RotationsPath, new { source = new { stationIdentities = new List<string> { "X" } }, target = new { generate = new { length = 40 } } })).StatusCode);

        var rights = await tenant.GetJsonAsync($"/api/v1/groups/{group}/rights");
        var right = rights.GetProperty("rights").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "Settings.RotateOcppPasswords");
        Assert.Equal("Settings", right.GetProperty("tab").GetString());
        Assert.Equal("Rotate OCPP passwords", right.GetProperty("label").GetString());
        Assert.False(right.GetProperty("granted").GetBoolean());
    }
}
