using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.Sessions;

/// <summary>
/// A command sent to a station whose connection then closes before it answers (a hard reset) is told apart from
/// one to a station that was offline before anything was sent (issue 18 item 7): 504 with its own problem type
/// versus 409 "offline".
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class CommandConnectionClosedTests(ServerPool pool)
{
    [Fact]
    public async Task A_hard_reset_that_drops_the_connection_before_answering_is_not_reported_as_offline()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        var station = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6")).Station!;
        await using var connected = station;
        station.OnServerCall = (action, payload) =>
        {
            // Like a real charger: it reboots at once and never answers the Reset.
            _ = Task.Run(station.AbortAsync);
            return null;
        };

        var reset = await api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/Reset", new { type = "Hard" });

        Assert.Equal(HttpStatusCode.GatewayTimeout, reset.StatusCode);
        var problem = await reset.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("urn:voltgate:problem:connection-closed-before-answer", problem.GetProperty("type").GetString());
        Assert.Equal("ConnectionClosedBeforeAnswer", problem.GetProperty("code").GetString());
        Assert.Contains("may have carried it out", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Reset", Assert.Single(station.ServerCalls).Action); // it did reach the station

        // Now it is offline: the next command is refused before anything is sent, with the other type.
        HttpResponseMessage? again = null;
        for (var tries = 0; tries < 50; tries++)
        {
            again = await api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/Reset", new { type = "Hard" });
            if (again.StatusCode == HttpStatusCode.Conflict)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.Conflict, again!.StatusCode);
        var offline = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("urn:voltgate:problem:station-offline", offline.GetProperty("type").GetString());
        Assert.Equal("StationOffline", offline.GetProperty("code").GetString());
        Assert.Single(station.ServerCalls);
    }

    [Fact]
    public async Task A_command_to_a_station_that_never_connected_says_offline_and_that_nothing_was_sent()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);

        var response = await api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/Reset", new { type = "Hard" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("urn:voltgate:problem:station-offline", problem.GetProperty("type").GetString());
        Assert.Contains("nothing was sent", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
