using System.Diagnostics;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.FrontDoor;

/// <summary>
/// A fleet that reconnects at once is admitted in full (issue 19, finding 6): stations drop their connections
/// without a close handshake and reconnect at the same moment, while the server still holds the old sessions. Scaled
/// for CI to 200 stations; the full 1,000 is the load generator's reconnect-storm mode (docs/reliability.md).
/// </summary>
public sealed class ReconnectStormTests
{
    private const int Stations = 200;

    private static object Boot => new { chargePointVendor = "KEBA", chargePointModel = "KC-P30", firmwareVersion = "1.16.0" };

    [Fact]
    public async Task Every_station_of_an_instant_reconnect_is_admitted_and_its_boot_answered()
    {
        await using var server = await VoltgateServer.StartAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var identities = Enumerable.Range(0, Stations).Select(_ => Arrange.NewIdentity()).ToArray();
        foreach (var identity in identities)
        {
            await api.StationAsync(identity, "private");
        }

        var first = await Task.WhenAll(identities.Select(id => ConnectAndBootAsync(server.OpenEndpoint, id)));
        Assert.All(first, r => Assert.True(r.Booted, r.Problem));

        // The whole fleet drops at once and comes straight back, before the server has noticed every drop.
        await Task.WhenAll(first.Select(r => r.Station!.AbortAsync()));
        var clock = Stopwatch.StartNew();
        var second = await Task.WhenAll(identities.Select(id => ConnectAndBootAsync(server.OpenEndpoint, id)));
        clock.Stop();
        try
        {
            var hung = second.Count(r => !r.Upgraded);
            var unanswered = second.Count(r => r.Upgraded && !r.Booted);
            var times = second.Where(r => r.Booted).Select(r => r.Milliseconds).Order().ToArray();
            Console.WriteLine($"reconnect storm: {second.Count(r => r.Booted)} of {Stations} back in {clock.ElapsedMilliseconds} ms; " +
                $"handshakes not completed {hung}, boots unanswered {unanswered}; " +
                $"p50 {Percentile(times, 0.50)} ms, p99 {Percentile(times, 0.99)} ms");
            Assert.Equal(0, hung);
            Assert.Equal(0, unanswered);
        }
        finally
        {
            foreach (var r in first.Concat(second).Where(r => r.Station is not null))
            {
                await r.Station!.DisposeAsync();
            }
        }
    }

    private static async Task<Outcome> ConnectAndBootAsync(Uri endpoint, string identity)
    {
        var clock = Stopwatch.StartNew();
        HandshakeResult handshake;
        try
        {
            handshake = await TestStation.ConnectWithHeaderAsync(endpoint, identity, null, ["ocpp1.6"]);
        }
        catch (OperationCanceledException)
        {
            return new Outcome(null, false, false, 0, $"{identity}: handshake hung");
        }

        if (!handshake.Upgraded)
        {
            return new Outcome(null, false, false, 0, $"{identity}: handshake answered {(int)handshake.Status}");
        }

        try
        {
            var answer = await handshake.Station!.CallAsync("BootNotification", Boot, TimeSpan.FromSeconds(15));
            return new Outcome(handshake.Station, true, answer[0]!.GetValue<int>() == 3, clock.ElapsedMilliseconds, $"{identity}: {answer.ToJsonString()}");
        }
        catch (TimeoutException)
        {
            return new Outcome(handshake.Station, true, false, 0, $"{identity}: BootNotification unanswered");
        }
    }

    private static long Percentile(long[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private sealed record Outcome(TestStation? Station, bool Upgraded, bool Booted, long Milliseconds, string Problem);
}
