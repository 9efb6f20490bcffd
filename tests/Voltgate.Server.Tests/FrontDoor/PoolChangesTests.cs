using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.FrontDoor;

/// <summary>The handshake follows the pool at once: new entries admit, disabled ones refuse, usage is tracked.</summary>
[Collection(ServerCollection.Name)]
public sealed class PoolChangesTests(ServerPool pool)
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_new_entry_admits_at_once_and_the_list_shows_who_used_it(string provider)
    {
        var server = await pool.GetAsync(provider);
        using var api = await server.AdminClientAsync();
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        var password = Arrange.RandomPassword();
        var refused = await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);

        var id = await api.PasswordAsync(password);
        var admitted = await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6");

        Assert.Equal(HttpStatusCode.SwitchingProtocols, admitted.Status);
        await admitted.Station!.DisposeAsync();
        await server.FlushAsync();
        var entry = await api.GetFromJsonAsync<JsonElement>($"/api/v1/ocpp-security/basic-auth-passwords/{id}");
        Assert.Equal(1, entry.GetProperty("stationCount").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, entry.GetProperty("lastUsedAt").ValueKind);
        var users = await api.GetFromJsonAsync<JsonElement>($"/api/v1/ocpp-security/basic-auth-passwords/{id}/stations");
        Assert.Equal(identity, users.GetProperty("items")[0].GetProperty("identity").GetString());
    }

    [Fact]
    public async Task A_disabled_entry_refuses_new_handshakes_but_live_sessions_stay()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        var password = Arrange.RandomPassword();
        var id = await api.PasswordAsync(password);
        var live = await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6");
        await using var station = live.Station!;
        await server.FlushAsync();

        var inUse = await api.PostAsync($"/api/v1/ocpp-security/basic-auth-passwords/{id}/disable", null);
        Assert.Equal(HttpStatusCode.Conflict, inUse.StatusCode);
        Assert.Contains(identity, await inUse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var forced = await api.PostAsync($"/api/v1/ocpp-security/basic-auth-passwords/{id}/disable?force=true", null);
        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);

        var second = Arrange.NewIdentity();
        await api.StationAsync(second);
        var refused = await TestStation.ConnectAsync(server.AuthEndpoint, second, password, "ocpp1.6");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal("PasswordDisabled", (await api.LastAttemptAsync(server, second)).GetProperty("reason").GetString());
        Assert.False(station.Closed.IsCompleted, "disabling an entry must not cut live sessions");
    }

    [Fact]
    public async Task A_pinned_station_is_admitted_only_by_its_pinned_entries()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var pinnedPassword = Arrange.RandomPassword();
        var otherPassword = Arrange.RandomPassword();
        var pinned = await api.PasswordAsync(pinnedPassword);
        await api.PasswordAsync(otherPassword);
        var identity = Arrange.NewIdentity();
        var created = await api.PostAsJsonAsync("/api/v1/stations", new { identity, pinnedPasswordIds = new[] { pinned } });
        created.EnsureSuccessStatusCode();

        var other = await TestStation.ConnectAsync(server.AuthEndpoint, identity, otherPassword, "ocpp1.6");
        var own = await TestStation.ConnectAsync(server.AuthEndpoint, identity, pinnedPassword, "ocpp1.6");

        Assert.Equal(HttpStatusCode.Unauthorized, other.Status);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, own.Status);
        await own.Station!.DisposeAsync();
    }

    [Theory]
    [InlineData("AdmitAsPending", "Pending")]
    [InlineData("AdmitAsAccepted", "Accepted")]
    public async Task An_unknown_station_is_created_when_the_policy_admits_it(string policy, string status)
    {
        var server = await pool.GetAsync("Sqlite");
        var tenant = await server.CreateTenantAsync();
        using var api = await server.AdminClientAsync(tenant);
        await api.SettingsAsync(new { unknownStationPolicy = policy });
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity("NEW");

        var wrong = await TestStation.ConnectAsync(new Uri(server.AuthEndpoint, tenant + "/"), identity, "wrong-password-12345", "ocpp1.6");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/stations/{identity}")).StatusCode);

        var result = await TestStation.ConnectAsync(new Uri(server.AuthEndpoint, tenant + "/"), identity, password, "ocpp1.6");

        Assert.Equal(HttpStatusCode.SwitchingProtocols, result.Status);
        await result.Station!.DisposeAsync();
        var station = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}");
        Assert.Equal(status, station.GetProperty("registrationStatus").GetString());
    }
}
