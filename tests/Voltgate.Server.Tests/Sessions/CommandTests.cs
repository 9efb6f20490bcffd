using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.Sessions;

/// <summary>Remote commands through the API: the station's answer, or a clear error for each way it can go wrong.</summary>
[Collection(ServerCollection.Name)]
public sealed class CommandTests(ServerPool pool)
{
    private async Task<(HttpClient Api, TestStation Station, string Identity)> OnlineAsync()
    {
        var server = await pool.GetAsync("Sqlite");
        var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        var station = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6")).Station!;
        return (api, station, identity);
    }

    [Fact]
    public async Task A_reset_reaches_the_station_and_its_answer_comes_back()
    {
        var (api, station, identity) = await OnlineAsync();
        using var _ = api;
        await using var __ = station;
        station.OnServerCall = (action, _) => action == "Reset" ? new JsonObject { ["status"] = "Accepted" } : null;

        var response = await api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/Reset", new { type = "Soft" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Accepted", body.GetProperty("response").GetProperty("status").GetString());
        Assert.Equal("Soft", station.ServerCalls.Single().Payload!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_station_answering_with_a_CALLERROR_gives_502_with_its_code()
    {
        var (api, station, identity) = await OnlineAsync();
        using var _ = api;
        await using var __ = station;
        station.OnServerCall = (_, _) => new JsonObject { ["$callError"] = "NotSupported" };

        var response = await api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/ClearCache", new { });

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("CallError", body.GetProperty("outcome").GetString());
        Assert.Equal("NotSupported", body.GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task A_silent_station_times_out_and_the_queue_moves_on()
    {
        var (api, station, identity) = await OnlineAsync();
        using var _ = api;
        await using var __ = station;
        var calls = 0;
        station.OnServerCall = (_, _) => Interlocked.Increment(ref calls) == 1 ? null : new JsonObject { ["status"] = "Accepted" };

        var first = api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/ClearCache", new { });
        // The second command must queue behind the first: send it once the station has the first one (two
        // concurrent requests may otherwise reach the queue in either order).
        for (var waited = 0; Volatile.Read(ref calls) == 0 && waited < 100; waited++)
        {
            await Task.Delay(50);
        }

        var second = api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/ClearCache", new { });

        // Whichever reaches the station first is the one it ignores; the other must still be answered after the timeout.
        var statuses = new[] { (await first).StatusCode, (await second).StatusCode }.Order().ToArray();
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.GatewayTimeout], statuses);
    }

    [Fact]
    public async Task Commands_are_refused_clearly_for_offline_unknown_and_invalid_requests()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var offline = Arrange.NewIdentity();
        await api.StationAsync(offline);

        var toOffline = await api.PostAsJsonAsync($"/api/v1/stations/{offline}/commands/Reset", new { type = "Hard" });
        var toUnknown = await api.PostAsJsonAsync("/api/v1/stations/NO-SUCH-STATION/commands/Reset", new { type = "Hard" });
        var badBody = await api.PostAsJsonAsync($"/api/v1/stations/{offline}/commands/Reset", new { type = "Gentle" });
        var notACommand = await api.PostAsJsonAsync($"/api/v1/stations/{offline}/commands/BootNotification", new { });

        Assert.Equal(HttpStatusCode.Conflict, toOffline.StatusCode);
        Assert.Contains("offline", await toOffline.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, toUnknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badBody.StatusCode);
        Assert.Contains("type", await badBody.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, notACommand.StatusCode);
    }
}
