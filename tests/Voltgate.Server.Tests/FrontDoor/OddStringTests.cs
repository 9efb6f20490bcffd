using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.MessageHistory;
using Voltgate.Core.Tenancy;
using Voltgate.Server.Ocpp;
using Voltgate.Server.Tests.Support;
using Xunit.Abstractions;

namespace Voltgate.Server.Tests.FrontDoor;

/// <summary>
/// Valid JSON strings that are odd as text (docs/reliability.md, "Odd strings"): a lone surrogate escape is refused
/// with FormationViolation, NUL and bidi overrides are accepted; either way the station gets an answer, its connection
/// stays up and the message log keeps the frame as received.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class OddStringTests(ServerPool pool, ITestOutputHelper output)
{
    public static TheoryData<string, string, string> Frames => new()
    {
        // frame with an odd string, id answered, expected answer (3 = CALLRESULT, else the CALLERROR code)
        { """[2,"o1","DataTransfer",{"vendorId":"x","data":"\ud800"}]""", "o1", "FormationViolation" },
        { """[2,"o2","BootNotification",{"chargePointVendor":"KEBA\udfff","chargePointModel":"P30"}]""", "o2", "FormationViolation" },
        { """[2,"o3","Authorize",{"idTag":"\ud800\u0041"}]""", "o3", "FormationViolation" },
        { """[2,"o4","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"2026-11-24T10:05:00Z","sampledValue":[{"value":"\udc00"}]}]}]""", "o4", "FormationViolation" },
        { """[2,"o5","\ud800",{}]""", "o5", "FormationViolation" },
        { """[2,"\ud800","Heartbeat",{}]""", "-1", "GenericError" },
        { """[2,"o6","DataTransfer",{"vendorId":"x","data":"a\u0000b\u202ec"}]""", "o6", "3" },
        { """[2,"o7","Authorize",{"idTag":"\u202eGAT"}]""", "o7", "3" },
    };

    [Theory]
    [MemberData(nameof(Frames))]
    public async Task An_odd_string_is_answered_the_connection_stays_up_and_the_frame_is_logged(string frame, string id, string expected)
    {
        var (api, station, identity) = await BootedAsync();
        using var _ = api;
        await using var __ = station;

        var answer = await station.SendRawAndReceiveAsync(frame, id);
        var heartbeat = await station.CallOkAsync("Heartbeat", new { });

        Assert.Equal(expected, answer[0]!.GetValue<int>() == 3 ? "3" : answer[2]!.GetValue<string>());
        Assert.NotNull(heartbeat);
        Assert.False(station.Closed.IsCompleted, "the connection must stay up");
        // The in-memory log keeps the frame exactly as received; the history records it (and the frames after it).
        var server = await pool.GetAsync("Sqlite");
        var tenant = (await server.Services.GetRequiredService<TenantDirectory>().FindAsync(Tenant.DefaultSlug, CancellationToken.None))!.Id;
        var frames = server.Services.GetRequiredService<MessageLog>().Get(tenant, identity).Select(f => f.Frame).ToList();
        Assert.Contains(frame, frames);
        await server.Services.GetRequiredService<IMessageRecorder>().FlushAsync(CancellationToken.None);
        var history = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/message-log?action=Heartbeat");
        Assert.Equal(2, history.GetProperty("total").GetInt32());
    }

    /// <summary>The whole corpus on one connection, each frame twice (a station retries): the figure docs/reliability.md shows.</summary>
    [Fact]
    public async Task The_odd_string_corpus_loses_no_connection()
    {
        var (api, station, _) = await BootedAsync();
        using var _ = api;
        await using var __ = station;
        var answered = 0;
        foreach (var row in Frames)
        {
            for (var attempt = 0; attempt < 2; attempt++)
            {
                await station.SendRawAndReceiveAsync((string)row[0], (string)row[1]);
                await station.CallOkAsync("Heartbeat", new { });
                answered++;
            }
        }

        var lost = station.Closed.IsCompleted ? 1 : 0;
        output.WriteLine($"odd strings: {answered} frames answered, {lost} connections lost");
        Assert.Equal(0, lost);
    }

    private async Task<(HttpClient Api, TestStation Station, string Identity)> BootedAsync()
    {
        var server = await pool.GetAsync("Sqlite");
        var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity();
        (await api.PostAsJsonAsync("/api/v1/stations", new { identity, registrationStatus = "Accepted" })).EnsureSuccessStatusCode();
        var station = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6")).Station!;
        await station.CallOkAsync("BootNotification", new { chargePointVendor = "KEBA", chargePointModel = "P30" });
        return (api, station, identity);
    }
}
