using System.Text;
using Voltgate.Core.Access;
using Voltgate.Core.Transactions;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Api;

internal sealed record TransactionDto(
    int Id,
    string Station,
    int ConnectorId,
    string IdTag,
    DateTimeOffset StartedAt,
    DateTimeOffset? StoppedAt,
    long MeterStartWh,
    long? MeterStopWh,
    long? EnergyWh,
    string? StopIdTag,
    string? StopReason,
    bool Active,
    string? StationTransactionId,
    string Protocol);

/// <summary>One OCPP 2.0.1 TransactionEvent of a transaction, in seqNo order (a 1.6 transaction has none).</summary>
internal sealed record TransactionEventDto(int SeqNo, string EventType, string TriggerReason, DateTimeOffset Timestamp, bool Offline, int SampleCount);

internal sealed record MeterValueDto(DateTimeOffset Timestamp, string Value, string? Measurand, string? Unit, string? Context, string? Phase, string? Location);

/// <summary>A transaction with the first page of its meter values (<c>?skip=&amp;take=</c>) and how many it has in all.</summary>
internal sealed record TransactionDetailDto(TransactionDto Transaction, IReadOnlyList<MeterValueDto> MeterValues, int MeterValuesTotal, TransactionAnomalies Anomalies,
    IReadOnlyList<TransactionEventDto> Events);

/// <summary>Filters of the transactions list and export: station identity, idTag, active, started in [from, to).</summary>
internal sealed record TransactionListQuery(int? Skip, int? Take, string? Station, string? IdTag, bool? Active, DateTimeOffset? From, DateTimeOffset? To)
{
    public TransactionFilter Filter => new(Station, IdTag, Active, From, To);
}

internal static class TransactionsApi
{
    public static void MapTransactionsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/transactions").WithTags("Transactions").RequireRight(Right.TransactionsView);
        group.MapGet("/", async ([AsParameters] TransactionListQuery q, TransactionService transactions, CancellationToken ct) =>
        {
            var (s, t) = ApiErrors.Paging(q.Skip, q.Take);
            var (items, total) = await transactions.ListAsync(q.Filter, s, t, ct);
            return TypedResults.Ok(new Page<TransactionDto>(items.Select(ToDto).ToList(), total));
        }).WithSummary("Charging sessions, newest first").Produces<Page<TransactionDto>>();
        group.MapGet("/export", async ([AsParameters] TransactionListQuery q, TransactionService transactions, CancellationToken ct) =>
                TypedResults.Text(await transactions.ExportCsvAsync(q.Filter, ct), "text/csv", Encoding.UTF8))
            .WithSummary("The filtered charging sessions as CSV").Produces<string>(StatusCodes.Status200OK, "text/csv");
        group.MapGet("/{id}", async (int id, int? skip, int? take, TransactionService transactions, CancellationToken ct) =>
        {
            if (SamplePaging.Problem(skip, take) is { } bad)
            {
                return bad;
            }

            var result = await transactions.GetAsync(id, skip ?? 0, take ?? SamplePaging.DefaultTake, ct);
            if (!result.IsSuccess)
            {
                return result.Error!.ToProblem();
            }

            var events = await transactions.EventsAsync(id, ct);
            return TypedResults.Ok(new TransactionDetailDto(ToDto(result.Value!.Row), result.Value.MeterValues.Select(ToDto).ToList(),
                result.Value.MeterValueTotal, result.Value.Row.Transaction.Anomalies,
                events.Select(e => new TransactionEventDto(e.SeqNo, e.EventType, e.TriggerReason, e.Timestamp, e.Offline, e.SampleCount)).ToList()));
        }).WithSummary("One charging session with the first page of its meter values (?skip=&take=, at most 500)").Produces<TransactionDetailDto>().ProducesProblems(400, 404);
        group.MapGet("/{id}/meter-values", async (int id, int? skip, int? take, TransactionService transactions, CancellationToken ct) =>
        {
            if (SamplePaging.Problem(skip, take) is { } bad)
            {
                return bad;
            }

            var result = await transactions.GetAsync(id, skip ?? 0, take ?? SamplePaging.DefaultTake, ct);
            return result.IsSuccess
                ? TypedResults.Ok(new Page<MeterValueDto>(result.Value!.MeterValues.Select(ToDto).ToList(), result.Value.MeterValueTotal))
                : result.Error!.ToProblem();
        }).WithSummary("A charging session's meter values, oldest first, paged (?skip=&take=, at most 500)").Produces<Page<MeterValueDto>>().ProducesProblems(400, 404);
    }

    private static MeterValueDto ToDto(MeterSample m) => new(m.Timestamp, m.Value, m.Measurand, m.Unit, m.Context, m.Phase, m.Location);

    public static TransactionDto ToDto(TransactionRow r) => new(
        r.Transaction.Id, r.StationIdentity, r.Transaction.ConnectorId, r.Transaction.IdTag, r.Transaction.StartedAt, r.Transaction.StoppedAt,
        r.Transaction.MeterStartWh, r.Transaction.MeterStopWh, r.EnergyWh, r.Transaction.StopIdTag, r.Transaction.StopReason, r.Transaction.StoppedAt is null,
        r.Transaction.StationTransactionId, r.Transaction.StationTransactionId is null ? "ocpp1.6" : "ocpp2.0.1");
}

/// <summary>
/// Paging of a transaction's meter values. Unlike the lists' lenient clamping, a page outside the range is answered
/// 400: a caller asking for 100,000 samples at once should learn that it gets at most 500, not silently fewer.
/// </summary>
internal static class SamplePaging
{
    public const int DefaultTake = 100;
    public const int MaxTake = 500;

    public static IResult? Problem(int? skip, int? take)
    {
        var errors = new Dictionary<string, string[]>();
        if (skip is < 0)
        {
            errors["skip"] = ["skip must be 0 or more."];
        }

        if (take is < 1 or > MaxTake)
        {
            errors["take"] = [$"take must be between 1 and {MaxTake}."];
        }

        return errors.Count == 0 ? null : TypedResults.ValidationProblem(errors, detail: "Invalid page.", title: "Invalid page.");
    }
}
