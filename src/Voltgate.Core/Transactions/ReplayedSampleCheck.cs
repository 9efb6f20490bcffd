using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;

namespace Voltgate.Core.Transactions;

/// <summary>
/// Finds which of a batch's meter samples are already stored, so that a station replaying its queue after an outage
/// does not store them twice. Used by the writer thread only, apart from <see cref="Forget"/>.
/// </summary>
/// <remarks>
/// <para>Live samples are newer than anything their station has stored and cannot be replays, so the check remembers
/// each station's newest stored timestamp and looks up stored samples only for samples at or before it
/// (docs/performance.md).</para>
/// <para>That timestamp is only right while this writer is the only one storing the station's samples; whoever
/// stores them elsewhere makes the check <see cref="Forget"/> the station before the station is answered (see
/// <see cref="MeteringService"/>). A station sends one call at a time, so the check learns of it before it sees that
/// station's next samples.</para>
/// </remarks>
internal sealed class ReplayedSampleCheck
{
    // SQLite stores timestamps through DateTimeOffsetToBinaryConverter, in units of 1,000 ticks (0.1 ms). A sample
    // is compared in that unit, so a stored one read back can never look older than the sample it came from.
    private const long StoredTickUnit = 1_000;

    private readonly Dictionary<Guid, DateTimeOffset> _newestStored = [];
    private readonly HashSet<SampleKey> _stored = [];
    private readonly ConcurrentQueue<Guid> _forgotten = new();

    /// <summary>Makes the check read the station's stored samples again: someone else stored some of them.</summary>
    public void Forget(Guid stationId) => _forgotten.Enqueue(stationId);

    /// <summary>
    /// The keys of the stored samples that the batch's <paramref name="samples"/> could repeat, in a set the caller may
    /// add to until the next call (it is reused: the writer calls this once per batch).
    /// </summary>
    public HashSet<SampleKey> LoadStored(VoltgateDbContext db, IReadOnlyList<MeterSample> samples)
    {
        while (_forgotten.TryDequeue(out var station))
        {
            _newestStored.Remove(station);
        }

        var stored = _stored;
        stored.Clear();
        Learn(db, samples);
        List<MeterSample>? suspects = null;
        for (var i = 0; i < samples.Count; i++)
        {
            if (MayBeStored(samples[i]))
            {
                (suspects ??= []).Add(samples[i]);
            }
        }

        if (suspects is null)
        {
            return stored;
        }

        var stations = suspects.Select(s => s.StationId).Distinct().ToList();
        var (from, to) = (suspects.Min(s => s.Timestamp), suspects.Max(s => s.Timestamp));
        // A range rather than a list of timestamps, served by (StationId, Timestamp): a replay spans minutes to hours.
        stored.UnionWith(db.MeterSamples.IgnoreQueryFilters().AsNoTracking()
            .Where(x => EF.Parameter(stations).Contains(x.StationId) && x.Timestamp >= from && x.Timestamp <= to)
            .Select(x => new SampleKey(x.StationId, x.ConnectorId, x.Timestamp, x.Measurand, x.Phase, x.Location, x.Context, x.Value)));
        return stored;
    }

    /// <summary>Raises the stations' newest stored timestamps by the samples a batch has just committed.</summary>
    public void Committed(IReadOnlyList<MeterSample> inserted)
    {
        for (var i = 0; i < inserted.Count; i++)
        {
            var sample = inserted[i];
            // A station the database did not know (deleted meanwhile) is not remembered.
            if (_newestStored.TryGetValue(sample.StationId, out var newest) && sample.Timestamp > newest)
            {
                _newestStored[sample.StationId] = sample.Timestamp;
            }
        }
    }

    private bool MayBeStored(MeterSample sample) =>
        !_newestStored.TryGetValue(sample.StationId, out var newest)
        || sample.Timestamp.UtcTicks - (sample.Timestamp.UtcTicks % StoredTickUnit) <= newest.UtcTicks;

    // One query for the stations not remembered yet: each one's newest stored timestamp, an index seek on
    // (StationId, Timestamp).
    private void Learn(VoltgateDbContext db, IReadOnlyList<MeterSample> samples)
    {
        HashSet<Guid>? stations = null;
        for (var i = 0; i < samples.Count; i++)
        {
            if (!_newestStored.ContainsKey(samples[i].StationId))
            {
                (stations ??= []).Add(samples[i].StationId);
            }
        }

        if (stations is null)
        {
            return;
        }

        List<Guid> unknown = [.. stations];
        foreach (var station in db.Stations.IgnoreQueryFilters().AsNoTracking()
                     .Where(s => EF.Parameter(unknown).Contains(s.Id))
                     .Select(s => new
                     {
                         s.Id,
                         Newest = db.MeterSamples.IgnoreQueryFilters().Where(m => m.StationId == s.Id)
                             .OrderByDescending(m => m.Timestamp).Select(m => (DateTimeOffset?)m.Timestamp).FirstOrDefault(),
                     }))
        {
            _newestStored[station.Id] = station.Newest ?? DateTimeOffset.MinValue;
        }
    }
}

/// <summary>What makes two meter samples the same sample.</summary>
internal readonly record struct SampleKey(Guid StationId, int ConnectorId, DateTimeOffset Timestamp, string? Measurand, string? Phase, string? Location, string? Context, string Value)
{
    public static SampleKey Of(MeterSample x) => new(x.StationId, x.ConnectorId, x.Timestamp, x.Measurand, x.Phase, x.Location, x.Context, x.Value);
}
