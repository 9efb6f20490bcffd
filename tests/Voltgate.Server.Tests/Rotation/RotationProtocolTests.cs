using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Voltgate.Server.Tests.Support;
using static Voltgate.Server.Tests.Rotation.RotationHelpers;

namespace Voltgate.Server.Tests.Rotation;

/// <summary>2.0.1 password rotation, the security-profile upgrade on both protocols, and the schedule.</summary>
[Collection(ServerCollection.Name)]
public sealed class RotationProtocolTests(ServerPool pool)
{
    private static async Task<TestStation> Connect201Async(VoltgateServer server, string identity, string password, Func<string, JsonNode?, JsonNode?> answer)
    {
        var result = await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp2.0.1");
        Assert.True(result.Upgraded, $"{identity} could not connect over 2.0.1: {result.Status}");
        result.Station!.OnServerCall = answer;
        return result.Station;
    }

    private static JsonObject VariableResult(string status, string component, string variable) => new()
    {
        ["setVariableResult"] = new JsonArray(new JsonObject
        {
            ["attributeStatus"] = status,
            ["component"] = new JsonObject { ["name"] = component },
            ["variable"] = new JsonObject { ["name"] = variable },
        }),
    };

    [Fact]
    public async Task A_201_station_gets_SetVariables_BasicAuthPassword_and_comes_back_with_the_text()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var old = Arrange.RandomPassword();
        await api.PasswordAsync(old);
        var identity = Arrange.NewIdentity("V201");
        await api.StationAsync(identity);
        var sent = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        var station = await Connect201Async(server, identity, old, (action, payload) =>
        {
            if (action != "SetVariables")
            {
                return new JsonObject();
            }

            sent.TrySetResult(payload!.DeepClone());
            return VariableResult("Accepted", "SecurityCtrlr", "BasicAuthPassword");
        });
        await server.FlushAsync();

        var id = await CreateAsync(api, new { source = new { stationIdentities = new[] { identity } }, target = new { generate = new { length = 40 } } });
        var data = (await sent.Task.WaitAsync(TimeSpan.FromSeconds(20)))["setVariableData"]![0]!;
        Assert.Equal("SecurityCtrlr", data["component"]!["name"]!.GetValue<string>());
        Assert.Equal("BasicAuthPassword", data["variable"]!["name"]!.GetValue<string>());
        var secret = data["attributeValue"]!.GetValue<string>();
        Assert.Equal(40, secret.Length);
        await WaitForAsync(api, id, identity, "Accepted");

        // 2.0.1 sends the passwordString as UTF-8 text, never decoded hex.
        await station.DisposeAsync();
        var back = await TestStation.ConnectAsync(server.AuthEndpoint, identity, secret, "ocpp2.0.1");
        Assert.True(back.Upgraded, $"the new 2.0.1 password was refused: {back.Status}");
        await using var _ = back.Station!;
        await server.FlushAsync();
        await WaitForAsync(api, id, identity, "Done");
        var oldAgain = await TestStation.ConnectAsync(server.AuthEndpoint, identity, old, "ocpp2.0.1");
        Assert.Equal(HttpStatusCode.Unauthorized, oldAgain.Status);

