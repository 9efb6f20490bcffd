using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Voltgate.Server.Tests.Support;
using Voltgate.Server.Tests.UserManagement;
using static Voltgate.Server.Tests.Rotation.RotationHelpers;

namespace Voltgate.Server.Tests.Rotation;

/// <summary>The bad inputs of issue 17 not covered by <see cref="RotationBadInputTests"/>: data scope, cancel while Sent, profile shapes.</summary>
[Collection(ServerCollection.Name)]
public sealed class RotationScopeAndCancelTests(ServerPool pool)
{
    [Fact]
    public async Task A_station_of_another_company_than_the_callers_scope_is_refused_and_nothing_is_created()
    {
        var tenant = await (await UserMgmtServer.GetAsync()).NewTenantAsync();
        var (a, b) = (await tenant.CompanyAsync("A"), await tenant.CompanyAsync("B"));
        var (inA, inB) = ($"CP-A-{tenant.Slug}", $"CP-B-{tenant.Slug}");
        Assert.Equal(HttpStatusCode.Created, (await tenant.Admin.PostAsJsonAsync("/api/v1/stations", new { identity = inA, companyId = a })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await tenant.Admin.PostAsJsonAsync("/api/v1/stations", new { identity = inB, companyId = b })).StatusCode);
        var group = await tenant.GroupAsync("rotators-a", "Company", ["Settings.RotateOcppPasswords", "Settings.OcppSecuritySettings", "Stations.View"], a);
        await tenant.UserAsync("rotator-a", [group], a);
        using var user = await tenant.LoginAsync("rotator-a");
        async Task<int> PoolSize() => (await tenant.GetJsonAsync("/api/v1/ocpp-security/basic-auth-passwords?take=500")).GetProperty("total").GetInt32();
        var poolBefore = await PoolSize();

        var byIdentity = await user.PostAsJsonAsync(RotationsPath, new { source = new { stationIdentities = new[] { inA, inB } }, target = new { generate = new { length = 40 } } });
        var byCompany = await user.PostAsJsonAsync(RotationsPath, new { source = new { companyId = b }, target = new { generate = new { length = 40 } } });

        Assert.Equal(HttpStatusCode.BadRequest, byIdentity.StatusCode);
        var text = await byIdentity.Content.ReadAsStringAsync();
        Assert.Contains(inB, text, StringComparison.Ordinal);
        Assert.Contains("outside your data scope", text, StringComparison.Ordinal);
        Assert.DoesNotContain(inA + ",", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, byCompany.StatusCode);
        var companyText = await byCompany.Content.ReadAsStringAsync();
        Assert.True(companyText.Contains("outside your data scope", StringComparison.Ordinal) || companyText.Contains("names no station", StringComparison.Ordinal), companyText);
        Assert.Equal(0, (await tenant.GetJsonAsync(RotationsPath)).GetProperty("total").GetInt32());
        Assert.Equal(poolBefore, await PoolSize());

        // Its own company's station is fine.
        Assert.Equal(HttpStatusCode.Created, (await user.PostAsJsonAsync(RotationsPath, new { source = new { stationIdentities = new[] { inA } }, target = new { generate = new { length = 40 } } })).StatusCode);
    }

    [Fact]
    public async Task Cancel_while_Sent_cancels_the_row_and_a_late_Accepted_is_still_followed_and_pinned()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var old = Arrange.RandomPassword();
        await api.PasswordAsync(old);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        var (station, _) = await ConnectAsync(server, identity, old);
        await using var _s = station;
        using var release = new ManualResetEventSlim();
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        station.OnServerCall = (action, payload) =>
        {
            if (action != "ChangeConfiguration")
            {
                return new JsonObject();
            }

            // Holds the answer (this station's receive loop) until the test has cancelled.
            received.TrySetResult();
            release.Wait(TimeSpan.FromSeconds(20));
            return new JsonObject { ["status"] = "Accepted" };
        };

        var id = await CreateAsync(api, new { source = new { stationIdentities = new[] { identity } }, target = new { generate = new { length = 40 } } });
        await received.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await WaitForAsync(api, id, identity, "Sent");
        var cancel = await api.PostAsync($"{RotationsPath}/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var cancelled = await cancel.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Cancelled", cancelled.GetProperty("state").GetString());
        var row = Row(cancelled, identity);
        Assert.Equal("Cancelled", row.GetProperty("state").GetString());
        Assert.Contains("while the change was with the station", row.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // The station accepts anyway: it did change its password, so the row follows it and the pinning applies.
        release.Set();
        await WaitForAsync(api, id, identity, "Accepted");
        await station.DisposeAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await HandshakeAsync(server, identity, System.Text.Encoding.UTF8.GetBytes(old))).Status);
    }

    [Fact]
    public async Task Security_profile_rotations_refuse_bad_shapes_and_stations_not_allowed_on_public()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var (onlyPrivate, onlyPublic) = (Arrange.NewIdentity(), Arrange.NewIdentity());
        await api.StationAsync(onlyPrivate, "privateauth");
        await api.StationAsync(onlyPublic, "public");
        var before = (await api.GetFromJsonAsync<JsonElement>($"{RotationsPath}?take=500")).GetProperty("total").GetInt32();

        var wrongVariant = await api.PostAsJsonAsync(RotationsPath, new { kind = "securityProfile", targetVariant = "private", source = new { stationIdentities = new[] { onlyPrivate } } });
        var withTarget = await api.PostAsJsonAsync(RotationsPath, new { kind = "securityProfile", targetVariant = "public", source = new { stationIdentities = new[] { onlyPrivate } }, target = new { generate = new { length = 40 } } });
        var badKind = await api.PostAsJsonAsync(RotationsPath, new { kind = "firmware", source = new { stationIdentities = new[] { onlyPrivate } } });
        var refused = await api.PostAsJsonAsync(RotationsPath, new { kind = "securityProfile", targetVariant = "public", source = new { stationIdentities = new[] { onlyPrivate, onlyPublic } } });
        var farSchedule = await api.PostAsJsonAsync(RotationsPath, new { source = new { stationIdentities = new[] { onlyPrivate } }, target = new { generate = new { length = 40 } }, notBefore = DateTimeOffset.UtcNow.AddYears(2) });

        Assert.Equal(HttpStatusCode.BadRequest, wrongVariant.StatusCode);
        Assert.Contains("targetVariant must be \\\"public\\\"", await wrongVariant.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, withTarget.StatusCode);
        Assert.Contains("keeps each station's password", await withTarget.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        Assert.Contains("securityProfile", await badKind.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("not allowed on public", errors.GetProperty($"stations.{onlyPrivate}")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("already admitted on public only", errors.GetProperty($"stations.{onlyPublic}")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, farSchedule.StatusCode);
        Assert.Contains("notBefore", await farSchedule.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, (await api.GetFromJsonAsync<JsonElement>($"{RotationsPath}?take=500")).GetProperty("total").GetInt32());
    }
}
