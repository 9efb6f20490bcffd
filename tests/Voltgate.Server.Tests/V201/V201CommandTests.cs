using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.V201;

/// <summary>The command API speaks each station's own protocol version and checks the station's answers for both.</summary>
[Collection(ServerCollection.Name)]
public sealed class V201CommandTests(ServerPool pool)
{
    private async Task<(HttpClient Api, TestStation Station, string Identity)> OnlineAsync(string protocol)
    {
        var server = await pool.GetAsync("Sqlite");
        var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity("C2");
        await api.StationAsync(identity);
        var station = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, protocol)).Station!;
        return (api, station, identity);
    }

    [Fact]
    public async Task A_201_station_takes_its_own_Reset_body_and_its_answer_is_returned()
    {
        var (api, station, identity) = await OnlineAsync("ocpp2.0.1");
        using var _ = api;
        await using var __ = station;
        station.OnServerCall = (action, payload) => action == "Reset" ? new JsonObject { ["status"] = "Scheduled" } : new JsonObject();

        var ok = await api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/Reset", new { type = "Immediate" });
        var soft = await api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/Reset", new { type = "Soft" });
        var v16Only = await api.PostAsJsonAsync($"/api/v1/stations/{identity}/commands/RemoteStartTransaction", new { idTag = "X" });

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var body = await ok.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Answered", body.GetProperty("status").GetString());
        Assert.Equal("Scheduled", body.GetProperty("response").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, soft.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, v16Only.StatusCode);
        Assert.Equal(["Reset"], station.ServerCalls.Select(c => c.Action));
    }

    [Theory]
    [InlineData("ocpp2.0.1", "GetVariables", """{"getVariableData":[{"component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}""", """{"getVariableResult":[{"attributeStatus":"Maybe","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}""")]
    [InlineData("ocpp2.0.1", "Reset", """{"type":"Immediate"}""", """{}""")]
    [InlineData("ocpp1.6", "Reset", """{"type":"Soft"}""", """{"status":"Maybe"}""")]
    [InlineData("ocpp1.6", "GetConfiguration", """{}""", """{"configurationKey":[{"key":"K"}]}""")]
    public async Task An_answer_that_violates_the_response_schema_is_reported_and_not_passed_on(string protocol, string action, string request, string answer)
    {
        var (api, station, identity) = await OnlineAsync(protocol);
        using var _ = api;
        await using var __ = station;
        station.OnServerCall = (_, _) => JsonNode.Parse(answer);

        var response = await api.PostAsync($"/api/v1/stations/{identity}/commands/{action}", new StringContent(request, System.Text.Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("InvalidResponse", body.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("response").ValueKind);
        Assert.Contains("does not match", body.GetProperty("errorDescription").GetString(), StringComparison.Ordinal);
    }
}
