using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Voltgate.Server.Tests.Support;
using Xunit.Abstractions;

namespace Voltgate.Server.Tests.FrontDoor;

/// <summary>
/// The handshake corpus (docs/reliability.md): malformed upgrade requests written byte for byte on a raw socket —
/// bad paths, bad or missing Authorization headers, odd Basic encodings, wrong subprotocol lists, oversized headers,
/// requests that are not WebSocket upgrades. Each gets the HTTP status docs/security.md and docs/reliability.md
/// document, and the server keeps admitting stations afterwards.
/// </summary>
/// <remarks>
/// Each request leaves from a loopback address of its own, so the corpus's refusals never add up in the
/// per-address back-off and every case shows the status of its own fault.
/// </remarks>
[Collection(ServerCollection.Name)]
public sealed class HandshakeCorpusTests(ServerPool pool, ITestOutputHelper output)
{
    // Placeholders filled per run: {id} the station's identity, {lower} it in lower case, {auth} its right Basic
    // credentials (base64), {empty} / {binary} / {space} / {utf16} / {upper} the identity with an empty password,
    // non-UTF-8 bytes, the password with a trailing space, as UTF-16, in upper case.
    private const string Key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
    private const string Upgrade = "Connection: Upgrade\r\nUpgrade: websocket\r\n" + Key;
    private const string Ocpp16 = "Sec-WebSocket-Protocol: ocpp1.6\r\n";
    private const string Auth = "Authorization: Basic {auth}\r\n";

