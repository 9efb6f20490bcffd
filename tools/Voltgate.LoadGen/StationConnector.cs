using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace Voltgate.LoadGen;

/// <summary>
/// One <see cref="HttpMessageInvoker"/> per local source address. Its ConnectCallback binds the socket to that
/// address before connecting, which is what lets one run spread over 127.0.0.1..127.0.0.x and so exceed the
/// ~28k ephemeral ports a single source address has towards one server port.
/// </summary>
public sealed class StationConnector : IDisposable
{
    // Linux IP_BIND_ADDRESS_NO_PORT: bind the address now but pick the port at connect(), per destination,
    // instead of reserving one ephemeral port per bind() for every destination.
    private const int SolIp = 0;
    private const int IpBindAddressNoPort = 24;

    private readonly HttpMessageInvoker[] _invokers;
    private readonly HttpMessageInvoker[] _bound;

    public StationConnector(IReadOnlyList<IPAddress> sourceAddresses)
    {
        ArgumentNullException.ThrowIfNull(sourceAddresses);
        _bound = sourceAddresses.Select(a => new HttpMessageInvoker(CreateHandler(a))).ToArray();
        _invokers = _bound.Length > 0 ? _bound : [new HttpMessageInvoker(CreateHandler(null))];
    }

    public HttpMessageInvoker ForStation(int index) => _invokers[index % _invokers.Length];

    public void Dispose()
    {
        foreach (var invoker in _invokers)
        {
            invoker.Dispose();
        }
    }

    /// <summary>Opens (and closes) one plain TCP connection: tells "nothing listens here" apart from everything else.</summary>
    public static async Task<SocketError> ProbeAsync(Uri url, IPAddress? source, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        var address = await ResolveAsync(url.IdnHost, source?.AddressFamily, ct).ConfigureAwait(false);
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            if (source is not null)
            {
                socket.Bind(new IPEndPoint(source, 0));
            }

            await socket.ConnectAsync(new IPEndPoint(address, url.Port), cts.Token).ConfigureAwait(false);
            return SocketError.Success;
        }
        catch (SocketException ex)
        {
            return ex.SocketErrorCode;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return SocketError.TimedOut;
        }
    }

    public static async Task<IPAddress> ResolveAsync(string host, AddressFamily? preferred, CancellationToken ct)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return literal;
        }

        var all = await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
        var family = preferred ?? AddressFamily.InterNetwork;
        return all.FirstOrDefault(a => a.AddressFamily == family) ?? all.First();
    }

    /// <summary>Short, countable name for why a handshake failed: "HTTP 401", "refused", "timeout", ...</summary>
    public static string ClassifyFailure(Exception exception, HttpStatusCode statusCode, bool timedOut)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (statusCode != 0 && statusCode != HttpStatusCode.SwitchingProtocols)
        {
            return "HTTP " + ((int)statusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (timedOut)
        {
            return "timeout";
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException se)
            {
                return se.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "refused",
                    SocketError.ConnectionReset => "reset",
                    SocketError.TimedOut => "timeout",
                    SocketError.AddressNotAvailable => "address not available (ports exhausted?)",
                    SocketError.TooManyOpenSockets => "too many open files",
                    SocketError.NoBufferSpaceAvailable => "no buffer space",
                    _ => "socket " + se.SocketErrorCode,
                };
            }
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is WebSocketException { WebSocketErrorCode: WebSocketError.ConnectionClosedPrematurely })
            {
                return "closed during handshake";
            }

            if (e is IOException)
            {
                return "closed during handshake";
            }
        }

        return exception.GetType().Name;
    }

    private static SocketsHttpHandler CreateHandler(IPAddress? source)
    {
        IPAddress? resolved = null;
        return new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            ConnectCallback = async (context, ct) =>
            {
                resolved ??= await ResolveAsync(context.DnsEndPoint.Host, source?.AddressFamily, ct).ConfigureAwait(false);
                var socket = new Socket(resolved.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    if (source is not null)
                    {
                        if (OperatingSystem.IsLinux() && source.AddressFamily == AddressFamily.InterNetwork)
                        {
                            socket.SetRawSocketOption(SolIp, IpBindAddressNoPort, BitConverter.GetBytes(1));
                        }

                        socket.Bind(new IPEndPoint(source, 0));
                    }

                    await socket.ConnectAsync(new IPEndPoint(resolved, context.DnsEndPoint.Port), ct).ConfigureAwait(false);
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
}
