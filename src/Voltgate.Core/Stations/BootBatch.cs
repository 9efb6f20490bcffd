using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;
using Voltgate.Core.Persistence;

namespace Voltgate.Core.Stations;

/// <summary>What a station says about itself when it boots.</summary>
internal readonly record struct BootReport(string Vendor, string Model, string? SerialNumber, string? FirmwareVersion);

/// <summary>
/// What a batch of boots does: store what each station says about itself and its boot time, and read its
/// registration status. A station deleted meanwhile fails its write alone.
/// </summary>
/// <remarks>State is the writer thread's.</remarks>
internal sealed class BootBatch(GroupCommitWriter writer) : IBatchWriteKind
{
    private static readonly string[] BootProperties =
        [nameof(Station.Vendor), nameof(Station.Model), nameof(Station.SerialNumber), nameof(Station.FirmwareVersion), nameof(Station.LastBootAt), nameof(Station.LastSeenAt)];

    private readonly List<BootWrite> _writes = [];
    private readonly List<Guid> _stationIds = [];
    private readonly Dictionary<Guid, Station> _stations = [];

    /// <summary>Stores the boot; returns the station's registration status once committed.</summary>
    public async Task<RegistrationStatus> WriteAsync(Guid stationId, BootReport report, DateTimeOffset at, CancellationToken ct)
    {
        var write = new BootWrite(this, stationId, report, at);
        await writer.WriteAsync(write, ct);
        return write.RegistrationStatus;
    }

    void IBatchWriteKind.Add(BatchedWrite write) => _writes.Add((BootWrite)write);

    void IBatchWriteKind.Prepare(VoltgateDbContext db)
    {
        var ids = _stationIds;
        ids.Clear();
        foreach (var b in _writes)
        {
            if (!ids.Contains(b.StationId))
            {
                ids.Add(b.StationId);
            }
        }

        _stations.Clear();
        foreach (var row in db.Stations.IgnoreQueryFilters().Where(s => EF.Parameter(ids).Contains(s.Id)))
        {
            _stations[row.Id] = row;
        }

        foreach (var b in _writes)
        {
            if (!_stations.TryGetValue(b.StationId, out var station))
            {
                b.Refusal = new InvalidOperationException("The station no longer exists.");
                continue;
            }

            station.Vendor = b.Report.Vendor;
            station.Model = b.Report.Model;
            station.SerialNumber = b.Report.SerialNumber;
            station.FirmwareVersion = b.Report.FirmwareVersion;
            station.LastBootAt = b.At;
            station.LastSeenAt = b.At;
            var entry = db.Entry(station);
            foreach (var name in BootProperties)
            {
                entry.Property(name).IsModified = true;
            }

            b.RegistrationStatus = station.RegistrationStatus;
        }
    }

    void IBatchWriteKind.Clear()
    {
        _writes.Clear();
        _stations.Clear();
    }

    private sealed class BootWrite(BootBatch kind, Guid stationId, BootReport report, DateTimeOffset at) : BatchedWrite
    {
        public override IBatchWriteKind Kind => kind;
        public Guid StationId => stationId;
        public BootReport Report => report;
        public DateTimeOffset At => at;
        public RegistrationStatus RegistrationStatus { get; set; }
    }
}
