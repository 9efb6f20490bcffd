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

        var first = await Task.WhenAll(identities.Select(id => ReconnectingFleet.ConnectAndBootAsync(server.OpenEndpoint, id, TimeSpan.FromSeconds(15))));
        Assert.All(first, r => Assert.True(r.Booted, r.Problem));

        // The whole fleet drops at once and comes straight back, before the server has noticed every drop.
        await Task.WhenAll(first.Select(r => r.Station!.AbortAsync()));
        var clock = Stopwatch.StartNew();
        var second = await Task.WhenAll(identities.Select(id => ReconnectingFleet.ConnectAndBootAsync(server.OpenEndpoint, id, TimeSpan.FromSeconds(15))));
        clock.Stop();
        try
        {
            var hung = ReconnectingFleet.Hung(second);
            var unanswered = ReconnectingFleet.Unanswered(second);
            Console.WriteLine($"reconnect storm: {second.Count(r => r.Booted)} of {Stations} back in {clock.ElapsedMilliseconds} ms; " +
                $"handshakes not completed {hung}, boots unanswered {unanswered}; " +
                ReconnectingFleet.Percentiles(second));
            Assert.Equal(0, hung);
            Assert.Equal(0, unanswered);
        }
        finally
        {
            await ReconnectingFleet.DisposeAllAsync(first.Concat(second));
        }
    }
}
