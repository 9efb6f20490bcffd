using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.Rotation;

/// <summary>API and station shortcuts for the rotation tests.</summary>
internal static class RotationHelpers
{
    public const string RotationsPath = "/api/v1/ocpp-security/rotations";

    public static async Task<Guid> CreateAsync(HttpClient api, object body)
    {
        var response = await api.PostAsJsonAsync(RotationsPath, body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"creating a rotation: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.NotNull(response.Headers.Location);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static async Task<JsonElement> GetAsync(HttpClient api, Guid id) =>
        await api.GetFromJsonAsync<JsonElement>($"{RotationsPath}/{id}");

    public static JsonElement Row(JsonElement rotation, string identity) =>
        rotation.GetProperty("stations").EnumerateArray().Single(s => s.GetProperty("identity").GetString() == identity);

    /// <summary>Polls until the station's row reaches <paramref name="state"/> (the engine ticks every second).</summary>
    public static async Task<JsonElement> WaitForAsync(HttpClient api, Guid id, string identity, string state, int seconds = 30)
    {
        JsonElement row = default;
        for (var i = 0; i < seconds * 5; i++)
        {
            row = Row(await GetAsync(api, id), identity);
            if (row.GetProperty("state").GetString() == state)
            {
                return row;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"{identity} did not reach {state}; last row: {row}");
        return row;
    }

    /// <summary>A station that answers ChangeConfiguration with <paramref name="status"/> and remembers the key it got.</summary>
    public static async Task<(TestStation Station, TaskCompletionSource<string> Key)> ConnectAsync(VoltgateServer server, string identity, string password, string status = "Accepted")
    {
        var result = await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6");
        Assert.True(result.Upgraded, $"{identity} could not connect: {result.Status}");
        var key = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        result.Station!.OnServerCall = (action, payload) =>
        {
            if (action == "ChangeConfiguration" && payload?["key"]?.GetValue<string>() == "AuthorizationKey")
            {
                key.TrySetResult(payload["value"]!.GetValue<string>());
                return new JsonObject { ["status"] = status };
            }

            return new JsonObject();
        };
        return (result.Station, key);
    }

    public static async Task<HandshakeResult> HandshakeAsync(VoltgateServer server, string identity, byte[] password) =>
        await TestStation.ConnectWithHeaderAsync(server.AuthEndpoint, identity, TestStation.BasicHeader(identity, password), ["ocpp1.6"]);
}