        // The value is a secret: never in the audit trail.
        Assert.DoesNotContain(secret, await api.GetStringAsync("/api/v1/audit-events?take=500"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_201_answer_of_UnknownVariable_is_NotSupported_and_Rejected_is_Rejected()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var old = Arrange.RandomPassword();
        await api.PasswordAsync(old);
        var (unknown, rejecting) = (Arrange.NewIdentity("V201"), Arrange.NewIdentity("V201"));
        await api.StationAsync(unknown);
        await api.StationAsync(rejecting);
        await using var a = await Connect201Async(server, unknown, old, (_, _) => VariableResult("UnknownVariable", "SecurityCtrlr", "BasicAuthPassword"));
        await using var b = await Connect201Async(server, rejecting, old, (_, _) => VariableResult("Rejected", "SecurityCtrlr", "BasicAuthPassword"));

        var id = await CreateAsync(api, new { source = new { stationIdentities = new[] { unknown, rejecting } }, target = new { perStation = new { length = 32 } } });

        Assert.Contains("UnknownVariable", (await WaitForAsync(api, id, unknown, "NotSupported")).GetProperty("reason").GetString(), StringComparison.Ordinal);
        await WaitForAsync(api, id, rejecting, "Rejected");
        var again = await TestStation.ConnectAsync(server.AuthEndpoint, rejecting, old, "ocpp2.0.1");
        Assert.True(again.Upgraded, "after Rejected the old password must still be admitted (A01.FR.04)");
        await again.Station!.DisposeAsync();
    }

    [Fact]
    public async Task A_50_character_target_fits_a_201_station_but_is_refused_for_a_16_one_by_name()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var old = Arrange.RandomPassword();
        await api.PasswordAsync(old);
        // 50 characters: the pool takes it (2.0.1 errata: up to 64), 1.6 cannot carry it (more than 20 bytes).
        var fifty = "long-201-" + Guid.NewGuid().ToString("N") + "abcdefghi";
        Assert.Equal(50, fifty.Length);
        var target = await api.PasswordAsync(fifty);
        var (v16, v201) = (Arrange.NewIdentity(), Arrange.NewIdentity("V201"));
        await api.StationAsync(v16);
        await api.StationAsync(v201);
        var (old16, _) = await ConnectAsync(server, v16, old);
        await using var __ = old16;
        await using var s201 = await Connect201Async(server, v201, old, (_, _) => VariableResult("Accepted", "SecurityCtrlr", "BasicAuthPassword"));

        var mixed = await api.PostAsJsonAsync(RotationsPath, new { source = new { stationIdentities = new[] { v16, v201 } }, target = new { passwordId = target } });
        Assert.Equal(HttpStatusCode.BadRequest, mixed.StatusCode);
        var problem = await mixed.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.Contains("OCPP 1.6 cannot carry this password", errors.GetProperty($"stations.{v16}")[0].GetString(), StringComparison.Ordinal);
        Assert.False(errors.TryGetProperty($"stations.{v201}", out _), $"the 2.0.1 station can take 50 characters: {problem}");

        var id = await CreateAsync(api, new { source = new { stationIdentities = new[] { v201 } }, target = new { passwordId = target } });
        await WaitForAsync(api, id, v201, "Accepted");
        Assert.Contains(s201.ServerCalls, c => c.Action == "SetVariables" && c.Payload!["setVariableData"]![0]!["attributeValue"]!.GetValue<string>() == fifty);
    }

    [Fact]
    public async Task A_16_security_profile_upgrade_moves_the_station_to_public_and_then_refuses_privateauth()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        var (station, _) = await ConnectAsync(server, identity, password);
        var profile = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        station.OnServerCall = (action, payload) =>
        {
            if (action == "ChangeConfiguration" && payload?["key"]?.GetValue<string>() == "SecurityProfile")
            {
                profile.TrySetResult(payload["value"]!.GetValue<string>());
                return new JsonObject { ["status"] = "Accepted" };
            }

            return new JsonObject { ["status"] = "Rejected" };
        };

