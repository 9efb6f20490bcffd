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
    bool Active);

internal sealed record MeterValueDto(DateTimeOffset Timestamp, string Value, string? Measurand, string? Unit, string? Context, string? Phase, string? Location);

internal sealed record TransactionDetailDto(TransactionDto Transaction, IReadOnlyList<MeterValueDto> MeterValues);

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
        }).WithSummary("Charging sessions, newest first");
        group.MapGet("/export", async ([AsParameters] TransactionListQuery q, TransactionService transactions, CancellationToken ct) =>
                TypedResults.Text(await transactions.ExportCsvAsync(q.Filter, ct), "text/csv", Encoding.UTF8))
            .WithSummary("The filtered charging sessions as CSV");
        group.MapGet("/{id}", async (int id, TransactionService transactions, CancellationToken ct) =>
        {
            var result = await transactions.GetAsync(id, ct);
            return result.IsSuccess
                ? TypedResults.Ok(new TransactionDetailDto(ToDto(result.Value!.Row), result.Value.MeterValues
                    .Select(m => new MeterValueDto(m.Timestamp, m.Value, m.Measurand, m.Unit, m.Context, m.Phase, m.Location)).ToList()))
                : result.Error!.ToProblem();
        }).WithSummary("One charging session with its meter values");
    }

    public static TransactionDto ToDto(TransactionRow r) => new(
        r.Transaction.Id, r.StationIdentity, r.Transaction.ConnectorId, r.Transaction.IdTag, r.Transaction.StartedAt, r.Transaction.StoppedAt,
        r.Transaction.MeterStartWh, r.Transaction.MeterStopWh, r.EnergyWh, r.Transaction.StopIdTag, r.Transaction.StopReason, r.Transaction.StoppedAt is null);
}
