using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Server.Ocpp.FrontDoor;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.FrontDoor;

/// <summary>
/// Idle and slowloris sockets cannot lock stations out (issue 19, finding 1). Scaled for CI: 400 attack sockets from
/// 20 loopback sources against a server whose pending share is 250; the full-size run is the load generator's
/// idle-sockets mode (docs/reliability.md).
/// </summary>
public sealed class IdleSocketTests
{
    private const int Sources = 20;
    private const int IdlePerSource = 5;
    private const int SlowlorisPerSource = 5;
    private const int SurplusPerSource = 10;
    private const int PerSourceCap = IdlePerSource + SlowlorisPerSource;

    private static object Boot => new { chargePointVendor = "KEBA", chargePointModel = "KC-P30", firmwareVersion = "1.16.0" };

    [Fact]
    public async Task Idle_and_slowloris_sockets_are_held_off_and_a_station_is_admitted_meanwhile()
    {
        await using var server = await VoltgateServer.StartAsync("Sqlite",
            "--Voltgate:Ocpp:FirstBytesTimeoutSeconds=2",
            "--Voltgate:Ocpp:HandshakeTimeoutSeconds=4",
            $"--Voltgate:Ocpp:MaxPendingPerSource={PerSourceCap}",
            "--Voltgate:Ocpp:MaxPendingConnections=250",
            "--Voltgate:Ocpp:MaxConnections=600");
        var admission = server.Services.GetRequiredService<ConnectionAdmission>();
        using var api = await server.AdminClientAsync();
        var (warmUp, identity) = (Arrange.NewIdentity(), Arrange.NewIdentity());
        await api.StationAsync(warmUp, "private");
        await api.StationAsync(identity, "private");
        var port = server.OpenEndpoint.Port;

        // The figure is the station's admission under attack, not the first handshake's JIT.
        await using (var first = (await TestStation.ConnectWithHeaderAsync(server.OpenEndpoint, warmUp, null, ["ocpp1.6"])).Station!)
        {
            await first.CallOkAsync("BootNotification", Boot);
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var attack = new List<Task<bool>>();
        for (var s = 0; s < Sources; s++)
        {
            var source = IPAddress.Parse($"127.0.0.{s + 2}");
            for (var i = 0; i < SlowlorisPerSource; i++)
            {
                attack.Add(SlowlorisSocketAsync(source, port, stop.Token));
            }

            for (var i = 0; i < IdlePerSource + SurplusPerSource; i++)
            {
                attack.Add(IdleSocketAsync(source, port, stop.Token));
            }
        }

        // Every attack socket is open (or already refused) before the station tries.
        await WaitUntilAsync(() => admission.Pending + admission.Refused + admission.TimedOut + admission.Evicted >= attack.Count, stop.Token);
        var held = admission.Pending;

        var clock = Stopwatch.StartNew();
        var handshake = await TestStation.ConnectWithHeaderAsync(server.OpenEndpoint, identity, null, ["ocpp1.6"]);
        Assert.True(handshake.Upgraded, $"the station must be admitted under the attack, got {(int)handshake.Status}");
        await using var station = handshake.Station!;
        var boot = await station.CallOkAsync("BootNotification", Boot);
        clock.Stop();
        Assert.Equal("Accepted", boot["status"]!.GetValue<string>());

        // All attack sockets end: the surplus at once, the rest at their deadline; none is held for 130 s.
        var closed = await Task.WhenAll(attack);
        Assert.All(closed, Assert.True);
        Assert.True(admission.Refused >= Sources * SurplusPerSource, $"the per-source cap must refuse the surplus sockets; refused {admission.Refused}");
        Assert.True(admission.TimedOut > 0, "idle sockets must be aborted at their deadline");
        Assert.InRange(held, 1, admission.MaxPending);
        Assert.Equal(0, admission.Pending);
        Console.WriteLine($"idle sockets: {attack.Count} held off (held {held} at most {admission.MaxPending}, refused {admission.Refused}, " +
            $"timed out {admission.TimedOut}, evicted {admission.Evicted}), station admitted and booted in {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task The_cap_per_source_refuses_extra_unauthenticated_sockets_but_not_other_sources()
    {
        await using var server = await VoltgateServer.StartAsync("Sqlite",
            "--Voltgate:Ocpp:FirstBytesTimeoutSeconds=30",
            "--Voltgate:Ocpp:HandshakeTimeoutSeconds=30",
            "--Voltgate:Ocpp:MaxPendingPerSource=3");
        var admission = server.Services.GetRequiredService<ConnectionAdmission>();
        var port = server.OpenEndpoint.Port;
        var attacker = IPAddress.Parse("127.0.0.9");
        var sockets = new List<Socket>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                sockets.Add(await ConnectAsync(attacker, port));
            }

            await WaitUntilAsync(() => admission.Pending == 3, CancellationToken.None);
            // The server may abort the fourth socket before the client's connect has even returned (a reset).
            Socket? fourth = null;
            try
            {
                fourth = await ConnectAsync(attacker, port);
                sockets.Add(fourth);
            }
            catch (SocketException)
            {
            }

            Assert.True(fourth is null || await EndsAsync(fourth, TimeSpan.FromSeconds(10)), "the fourth socket from one source must be closed");
            await WaitUntilAsync(() => admission.Refused == 1, CancellationToken.None);

            var otherSource = await ConnectAsync(IPAddress.Parse("127.0.0.10"), port);
            sockets.Add(otherSource);
            await WaitUntilAsync(() => admission.Pending == 4, CancellationToken.None);
            Assert.Equal(1, admission.Refused);
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    private static async Task<bool> IdleSocketAsync(IPAddress source, int port, CancellationToken ct)
    {
        Socket socket;
        try
        {
            socket = await ConnectAsync(source, port);
        }
        catch (SocketException)
        {
            // Refused so quickly that the connect itself saw the reset.
            return true;
        }

        using (socket)
        {
            return await EndsAsync(socket, TimeSpan.FromSeconds(30), ct);
        }
    }

    /// <summary>Sends the request line, then one header line every 300 ms, never the end of the headers.</summary>
    private static async Task<bool> SlowlorisSocketAsync(IPAddress source, int port, CancellationToken ct)
    {
        Socket socket;
        try
        {
            socket = await ConnectAsync(source, port);
        }
        catch (SocketException)
        {
            return true;
        }

        using var _ = socket;
        var ended = EndsAsync(socket, TimeSpan.FromSeconds(30), ct);
        try
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes("GET /ocpp/CP-slow HTTP/1.1\r\nHost: 127.0.0.1\r\n"), ct);
            for (var i = 0; !ended.IsCompleted && i < 100; i++)
            {
                await Task.Delay(300, ct);
                await socket.SendAsync(Encoding.ASCII.GetBytes($"X-Slow-{i}: a\r\n"), ct);
            }
        }
        catch (SocketException)
        {
            // Closed by the server while trickling: what we expect.
        }

        return await ended;
    }

    private static async Task<Socket> ConnectAsync(IPAddress source, int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(source, 0));
        await socket.ConnectAsync(IPAddress.Loopback, port);
        return socket;
    }

    /// <summary>True once the server has closed the socket (end of stream or reset) within <paramref name="within"/>.</summary>
    private static async Task<bool> EndsAsync(Socket socket, TimeSpan within, CancellationToken ct = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(within);
        var buffer = new byte[1024];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), "timed out waiting for the server");
            await Task.Delay(20, ct);
        }
    }
}
