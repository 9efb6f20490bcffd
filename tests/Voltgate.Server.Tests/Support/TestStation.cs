using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Voltgate.Server.Tests.Support;

/// <summary>The outcome of a handshake attempt: the HTTP status, and the socket when it was upgraded.</summary>
public sealed record HandshakeResult(HttpStatusCode Status, TestStation? Station, IReadOnlyDictionary<string, IEnumerable<string>> Headers)
{
    public bool Upgraded => Station is not null;
}

/// <summary>
/// A scriptable charging station speaking OCPP-J over a real socket: sends CALLs and raw frames, answers the
/// server's CALLs with a configurable handler, and can misbehave on demand.
/// </summary>
public sealed class TestStation : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Dictionary<string, TaskCompletionSource<JsonArray>> _pending = [];
    private readonly Lock _gate = new();
    private readonly Task _receiver;
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextId;

    private TestStation(ClientWebSocket socket)
    {
        _socket = socket;
        _receiver = Task.Run(ReceiveLoopAsync);
    }

    public string? SubProtocol => _socket.SubProtocol;

    /// <summary>
    /// Answers server CALLs: (action, payload) → payload of the CALLRESULT; null → no answer at all;
    /// <c>{"$callError": "Code"}</c> → a CALLERROR with that code.
    /// </summary>
    public Func<string, JsonNode?, JsonNode?> OnServerCall { get; set; } = (_, _) => new JsonObject();

    public List<(string Action, JsonNode? Payload)> ServerCalls { get; } = [];

    public Task<WebSocketCloseStatus?> Closed => _closed.Task;

    public static Task<HandshakeResult> ConnectAsync(Uri endpoint, string identity, string? password, params string[] protocols) =>
        ConnectWithHeaderAsync(endpoint, identity, password is null ? null : BasicHeader(identity, Encoding.UTF8.GetBytes(password)), protocols);

    public static string BasicHeader(string username, byte[] password)
    {
        var bytes = Encoding.UTF8.GetBytes(username + ":").Concat(password).ToArray();
        return "Basic " + Convert.ToBase64String(bytes);
    }

    public static async Task<HandshakeResult> ConnectWithHeaderAsync(Uri endpoint, string pathIdentity, string? authorization, string[] protocols, IPAddress? localAddress = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        foreach (var protocol in protocols)
        {
            socket.Options.AddSubProtocol(protocol);
        }

        if (authorization is not null)
        {
            socket.Options.SetRequestHeader("Authorization", authorization);
        }

        using var handler = new SocketsHttpHandler
        {
            // The test server presents the self-signed certificate made by VoltgateServer.
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.Subject == "CN=localhost" },
            ConnectCallback = async (context, ct) =>
            {
                var s = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                if (localAddress is not null)
                {
                    s.Bind(new IPEndPoint(localAddress, 0));
                }

                await s.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(s, ownsSocket: true);
            },
        };
        var uri = new Uri(endpoint, pathIdentity);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await socket.ConnectAsync(uri, new HttpMessageInvoker(handler, disposeHandler: false), timeout.Token);
            return new HandshakeResult(HttpStatusCode.SwitchingProtocols, new TestStation(socket), Headers(socket));
        }
        catch (WebSocketException)
        {
            var result = new HandshakeResult(socket.HttpStatusCode, null, Headers(socket));
            socket.Dispose();
            return result;
        }
    }

    private static Dictionary<string, IEnumerable<string>> Headers(ClientWebSocket socket) =>
        socket.HttpResponseHeaders?.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase) ?? [];

    /// <summary>Sends a CALL and returns the whole answer frame ([3,id,payload] or [4,id,code,desc,details]).</summary>
    public async Task<JsonArray> CallAsync(string action, object payload, TimeSpan? timeout = null)
    {
        var id = "t" + Interlocked.Increment(ref _nextId);
        var tcs = new TaskCompletionSource<JsonArray>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _pending[id] = tcs;
        }

        var frame = new JsonArray(2, id, action, JsonSerializer.SerializeToNode(payload));
        await SendRawAsync(frame.ToJsonString());
        return await tcs.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(10));
    }

    /// <summary>Sends a CALL and returns the CALLRESULT payload; fails the test on a CALLERROR.</summary>
    public async Task<JsonObject> CallOkAsync(string action, object payload)
    {
        var answer = await CallAsync(action, payload);
        Assert.True(answer[0]!.GetValue<int>() == 3, $"{action} was answered with {answer.ToJsonString()}");
        return answer[2]!.AsObject();
    }

    /// <summary>Sends text exactly as given and waits for the next answer whose id matches, if any.</summary>
    public async Task<JsonArray> SendRawAndReceiveAsync(string text, string expectedId, TimeSpan? timeout = null)
    {
        var tcs = new TaskCompletionSource<JsonArray>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _pending[expectedId] = tcs;
        }

        await SendRawAsync(text);
        return await tcs.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(10));
    }

    public async Task SendRawAsync(string text) => await SendBytesAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Text)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, type, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var length = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None) is var r
                        ? new WebSocketReceiveResult(r.Count, r.MessageType, r.EndOfMessage)
                        : throw new InvalidOperationException();
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        _closed.TrySetResult(_socket.CloseStatus);
                        return;
                    }

                    length += result.Count;
                }
                while (!result.EndOfMessage);

                await OnFrameAsync(JsonNode.Parse(buffer.AsSpan(0, length))!.AsArray());
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            _closed.TrySetResult(_socket.CloseStatus);
        }
    }

    private async Task OnFrameAsync(JsonArray frame)
    {
        var type = frame[0]!.GetValue<int>();
        var id = frame[1]!.GetValue<string>();
        if (type == 2)
        {
            var action = frame[2]!.GetValue<string>();
            lock (_gate)
            {
                ServerCalls.Add((action, frame[3]?.DeepClone()));
            }

            var answer = OnServerCall(action, frame[3]);
            if (answer is JsonObject error && error["$callError"] is { } code)
            {
                await SendRawAsync(new JsonArray(4, id, code.GetValue<string>(), "refused by the test station", new JsonObject()).ToJsonString());
            }
            else if (answer is not null)
            {
                await SendRawAsync(new JsonArray(3, id, answer).ToJsonString());
            }

            return;
        }

        TaskCompletionSource<JsonArray>? tcs;
        lock (_gate)
        {
            _pending.Remove(id, out tcs);
        }

        tcs?.TrySetResult(frame);
    }

    /// <summary>Drops the connection without a close handshake, as a station does when its network or process goes away.</summary>
    public async Task AbortAsync()
    {
        _socket.Abort();
        await _receiver.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }

        await _receiver.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _socket.Dispose();
        _sendLock.Dispose();
    }
}
