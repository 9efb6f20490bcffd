using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Voltgate.Server.Tests.Support;

/// <summary>
/// A TCP relay in front of the server that can simulate a network blip: <see cref="Blip"/> drops every client side
/// and stops relaying, while the server-side sockets stay open and silent — no FIN, no RST, no byte read. The server
/// then holds sessions whose peers are gone without a word, as after a cellular or NAT outage.
/// </summary>
public sealed class BlipRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _relaying = new();
    private readonly ConcurrentBag<Socket> _clients = [];
    private readonly ConcurrentBag<Socket> _upstreams = [];
    private readonly Task _accepting;

    public BlipRelay(Uri serverEndpoint)
    {
        _target = new IPEndPoint(IPAddress.Loopback, serverEndpoint.Port);
        _listener.Start(512);
        Endpoint = new Uri($"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}{serverEndpoint.AbsolutePath}");
        _accepting = AcceptAsync();
    }

    /// <summary>The relay's address, with the server endpoint's path.</summary>
    public Uri Endpoint { get; }

    /// <summary>Drops the client sides at once and stops reading from the server, leaving its sockets open.</summary>
    public void Blip()
    {
        _relaying.Cancel();
        foreach (var client in _clients)
        {
            // Linger 0: the client side ends with a reset, at once.
            client.LingerState = new LingerOption(true, 0);
            client.Close();
        }
    }

    /// <summary>How many server-side sockets hold bytes the server sent after the blip (nobody reads them).</summary>
    public int SilentSocketsWithUnreadBytes => _upstreams.Count(s => Available(s) > 0);

    private static int Available(Socket socket)
    {
        try
        {
            return socket.Available;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return 0;
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptSocketAsync(_relaying.Token);
                client.NoDelay = true;
                // A small receive window, set before connecting: once the relay stops reading, the server's sends to
                // this peer back up within kilobytes instead of megabytes of autotuned buffer.
                var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 4096 };
                await upstream.ConnectAsync(_target, _relaying.Token);
                _clients.Add(client);
                _upstreams.Add(upstream);
                _ = PumpAsync(client, upstream);
                _ = PumpAsync(upstream, client);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Blipped or disposed.
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _relaying.Token);
                if (read == 0)
                {
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _relaying.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Blipped: neither side is closed here, so the server hears nothing.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _relaying.CancelAsync();
        _listener.Stop();
        await _accepting;
        foreach (var socket in _clients.Concat(_upstreams))
        {
            socket.Dispose();
        }

        _relaying.Dispose();
    }
}
