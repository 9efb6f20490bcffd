using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace Voltgate.LoadGen;

/// <summary>
/// The front-door benchmarks of issue 19: <c>--mode reconnect-storm</c> (N stations boot, drop at once without a
/// close handshake, reconnect at once and boot again) and <c>--mode idle-sockets</c> (N sockets that send nothing,
/// or trickle header bytes, then one real station). Each prints one figure line.
/// </summary>
public static class AttackModes
{
    private const string Boot = "{\"chargePointVendor\":\"Voltgate\",\"chargePointModel\":\"LoadGen\"}";

    public static async Task<int> ReconnectStormAsync(LoadGenOptions o, TextWriter output, CancellationToken ct)
    {
        var first = await RoundAsync(o, ct);
        output.WriteLine($"connected and booted: {first.Count(r => r.Booted)} of {o.Stations}");
        foreach (var r in first)
        {
            r.Socket?.Abort();
            r.Socket?.Dispose();
        }

        var clock = Stopwatch.StartNew();
        var second = await RoundAsync(o, ct);
        clock.Stop();
        var handshakes = second.Count(r => r.Upgraded);
        var booted = second.Count(r => r.Booted);
        var times = second.Where(r => r.Booted).Select(r => r.Milliseconds).Order().ToArray();
        output.WriteLine($"reconnect storm: {booted} of {o.Stations} back in {clock.ElapsedMilliseconds} ms; handshakes completed {handshakes}, " +
            $"hung or refused {o.Stations - handshakes}; boots answered {booted}, unanswered {handshakes - booted}; " +
            $"p50 {Percentile(times, 0.50)} ms, p99 {Percentile(times, 0.99)} ms");
        foreach (var r in second)
        {
            r.Socket?.Abort();
            r.Socket?.Dispose();
        }

        return booted == o.Stations ? 0 : 1;
    }

    public static async Task<int> IdleSocketsAsync(LoadGenOptions o, TextWriter output, CancellationToken ct)
    {
        var uri = o.StationUri(0);
        var sources = o.SourceAddresses.Count > 0 ? o.SourceAddresses : [IPAddress.Loopback];
        var sockets = new List<Socket>(o.Stations);
        var refusedAtConnect = 0;
        var opening = Stopwatch.StartNew();
        for (var i = 0; i < o.Stations; i++)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                s.SetRawSocketOption(0 /* SOL_IP */, 24 /* IP_BIND_ADDRESS_NO_PORT: the port is picked at connect() */, BitConverter.GetBytes(1));
                s.Bind(new IPEndPoint(sources[i % sources.Count], 0));
                await s.ConnectAsync(uri.Host, uri.Port, ct);
                if (i % 2 == 1)
                {
                    // Every other socket plays slowloris: a request line and one header, never the blank line.
                    await s.SendAsync(Encoding.ASCII.GetBytes($"GET {uri.AbsolutePath} HTTP/1.1\r\nHost: {uri.Host}\r\n"), ct);
                }

                sockets.Add(s);
            }
            catch (SocketException)
            {
                refusedAtConnect++;
                s.Dispose();
            }
        }

        output.WriteLine($"opened {sockets.Count} idle/slowloris sockets in {opening.ElapsedMilliseconds} ms ({refusedAtConnect} refused at connect)");
        // The real station comes from its own address (127.0.0.1 by default), not from the attackers'.
        var station = await ConnectAndBootAsync(o with { SourceAddresses = [] }, o.Stations + 1, ct);
        var closed = await Task.WhenAll(sockets.Select(s => EndedWithinAsync(s, TimeSpan.FromSeconds(30), ct)));
        var held = closed.Count(c => !c);
        output.WriteLine($"idle sockets: {o.Stations} sent, {closed.Count(c => c)} closed by the server within 30 s, {held} still open; " +
            $"station {(station.Booted ? "admitted and booted" : "NOT admitted")} in {station.Milliseconds} ms");
        sockets.ForEach(s => s.Dispose());
        station.Socket?.Dispose();
        return station.Booted ? 0 : 1;
    }

    private static async Task<bool> EndedWithinAsync(Socket socket, TimeSpan within, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(within);
        var buffer = new byte[512];
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

    private static async Task<Outcome[]> RoundAsync(LoadGenOptions o, CancellationToken ct) =>
        await Task.WhenAll(Enumerable.Range(1, o.Stations).Select(i => ConnectAndBootAsync(o, i, ct)));

    private static async Task<Outcome> ConnectAndBootAsync(LoadGenOptions o, int index, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("ocpp1.6");
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        if (o.Password is { } password)
        {
            socket.Options.SetRequestHeader("Authorization", BasicAuth.HeaderValue(o.StationIdentity(index), password));
        }

        var sources = o.SourceAddresses;
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                if (sources.Count > 0)
                {
                    s.SetRawSocketOption(0, 24, BitConverter.GetBytes(1));
                    s.Bind(new IPEndPoint(sources[index % sources.Count], 0));
                }

                await s.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, token);
                return new NetworkStream(s, ownsSocket: true);
            },
        };
        try
        {
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                connect.CancelAfter(TimeSpan.FromSeconds(o.ConnectTimeoutSeconds));
                await socket.ConnectAsync(o.StationUri(index), new HttpMessageInvoker(handler, disposeHandler: false), connect.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or HttpRequestException)
        {
            if (Environment.GetEnvironmentVariable("LOADGEN_DEBUG") is not null)
            {
                Console.Error.WriteLine(ex.ToString());
            }

            socket.Dispose();
            return new Outcome(null, false, false, 0);
        }

        try
        {
            using var call = CancellationTokenSource.CreateLinkedTokenSource(ct);
            call.CancelAfter(TimeSpan.FromSeconds(o.CallTimeoutSeconds));
            await socket.SendAsync(Encoding.UTF8.GetBytes($"[2,\"boot-{index}\",\"BootNotification\",{Boot}]"), WebSocketMessageType.Text, true, call.Token);
            var buffer = new byte[4096];
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, call.Token);
                if (read.MessageType == WebSocketMessageType.Close)
                {
                    return new Outcome(socket, true, false, 0);
                }

                var text = Encoding.UTF8.GetString(buffer, 0, read.Count);
                if (text.StartsWith("[3,", StringComparison.Ordinal) && text.Contains($"\"boot-{index}\"", StringComparison.Ordinal))
                {
                    return new Outcome(socket, true, true, clock.ElapsedMilliseconds);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            return new Outcome(socket, true, false, 0);
        }
    }

    private static long Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1))];

    private sealed record Outcome(ClientWebSocket? Socket, bool Upgraded, bool Booted, long Milliseconds);
}
