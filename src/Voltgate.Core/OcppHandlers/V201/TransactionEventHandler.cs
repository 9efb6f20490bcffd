using Voltgate.Core.OcppHandlers.V16;
using Voltgate.Core.Transactions;
using Voltgate.Ocpp.V201;

namespace Voltgate.Core.OcppHandlers.V201;

/// <summary>
/// TransactionEvent (Started / Updated / Ended) onto the one transaction model: the station's transactionId is the
/// transaction's <see cref="ChargingTransaction.StationTransactionId"/>, EVSE n is connector n, the meter values go to
/// the one sample table, and an idToken is decided from the one ID tag list and answered as idTokenInfo.
/// </summary>
internal sealed class TransactionEventHandler(TransactionEventService transactions) : V201Handler<TransactionEventRequest, TransactionEventResponse>
{
    public override async Task<TransactionEventResponse> HandleAsync(OcppStationContext station, TransactionEventRequest request, CancellationToken ct)
    {
        // NoAuthorization carries no value to look up or to store (2.0.1 C01 accepts it, as Authorize does).
        var token = request.IdToken is { Type: not IdTokenEnumType.NoAuthorization } t ? t.IdToken : null;
        var report = new TransactionEventReport(
            request.TransactionInfo.TransactionId,
            request.EventType switch
            {
                TransactionEventEnumType.Started => TransactionEventKind.Started,
                TransactionEventEnumType.Ended => TransactionEventKind.Ended,
                _ => TransactionEventKind.Updated,
            },
            request.SeqNo,
            SpecNames.Of(request.TriggerReason),
            request.Timestamp,
            request.Offline ?? false,
            request.Evse?.Id,
            token,
            SpecNames.Of(request.TransactionInfo.StoppedReason),
            request.MeterValue is { } values ? V201MeterValues.Readings(values) : []);
        var outcome = await transactions.RecordAsync(station.Station, report, ct);
        var info = outcome.Authorization is { } decision ? V201IdTokens.ToIdTokenInfo(decision)
            : request.IdToken is not null ? new IdTokenInfoType { Status = AuthorizationStatusEnumType.Accepted }
            : null;
        return new TransactionEventResponse { IdTokenInfo = info };
    }
}
