using System.Diagnostics;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.FrontDoor;

/// <summary>What the reconnect-storm tests share: one station's connect-and-boot, timed, and the storm's figures.</summary>
internal static class ReconnectingFleet
{
    private static object Boot => new { chargePointVendor = "KEBA", chargePointModel = "KC-P30", firmwareVersion = "1.16.0" };

    public static async Task<StormOutcome> ConnectAndBootAsync(Uri endpoint, string identity, TimeSpan bootTimeout)
    {
        var clock = Stopwatch.StartNew();
        HandshakeResult handshake;
        try
        {
            handshake = await TestStation.ConnectWithHeaderAsync(endpoint, identity, null, ["ocpp1.6"]);
        }
        catch (OperationCanceledException)
        {
            return new StormOutcome(null, false, false, 0, $"{identity}: handshake hung");
        }

        if (!handshake.Upgraded)
        {
            return new StormOutcome(null, false, false, 0, $"{identity}: handshake answered {(int)handshake.Status}");
        }

        try
        {
            var answer = await handshake.Station!.CallAsync("BootNotification", Boot, bootTimeout);
            return new StormOutcome(handshake.Station, true, answer[0]!.GetValue<int>() == 3, clock.ElapsedMilliseconds, $"{identity}: {answer.ToJsonString()}");
        }
        catch (TimeoutException)
        {
            return new StormOutcome(handshake.Station, true, false, 0, $"{identity}: BootNotification unanswered");
        }
    }

    public static int Hung(IReadOnlyCollection<StormOutcome> outcomes) => outcomes.Count(r => !r.Upgraded);

    public static int Unanswered(IReadOnlyCollection<StormOutcome> outcomes) => outcomes.Count(r => r.Upgraded && !r.Booted);

    /// <summary>p50 and p99 of the booted stations' connect-to-boot times, as the figure lines print them.</summary>
    public static string Percentiles(IReadOnlyCollection<StormOutcome> outcomes)
    {
        var times = outcomes.Where(r => r.Booted).Select(r => r.Milliseconds).Order().ToArray();
        return $"p50 {Percentile(times, 0.50)} ms, p99 {Percentile(times, 0.99)} ms";
    }

    public static async Task DisposeAllAsync(IEnumerable<StormOutcome> outcomes)
    {
        foreach (var r in outcomes.Where(r => r.Station is not null))
        {
            await r.Station!.DisposeAsync();
        }
    }

    private static long Percentile(long[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

internal sealed record StormOutcome(TestStation? Station, bool Upgraded, bool Booted, long Milliseconds, string Problem);
