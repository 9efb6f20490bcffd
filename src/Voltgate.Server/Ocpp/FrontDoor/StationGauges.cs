using System.Diagnostics.Metrics;
using Voltgate.Core.Telemetry;
using Voltgate.Server.Ocpp;

namespace Voltgate.Server.Ocpp.FrontDoor;

/// <summary>
/// The observable instruments of the front door: connected stations by variant and protocol (counted when scraped,
/// so connecting costs nothing extra), unattributed aggregates waiting and dropped, and front-door records dropped.
/// </summary>
internal sealed class StationGauges(VoltgateMetrics metrics, StationSessions sessions, UnattributedAttempts unattributed, FrontDoorRecorder recorder) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.Meter.CreateObservableGauge("voltgate.stations.connected", Connected, "{station}", "Stations connected to this node, by variant and protocol.");
        metrics.Meter.CreateObservableCounter("voltgate.frontdoor.records.dropped", () => recorder.Dropped, "{record}",
            "Connection attempts not written because the database fell behind.");
        metrics.Meter.CreateObservableCounter("voltgate.unattributed.dropped", () => unattributed.Overflowed, "{attempt}",
            "Unattributed attempts only counted, not kept, because too many distinct sources were waiting to be written.");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private IEnumerable<Measurement<int>> Connected()
    {
        var counts = new Dictionary<(string Variant, string Protocol), int>();
        foreach (var connection in sessions.All)
        {
            var key = (connection.Context.Variant, connection.Context.Protocol);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        return counts.Select(c => new Measurement<int>(c.Value, new KeyValuePair<string, object?>("variant", c.Key.Variant), new KeyValuePair<string, object?>("protocol", c.Key.Protocol)));
    }
}
