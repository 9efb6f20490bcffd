using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Voltgate.Server.Tests.Support;
using static Voltgate.Server.Tests.Rotation.RotationHelpers;

namespace Voltgate.Server.Tests.Rotation;

/// <summary>
/// After a rotation: the station's connection diagnostics say that it tried its pre-rotation password and when it
/// accepted the change, and "retire the source entry" disables the old entry only once no unrotated station uses it.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class RotationRecoveryTests(ServerPool pool)
{
    private const string PoolPath = "/api/v1/ocpp-security/basic-auth-passwords";

    [Fact]
    public async Task The_connection_diagnostics_say_the_station_tried_its_pre_rotation_password_after_accepting_the_change()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var old = Arrange.RandomPassword();
        var label = "depot-" + Guid.NewGuid().ToString("N")[..6];
        await api.PasswordAsync(old, tenantLabel: label);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        var (station, key) = await ConnectAsync(server, identity, old);
        await server.FlushAsync();

        var id = await CreateAsync(api, new { source = new { stationIdentities = new[] { identity } }, target = new { generate = new { length = 40 } } });
        await key.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await WaitForAsync(api, id, identity, "Accepted");
        await station.DisposeAsync();

        // Back with the old password (the libocpp-style bug): refused, and the diagnostics name exactly that.
        var withOld = await HandshakeAsync(server, identity, Encoding.UTF8.GetBytes(old));
        Assert.Equal(HttpStatusCode.Unauthorized, withOld.Status);
        var attempt = await api.LastAttemptAsync(server, identity);
        Assert.Equal("PasswordMismatch", attempt.GetProperty("reason").GetString());
        var explanation = attempt.GetProperty("explanation").GetString()!;
        Assert.Matches(@"^Tried the pre-rotation password \(""" + label + @"""\) at \d\d:\d\d UTC — this station accepted the change at \d\d:\d\d UTC\.", explanation);
        Assert.Contains("admit the previous password again", attempt.GetProperty("hint").GetString(), StringComparison.Ordinal);

        var german = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/connection-attempts?lang=de");
        Assert.StartsWith("Hat das Passwort von vor der Rotation", german.GetProperty("items")[0].GetProperty("explanation").GetString(), StringComparison.Ordinal);

        Assert.DoesNotContain(old, german.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pinned_station_trying_another_pool_entry_is_told_which_entry_it_used()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var pinned = await api.PasswordAsync(Arrange.RandomPassword(), tenantLabel: "pinned-entry");
        var other = Arrange.RandomPassword();
        await api.PasswordAsync(other, tenantLabel: "other-entry");
        var identity = Arrange.NewIdentity();
        var created = await api.PostAsJsonAsync("/api/v1/stations", new { identity, pinnedPasswordIds = new[] { pinned } });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());

        // A second pinned station sends a password that is no pool entry at all (refused rows of one identity fold together).
        var wrongIdentity = Arrange.NewIdentity();
        created = await api.PostAsJsonAsync("/api/v1/stations", new { identity = wrongIdentity, pinnedPasswordIds = new[] { pinned } });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());

        var refused = await HandshakeAsync(server, identity, Encoding.UTF8.GetBytes(other));
        var wrong = await HandshakeAsync(server, wrongIdentity, Encoding.UTF8.GetBytes(Arrange.RandomPassword()));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        var attempt = await api.LastAttemptAsync(server, identity);
        Assert.Equal("PasswordMismatch", attempt.GetProperty("reason").GetString());
        Assert.Equal("The password belongs to entry \"other-entry\", but this station is pinned to other entries.", attempt.GetProperty("explanation").GetString());
        var plain = await api.LastAttemptAsync(server, wrongIdentity);
        Assert.Equal(JsonValueKind.Null, plain.GetProperty("passwordId").ValueKind);
        Assert.StartsWith("The password matches no active BasicAuth password", plain.GetProperty("explanation").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retiring_the_source_entry_is_refused_while_an_unrotated_station_uses_it_and_disables_it_afterwards()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var old = Arrange.RandomPassword();
        var source = await api.PasswordAsync(old, tenantLabel: "retire-me");
        var (moving, staying) = (Arrange.NewIdentity(), Arrange.NewIdentity());
        await api.StationAsync(moving);
        await api.StationAsync(staying);
        var (a, aKey) = await ConnectAsync(server, moving, old);
        var answer = "Rejected";
        var bKey = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var connected = await TestStation.ConnectAsync(server.AuthEndpoint, staying, old, "ocpp1.6");
        var b = connected.Station!;
        b.OnServerCall = (action, payload) =>
        {
            if (action == "ChangeConfiguration")
            {
                bKey.TrySetResult(payload!["value"]!.GetValue<string>());
                return new JsonObject { ["status"] = answer };
            }

            return new JsonObject();
        };
        await server.FlushAsync();

        var id = await CreateAsync(api, new { source = new { passwordId = source }, target = new { generate = new { length = 40 } } });
        var newKey = await aKey.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await WaitForAsync(api, id, moving, "Accepted");
        await WaitForAsync(api, id, staying, "Rejected");
        await a.DisposeAsync();
        var back = await HandshakeAsync(server, moving, Convert.FromHexString(newKey));
        Assert.True(back.Upgraded, $"the new password was refused: {back.Status}");
        await using var __ = back.Station!;
        await server.FlushAsync();
        await WaitForAsync(api, id, moving, "Done");

        // The Rejected station still logs in with the source entry: retiring it would lock that station out.
        var refused = await api.PostAsync($"{RotationsPath}/{id}/retire-source", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadAsStringAsync();
        Assert.Contains(staying, problem, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", problem, StringComparison.Ordinal);
        Assert.Equal("Active", (await api.GetFromJsonAsync<JsonElement>($"{PoolPath}/{source}")).GetProperty("state").GetString());
        var entries = await api.GetFromJsonAsync<JsonElement>($"{RotationsPath}/{id}/source-entries");
        var entry = entries.GetProperty("items").EnumerateArray().Single();
        Assert.Equal(source, entry.GetProperty("id").GetGuid());
        Assert.Equal(1, entry.GetProperty("stationsUsing").GetInt32());
        Assert.False(entry.GetProperty("retirable").GetBoolean());

        // Retried, it accepts and comes back with the new password: now nobody uses the source entry.
        answer = "Accepted";
        bKey = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{RotationsPath}/{id}/stations/{staying}/retry", null)).StatusCode);
        await bKey.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await WaitForAsync(api, id, staying, "Accepted");
        await b.DisposeAsync();
        var bBack = await HandshakeAsync(server, staying, Convert.FromHexString(newKey));
        Assert.True(bBack.Upgraded, $"the new password was refused: {bBack.Status}");
        await using var ___ = bBack.Station!;
        await server.FlushAsync();
        await WaitForAsync(api, id, staying, "Done");
        Assert.True((await api.GetFromJsonAsync<JsonElement>($"{RotationsPath}/{id}/source-entries")).GetProperty("items")[0].GetProperty("retirable").GetBoolean());

        var retired = await api.PostAsync($"{RotationsPath}/{id}/retire-source", null);
        Assert.Equal(HttpStatusCode.OK, retired.StatusCode);
        Assert.Equal("Disabled", (await api.GetFromJsonAsync<JsonElement>($"{PoolPath}/{source}")).GetProperty("state").GetString());
        var audit = await api.GetStringAsync("/api/v1/audit-events?take=500");
        Assert.Contains("OcppSecurity.RotationSourceRetired", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(old, audit, StringComparison.Ordinal);

        var again = await api.PostAsync($"{RotationsPath}/{id}/retire-source", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync($"{RotationsPath}/{Guid.NewGuid()}/retire-source", null)).StatusCode);
    }
}
