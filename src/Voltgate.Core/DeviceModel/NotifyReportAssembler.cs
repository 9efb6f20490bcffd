using Voltgate.Core.Common;
using Voltgate.Core.Plausibility;
using Voltgate.Core.Stations;

namespace Voltgate.Core.DeviceModel;

/// <summary>
/// Puts a report split over many NotifyReport messages (<c>tbc</c>, <c>seqNo</c> 0, 1, 2, …) back together, so that
/// it is stored whole once its last part arrived and nothing of it when a part is missing. One report per station is
/// assembled at a time (a station answers one GetBaseReport after another); its parts live in memory on the node
/// holding the station's socket and are dropped when the connection ends.
/// </summary>
internal sealed class NotifyReportAssembler(StationRecordLimits limits) : IDomainEventHandler<ConnectionEnded>
{
    private readonly Dictionary<Guid, Assembly> _byStation = [];

    /// <summary>Takes one part; answers the whole report when this part is its last, otherwise null.</summary>
    /// <exception cref="InputRefusedException">A part out of order (the report is discarded) or a report beyond the station's cap.</exception>
    public IReadOnlyList<DeviceModelEntry>? Add(Guid stationId, int requestId, int seqNo, bool tbc, IReadOnlyList<DeviceModelEntry> entries)
    {
        lock (_byStation)
        {
            _byStation.TryGetValue(stationId, out var current);
            if (seqNo == 0)
            {
                // A new report (or the same one restarted) replaces whatever was being assembled.
                current = new Assembly(requestId);
                _byStation[stationId] = current;
            }
            else if (current is null || current.RequestId != requestId)
            {
                throw new InputRefusedException(InputProblem.OutOfRange,
                    $"NotifyReport seqNo {seqNo} of requestId {requestId} arrived without its earlier parts; the report is not stored.");
            }
            else if (seqNo < current.NextSeqNo)
            {
                // A repeat of a part already taken (the station did not see our answer): answered, not taken twice.
                return null;
            }
            else if (seqNo > current.NextSeqNo)
            {
                _byStation.Remove(stationId);
                throw new InputRefusedException(InputProblem.OutOfRange,
                    $"NotifyReport seqNo {seqNo} of requestId {requestId} follows seqNo {current.NextSeqNo - 1}; a part is missing and the report is not stored.");
            }
            else if (current.Done)
            {
                return null;
            }

            if (current.Entries.Count + entries.Count > limits.MaxDeviceModelVariables)
            {
                _byStation.Remove(stationId);
                throw new InputRefusedException(InputProblem.TooMany,
                    $"The report holds more than {limits.MaxDeviceModelVariables} variables (Voltgate:Limits:MaxDeviceModelVariables); it is not stored.");
            }

            current.Entries.AddRange(entries);
            current.NextSeqNo = seqNo + 1;
            if (tbc)
            {
                return null;
            }

            // Kept as done (without its entries) so that a repeated last part is recognised as a repeat.
            var whole = current.Entries.ToList();
            current.Entries.Clear();
            current.Done = true;
            return whole;
        }
    }

    /// <summary>Drops the station's report in progress (its connection ended, or storing the whole report failed).</summary>
    public void Forget(Guid stationId)
    {
        lock (_byStation)
        {
            _byStation.Remove(stationId);
        }
    }

    public void Handle(ConnectionEnded domainEvent) => Forget(domainEvent.StationId);

    private sealed class Assembly(int requestId)
    {
        public int RequestId { get; } = requestId;
        public int NextSeqNo { get; set; }
        public bool Done { get; set; }
        public List<DeviceModelEntry> Entries { get; } = [];
    }
}
