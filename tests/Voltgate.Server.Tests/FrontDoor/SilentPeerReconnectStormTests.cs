using System.Diagnostics;
using System.Net.Http.Json;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.FrontDoor;

/// <summary>
/// A fleet that reconnects after a network blip is admitted in full (issue 19, finding 6). Unlike
/// <see cref="ReconnectStormTests"/>, the old peers vanish without the server seeing a close: the stations run through
/// a relay that, on the blip, drops them and leaves the server-side sockets open and silent. A command the server
/// was sending to each old session is stuck on the unread socket and holds that session's send lock — the case in
/// which closing the superseded connection takes its full timeout. The successors connect directly and boot.
/// </summary>
public sealed class SilentPeerReconnectStormTests
{
    private const int Stations = 50;

    // StationConnection.CloseAsync waits up to 5 s (its CancellationTokenSource) for the send lock and the close
    // frame. A successor that awaited that close read its BootNotification only after those 5 s; a boot answered
    // within 4 s therefore shows that the successor does not wait on the old session. A behavioural bound tied to
    // the close timeout, not a speed target: the answer itself takes milliseconds.
    private static readonly TimeSpan BootAnswerBound = TimeSpan.FromSeconds(4);

    // More than the relay's small window, the server's socket send buffer (autotuned up to 4 MB here,
    // net.ipv4.tcp_wmem) and Kestrel's output buffer together, so the send cannot complete while nobody reads.
    // 1 MB was absorbed by the buffers, and the old close then did not wait.
    private static readonly string LargeData = new('x', 8 * 1024 * 1024);

    [Fact]
    public async Task Every_station_reconnecting_after_a_silent_drop_is_admitted_and_its_boot_answered()
    {
        await using var server = await VoltgateServer.StartAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var identities = Enumerable.Range(0, Stations).Select(_ => Arrange.NewIdentity()).ToArray();
        foreach (var identity in identities)
        {
            await api.StationAsync(identity, "private");
        }

        await using var relay = new BlipRelay(server.OpenEndpoint);
        var first = await Task.WhenAll(identities.Select(id => ReconnectingFleet.ConnectAndBootAsync(relay.Endpoint, id, TimeSpan.FromSeconds(15))));
        Assert.All(first, r => Assert.True(r.Booted, r.Problem));

        // The blip: the stations are gone, the server's sockets to them stay open and nobody reads them. A command
        // to each old session then sits in its send, holding the send lock.
        relay.Blip();
        var stuck = identities
            .Select(id => api.PostAsJsonAsync($"/api/v1/stations/{id}/commands/DataTransfer", new { vendorId = "Voltgate", data = LargeData }))
            .ToArray();
        // Wait until the server is writing to every silent socket (its first bytes arrived), then a moment for the
        // write to fill the buffers on the way.
        var sending = Stopwatch.StartNew();
        while (relay.SilentSocketsWithUnreadBytes < Stations && sending.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(50);
        }

        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var underWay = relay.SilentSocketsWithUnreadBytes;
        Console.WriteLine($"commands under way on {underWay} of {Stations} silent sockets after {sending.ElapsedMilliseconds} ms");
        // Without a send in flight on every old session the test would not show what it is for.
        Assert.Equal(Stations, underWay);
        var settled = stuck.Where(t => t.IsCompleted).ToArray();
        Assert.True(settled.Length == 0, $"{settled.Length} commands settled instead of being stuck on the silent sockets: " +
            string.Join(", ", settled.Select(t => t.IsCompletedSuccessfully ? ((int)t.Result.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : t.Exception?.GetBaseException().Message)));

        var clock = Stopwatch.StartNew();
        var second = await Task.WhenAll(identities.Select(id => ReconnectingFleet.ConnectAndBootAsync(server.OpenEndpoint, id, BootAnswerBound)));
        clock.Stop();
        try
        {
            var hung = ReconnectingFleet.Hung(second);
            var unanswered = ReconnectingFleet.Unanswered(second);
            Console.WriteLine($"reconnect storm after a silent drop: {second.Count(r => r.Booted)} of {Stations} back in {clock.ElapsedMilliseconds} ms; " +
                $"handshakes not completed {hung}, boots unanswered within {BootAnswerBound.TotalSeconds:0} s {unanswered}; " +
                ReconnectingFleet.Percentiles(second));
            Assert.Equal(0, hung);
            Assert.Equal(0, unanswered);
        }
        finally
        {
            await ReconnectingFleet.DisposeAllAsync(first.Concat(second));

            // The stuck commands end with their old sessions; only their settling matters here, not their answers.
            await Task.WhenAll(stuck.Select(t => t.ContinueWith(static _ => { }, TaskScheduler.Default)));
        }
    }
}