    /// <summary>(case, request without the final empty line, documented status).</summary>
    public static TheoryData<string, string, int> Corpus => new()
    {
        // Controls: the right request is admitted, in its tolerated variations.
        { "right request", Get("/ocpp/{id}", Upgrade + Auth + Ocpp16), 101 },
        { "lower-case scheme", Get("/ocpp/{id}", Upgrade + "Authorization: basic {auth}\r\n" + Ocpp16), 101 },
        { "trailing slash", Get("/ocpp/{id}/", Upgrade + Auth + Ocpp16), 101 },

        // Paths (security.md, handshake step 2).
        { "no identity", Get("/ocpp/", Upgrade + Auth + Ocpp16), 400 },
        { "three segments", Get("/ocpp/a/b/{id}", Upgrade + Auth + Ocpp16), 404 },
        { "encoded slash", Get("/ocpp/CP%2F1", Upgrade + Auth + Ocpp16), 400 },
        { "encoded NUL", Get("/ocpp/CP%001", Upgrade + Auth + Ocpp16), 400 },
        { "encoded control character", Get("/ocpp/CP%01X", Upgrade + Auth + Ocpp16), 400 },
        { "colon in the identity", Get("/ocpp/CP:1", Upgrade + Auth + Ocpp16), 400 },
        { "identity of 49 characters", Get("/ocpp/" + new string('X', 49), Upgrade + Auth + Ocpp16), 400 },
        { "unknown tenant", Get("/ocpp/no-such-tenant/{id}", Upgrade + Auth + Ocpp16), 404 },
        { "upgrade not under /ocpp", Get("/socket/{id}", Upgrade + Auth + Ocpp16), 404 },
        { "identity in another case", Get("/ocpp/{lower}", Upgrade + Auth + Ocpp16), 401 },
        { "double-encoded slash (decoded once: unknown identity)", Get("/ocpp/CP%252F1", Upgrade + Auth + Ocpp16), 401 },

        // Authorization (security.md, step 6): every refusal is the same 401.
        { "no Authorization", Get("/ocpp/{id}", Upgrade + Ocpp16), 401 },
        { "empty Authorization", Get("/ocpp/{id}", Upgrade + "Authorization: \r\n" + Ocpp16), 401 },
        { "Bearer scheme", Get("/ocpp/{id}", Upgrade + "Authorization: Bearer {auth}\r\n" + Ocpp16), 401 },
        { "Basic without credentials", Get("/ocpp/{id}", Upgrade + "Authorization: Basic\r\n" + Ocpp16), 401 },
        { "not base64", Get("/ocpp/{id}", Upgrade + "Authorization: Basic %%%\r\n" + Ocpp16), 401 },
        { "base64 without a colon", Get("/ocpp/{id}", Upgrade + $"Authorization: Basic {B64("nocolon")}\r\n" + Ocpp16), 401 },
        { "other username", Get("/ocpp/{id}", Upgrade + $"Authorization: Basic {B64("someone-else:pw-123456")}\r\n" + Ocpp16), 401 },
        { "empty password", Get("/ocpp/{id}", Upgrade + "Authorization: Basic {empty}\r\n" + Ocpp16), 401 },
        { "password with a trailing space", Get("/ocpp/{id}", Upgrade + "Authorization: Basic {space}\r\n" + Ocpp16), 401 },
        { "password in upper case", Get("/ocpp/{id}", Upgrade + "Authorization: Basic {upper}\r\n" + Ocpp16), 401 },
        { "credentials as UTF-16", Get("/ocpp/{id}", Upgrade + "Authorization: Basic {utf16}\r\n" + Ocpp16), 401 },
        { "password not UTF-8", Get("/ocpp/{id}", Upgrade + "Authorization: Basic {binary}\r\n" + Ocpp16), 401 },
        // Kestrel refuses a header byte outside ASCII before the front door sees the request.
        { "Latin-1 bytes in the header", Get("/ocpp/{id}", Upgrade + "Authorization: Basic \u00fc\u00e9{auth}\r\n" + Ocpp16), 400 },
        { "8 KB of base64", Get("/ocpp/{id}", Upgrade + $"Authorization: Basic {Convert.ToBase64String(new byte[6000])}\r\n" + Ocpp16), 401 },

        // Subprotocols (security.md, step 3).
        { "unknown subprotocol", Get("/ocpp/{id}", Upgrade + Auth + "Sec-WebSocket-Protocol: ocpp0.1\r\n"), 400 },
        // Letter case is a quirk real stations send (product.md §3): tolerated, and the station's spelling is echoed.
        { "upper-case OCPP1.6", Get("/ocpp/{id}", Upgrade + Auth + "Sec-WebSocket-Protocol: OCPP1.6\r\n"), 101 },
        { "ocpp2.0.1 offered", Get("/ocpp/{id}", Upgrade + Auth + "Sec-WebSocket-Protocol: ocpp2.0.1\r\n"), 101 },
        { "ocpp1.6 with a suffix", Get("/ocpp/{id}", Upgrade + Auth + "Sec-WebSocket-Protocol: ocpp1.6x\r\n"), 400 },
        // An offer that names nothing is no offer: ocpp1.6 is assumed while the tenant allows it, as without the header.
        { "commas only", Get("/ocpp/{id}", Upgrade + Auth + "Sec-WebSocket-Protocol: , ,,\r\n"), 101 },
        { "2 KB of unknown names", Get("/ocpp/{id}", Upgrade + Auth + $"Sec-WebSocket-Protocol: {string.Join(",", Enumerable.Range(0, 300).Select(i => $"p{i}"))}\r\n"), 400 },
        { "unknown before ocpp1.6", Get("/ocpp/{id}", Upgrade + Auth + "Sec-WebSocket-Protocol: ocpp0.1, ocpp1.6\r\n"), 101 },
        { "empty entry before ocpp1.6", Get("/ocpp/{id}", Upgrade + Auth + "Sec-WebSocket-Protocol: ,ocpp1.6\r\n"), 101 },
        { "ocpp1.6 twice", Get("/ocpp/{id}", Upgrade + Auth + "Sec-WebSocket-Protocol: ocpp1.6, ocpp1.6\r\n"), 101 },
        { "no subprotocol header (assumed ocpp1.6)", Get("/ocpp/{id}", Upgrade + Auth), 101 },

        // Size limits (Kestrel's defaults: 8 KB request line, 32 KB of headers).
        { "10 KB path", Get("/ocpp/" + new string('X', 10_000), Upgrade), 414 },
        { "40 KB header", Get("/ocpp/{id}", Upgrade + $"X-Filler: {new string('x', 40_000)}\r\n"), 431 },
        { "150 headers of 300 bytes", Get("/ocpp/{id}", Upgrade + string.Concat(Enumerable.Range(0, 150).Select(i => $"X-Pad-{i}: {new string('b', 300)}\r\n"))), 431 },

        // Not WebSocket upgrades: a clear 400 (TransportTests), never an accepted socket.
        { "plain GET", Get("/ocpp/{id}", Auth), 400 },
        { "POST with a body", "POST /ocpp/{id} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n" + Upgrade + "\r\n{}", 400 },
        { "Upgrade without Connection", Get("/ocpp/{id}", "Upgrade: websocket\r\n" + Key + Auth), 400 },
        { "no Sec-WebSocket-Key", Get("/ocpp/{id}", "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n" + Auth), 400 },
        { "WebSocket version 8", Get("/ocpp/{id}", "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n" + Auth), 400 },
        { "upgrade to h2c", Get("/ocpp/{id}", "Connection: Upgrade\r\nUpgrade: h2c\r\n" + Auth), 400 },
        // RFC 6455 asks for HTTP/1.1, but Kestrel upgrades an HTTP/1.0 request that carries the upgrade headers; it is
        // checked like any other (tolerated: it adds nothing an attacker could not do with HTTP/1.1).
        { "HTTP/1.0 upgrade", "GET /ocpp/{id} HTTP/1.0\r\nHost: localhost\r\n" + Upgrade + Auth + Ocpp16, 101 },
        { "HTTP/1.0 upgrade, wrong password", "GET /ocpp/{id} HTTP/1.0\r\nHost: localhost\r\n" + Upgrade + "Authorization: Basic {upper}\r\n" + Ocpp16, 401 },
        { "no Host header", "GET /ocpp/{id} HTTP/1.1\r\n" + Upgrade + Auth, 400 },
        { "request line that is not HTTP", "HELLO OCPP\r\n", 400 },
        { "TLS ClientHello on a plain port", "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003\r\n", 400 },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task A_malformed_handshake_gets_its_documented_status(string name, string request, int status)
    {
        var server = await pool.GetAsync("Sqlite");
        var (identity, password) = await StationAsync(server);

        var answered = await SendAsync(server.AuthEndpoint, Fill(request, identity, password));

        Assert.True(answered == status, $"{name}: answered {answered}, documented {status}");
    }

    /// <summary>The whole corpus, then a real station: the figure docs/reliability.md shows.</summary>
    [Fact]
    public async Task The_handshake_corpus_is_answered_as_documented_and_the_server_stays_up()
    {
        var server = await pool.GetAsync("Sqlite");
        var (identity, password) = await StationAsync(server);
        var cases = 0;
        var documented = 0;
        var wrong = new List<string>();
        foreach (var row in Corpus)
        {
            cases++;
            var answered = await SendAsync(server.AuthEndpoint, Fill((string)row[1], identity, password));
            if (answered == (int)row[2])
            {
                documented++;
            }
            else
            {
                wrong.Add($"{row[0]}: {answered} (documented {row[2]})");
            }
        }

        await using var station = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6")).Station;
        Assert.NotNull(station);
        Assert.NotNull(await station.CallOkAsync("Heartbeat", new { }));
        output.WriteLine($"handshake corpus: {cases} cases, {documented} answered as documented; the server still admits stations");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    private static async Task<(string Identity, string Password)> StationAsync(VoltgateServer server)
    {
        using var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity("HSC");
        (await api.PostAsJsonAsync("/api/v1/stations", new { identity, registrationStatus = "Accepted" })).EnsureSuccessStatusCode();
        return (identity, password);
    }

    private static string Get(string path, string headers) => $"GET {path} HTTP/1.1\r\nHost: localhost\r\n{headers}";

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Fill(string request, string identity, string password)
    {
        var filled = request
            .Replace("{id}", identity, StringComparison.Ordinal)
            .Replace("{lower}", identity.ToLowerInvariant(), StringComparison.Ordinal)
            .Replace("{auth}", B64(identity + ":" + password), StringComparison.Ordinal)
            .Replace("{empty}", B64(identity + ":"), StringComparison.Ordinal)
            .Replace("{space}", B64(identity + ":" + password + " "), StringComparison.Ordinal)
            .Replace("{upper}", B64(identity + ":" + password.ToUpperInvariant()), StringComparison.Ordinal)
            .Replace("{utf16}", Convert.ToBase64String(Encoding.Unicode.GetBytes(identity + ":" + password)), StringComparison.Ordinal)
            .Replace("{binary}", Convert.ToBase64String([.. Encoding.UTF8.GetBytes(identity + ":"), 0xff, 0xfe, 0x80]), StringComparison.Ordinal);
        // A request with a body carries it after its head already.
        return filled.Contains("\r\n\r\n", StringComparison.Ordinal) ? filled : filled + "\r\n";
    }

    /// <summary>Writes the request on a fresh socket from an address of its own and reads the status line (0: closed without one).</summary>
    private static async Task<int> SendAsync(Uri endpoint, string request)
    {
        var source = new IPAddress([127, (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(0, 256), (byte)Random.Shared.Next(1, 255)]);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Bind(new IPEndPoint(source, 0));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(IPAddress.Loopback, endpoint.Port, timeout.Token);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        try
        {
            await stream.WriteAsync(Encoding.Latin1.GetBytes(request), timeout.Token);
        }
        catch (IOException)
        {
            // The server may answer and close before an oversized request is fully written; its answer is read below.
        }

        var head = new StringBuilder();
        var buffer = new byte[4096];
        while (!head.ToString().Contains("\r\n", StringComparison.Ordinal))
        {
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, timeout.Token);
            }
            catch (IOException)
            {
                read = 0;
            }

            if (read == 0)
            {
                return 0;
            }

            head.Append(Encoding.Latin1.GetString(buffer, 0, read));
        }

        // "HTTP/1.1 401 Unauthorized"
        var text = head.ToString();
        return int.Parse(text[..text.IndexOf("\r\n", StringComparison.Ordinal)].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