        var id = await CreateAsync(api, new { kind = "securityProfile", targetVariant = "public", source = new { stationIdentities = new[] { identity } } });
        Assert.Equal("2", await profile.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        var accepted = await WaitForAsync(api, id, identity, "Accepted");
        Assert.Contains("security profile 2", accepted.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // Until it has connected on public, the lower variant still admits it (a station that cannot do TLS falls back).
        await station.DisposeAsync();
        var fallback = await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6");
        Assert.True(fallback.Upgraded, $"privateauth must admit the station until it reached public: {fallback.Status}");
        await fallback.Station!.DisposeAsync();

        var tls = await TestStation.ConnectAsync(server.PublicEndpoint, identity, password, "ocpp1.6");
        Assert.True(tls.Upgraded, $"public refused the upgraded station: {tls.Status}");
        await using (tls.Station!)
        {
            await server.FlushAsync();
            var done = await WaitForAsync(api, id, identity, "Done");
            Assert.Contains("no longer admitted on privateauth", done.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }

        var lower = await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6");
        Assert.Equal(HttpStatusCode.Unauthorized, lower.Status);
        var attempt = await api.LastAttemptAsync(server, identity);
        Assert.Equal("VariantNotAllowed", attempt.GetProperty("reason").GetString());
        Assert.Contains("only allowed public", attempt.ToString(), StringComparison.Ordinal);
        var rotation = await GetAsync(api, id);
        Assert.Equal("securityProfile", rotation.GetProperty("kind").GetString());
        Assert.Equal("public", rotation.GetProperty("target").GetProperty("variant").GetString());

        // Recovery: admit the previous variants again for this station (audited).
        var admit = await api.PostAsync($"{RotationsPath}/{id}/stations/{identity}/admit-previous", null);
        Assert.Equal(HttpStatusCode.OK, admit.StatusCode);
        var again = await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6");
        Assert.True(again.Upgraded, $"admit-previous must let privateauth in again: {again.Status}");
        await again.Station!.DisposeAsync();
    }

    [Fact]
    public async Task A_201_security_profile_upgrade_sends_network_profile_priority_and_reset_in_order()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity("V201");
        await api.StationAsync(identity);
        await using var station = await Connect201Async(server, identity, password, (action, _) => action switch
        {
            "SetNetworkProfile" => new JsonObject { ["status"] = "Accepted" },
            "SetVariables" => VariableResult("Accepted", "OCPPCommCtrlr", "NetworkConfigurationPriority"),
            "Reset" => new JsonObject { ["status"] = "Accepted" },
            _ => new JsonObject(),
        });
        await server.FlushAsync();
        var before = (await api.GetFromJsonAsync<JsonElement>($"{RotationsPath}?take=500")).GetProperty("total").GetInt32();

        var noUrl = await api.PostAsJsonAsync(RotationsPath, new { kind = "securityProfile", targetVariant = "public", source = new { stationIdentities = new[] { identity } } });
        Assert.Equal(HttpStatusCode.BadRequest, noUrl.StatusCode);
        Assert.Contains("csmsUrl", await noUrl.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, (await api.GetFromJsonAsync<JsonElement>($"{RotationsPath}?take=500")).GetProperty("total").GetInt32());

        var url = server.PublicEndpoint.ToString();
        var id = await CreateAsync(api, new { kind = "securityProfile", targetVariant = "public", csmsUrl = url, source = new { stationIdentities = new[] { identity } } });
        await WaitForAsync(api, id, identity, "Accepted");
        var calls = station.ServerCalls.Where(c => c.Action is "SetNetworkProfile" or "SetVariables" or "Reset").ToList();
        Assert.Equal(["SetNetworkProfile", "SetVariables", "Reset"], calls.Select(c => c.Action));
        var network = calls[0].Payload!;
        Assert.Equal(2, network["connectionData"]!["securityProfile"]!.GetValue<int>());
        Assert.Equal(url, network["connectionData"]!["ocppCsmsUrl"]!.GetValue<string>());
        Assert.Equal("2,1", calls[1].Payload!["setVariableData"]![0]!["attributeValue"]!.GetValue<string>());
        Assert.Equal("OnIdle", calls[2].Payload!["type"]!.GetValue<string>());

        var tls = await TestStation.ConnectAsync(server.PublicEndpoint, identity, password, "ocpp2.0.1");
        Assert.True(tls.Upgraded, $"public refused the upgraded 2.0.1 station: {tls.Status}");
        await using var _ = tls.Station!;
        await server.FlushAsync();
        await WaitForAsync(api, id, identity, "Done");
        Assert.Equal(HttpStatusCode.Unauthorized, (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp2.0.1")).Status);
    }

    [Fact]
    public async Task Nothing_is_sent_before_notBefore()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var old = Arrange.RandomPassword();
        await api.PasswordAsync(old);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        var (station, key) = await ConnectAsync(server, identity, old);
        await using var _ = station;
        var notBefore = DateTimeOffset.UtcNow.AddSeconds(5);

        var id = await CreateAsync(api, new { source = new { stationIdentities = new[] { identity } }, target = new { generate = new { length = 40 } }, notBefore });

        var rotation = await GetAsync(api, id);
        Assert.Contains("Scheduled", Row(rotation, identity).GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(notBefore.ToUnixTimeSeconds(), rotation.GetProperty("notBefore").GetDateTimeOffset().ToUnixTimeSeconds());
        await Task.Delay(2000);
        Assert.False(key.Task.IsCompleted, "the push must wait for notBefore");
        Assert.Equal("Waiting", Row(await GetAsync(api, id), identity).GetProperty("state").GetString());
        await key.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(DateTimeOffset.UtcNow >= notBefore.AddMilliseconds(-50), "sent before notBefore");
        await WaitForAsync(api, id, identity, "Accepted");
    }

    [Fact]
    public async Task A_Strict_hex_tenant_gets_a_warning_for_a_hex_target_to_16_stations()
    {
        var tenant = await (await UserManagement.UserMgmtServer.GetAsync()).NewTenantAsync();
        var put = await tenant.Admin.PutAsJsonAsync("/api/v1/ocpp-security/settings", new { hexMatching = "Strict" });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var identity = Arrange.NewIdentity();
        Assert.Equal(HttpStatusCode.Created, (await tenant.Admin.PostAsJsonAsync("/api/v1/stations", new { identity })).StatusCode);

        var created = await tenant.Admin.PostAsJsonAsync(RotationsPath, new { source = new { stationIdentities = new[] { identity } }, target = new { generate = new { length = 40 } } });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("Lenient", body.GetProperty("warnings")[0].GetString(), StringComparison.Ordinal);
    }
}
