using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Voltgate.LoadGen.Tests;

/// <summary>
/// A deliberately tiny OCPP 1.6J / 2.0.1 endpoint on Kestrel: checks Basic auth, answers BootNotification, Heartbeat,
/// StatusNotification and (2.0.1) TransactionEvent, and (optionally) sends the station two CALLs of its own after boot.
/// </summary>
internal sealed class TestOcppServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestOcppServer(WebApplication app)
    {
        _app = app;
    }

    public Uri Url { get; private set; } = null!;

    public ConcurrentDictionary<string, int> CallsByAction { get; } = new();

    public ConcurrentQueue<string> AnswersFromStations { get; } = new();

    public ConcurrentDictionary<IPAddress, int> RemoteAddresses { get; } = new();

    /// <summary>Every TransactionEvent received: station identity, eventType, transactionId, seqNo, the first sample's value.</summary>
    public ConcurrentQueue<(string Station, string EventType, string TransactionId, int SeqNo, long EnergyWh)> TransactionEvents { get; } = new();

    public static async Task<TestOcppServer> StartAsync(string password, bool sendServerCalls = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new TestOcppServer(app);
        app.UseWebSockets();
        app.Map("/ocpp/{id}", (HttpContext http, string id) => server.HandleAsync(http, id, password, sendServerCalls));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/ocpp");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http, string id, string password, bool sendServerCalls)
    {
        var protocol = http.WebSockets.WebSocketRequestedProtocols.FirstOrDefault(p => p is "ocpp1.6" or "ocpp2.0.1");
        if (!http.WebSockets.IsWebSocketRequest || protocol is null)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (http.Request.Headers.Authorization != BasicAuth.HeaderValue(id, Encoding.UTF8.GetBytes(password)))
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        RemoteAddresses.AddOrUpdate(http.Connection.RemoteIpAddress!, 1, (_, n) => n + 1);
        using var ws = await http.WebSockets.AcceptWebSocketAsync(protocol);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var count = 0;
            ValueWebSocketReceiveResult result;
            try
            {
                do
                {
                    result = await ws.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                    count += result.Count;
                }
                while (!result.EndOfMessage);
            }
            catch (WebSocketException)
            {
                return;   // the station went away without a close handshake
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (ws.State == WebSocketState.CloseReceived)
                {
                    await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }

                return;
            }

            using var doc = JsonDocument.Parse(buffer.AsMemory(0, count));
            var frame = doc.RootElement;
            if (frame[0].GetInt32() != 2)
            {
                AnswersFromStations.Enqueue(frame.GetRawText());
                continue;
            }

            var messageId = frame[1].GetString()!;
            var action = frame[2].GetString()!;
            CallsByAction.AddOrUpdate(action, 1, (_, n) => n + 1);
            var payload = action switch
            {
                "BootNotification" => $$"""{"status":"Accepted","currentTime":"{{DateTime.UtcNow:O}}","interval":300}""",
                "Heartbeat" => $$"""{"currentTime":"{{DateTime.UtcNow:O}}"}""",
                "StatusNotification" => "{}",
                "TransactionEvent" when protocol == "ocpp2.0.1" => Record(id, frame[3]),
                _ => null,
            };
            var reply = payload is null
                ? $$"""[4,"{{messageId}}","NotImplemented","",{}]"""
                : $"""[3,"{messageId}",{payload}]""";
            await ws.SendAsync(Encoding.UTF8.GetBytes(reply), WebSocketMessageType.Text, true, CancellationToken.None);

            if (sendServerCalls && action == "BootNotification")
            {
                await ws.SendAsync("""[2,"srv-1","GetConfiguration",{}]"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
                await ws.SendAsync("""[2,"srv-2","VendorMagic",{}]"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
            }
        }
    }

    private string Record(string station, JsonElement payload)
    {
        TransactionEvents.Enqueue((station, payload.GetProperty("eventType").GetString()!,
            payload.GetProperty("transactionInfo").GetProperty("transactionId").GetString()!, payload.GetProperty("seqNo").GetInt32(),
            payload.GetProperty("meterValue")[0].GetProperty("sampledValue")[0].GetProperty("value").GetInt64()));
        return "{}";
    }
}
