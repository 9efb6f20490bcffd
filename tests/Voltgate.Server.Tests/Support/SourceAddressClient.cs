using System.Net;
using System.Net.Sockets;

namespace Voltgate.Server.Tests.Support;

/// <summary>
/// HTTP clients whose connections leave from a chosen loopback address (127.0.0.2, 127.0.1.7, …), so a test can
/// play several distinct sources against a server on 127.0.0.1 — the server sees the real socket address.
/// </summary>
public static class SourceAddressClient
{
    public static HttpClient Create(Uri baseAddress, IPAddress source) =>
        new(Handler(source)) { BaseAddress = baseAddress };

    /// <summary>A handler that binds each socket to <paramref name="source"/> before connecting.</summary>
    public static SocketsHttpHandler Handler(IPAddress source) => new()
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
