using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.IdTags;
using Voltgate.Core.Stations;
using Voltgate.Core.Transactions;

namespace Voltgate.Core.Tests.Domain;

public sealed class TransactionRecorderTests : IAsyncLifetime
{
    private static readonly DateTimeOffset StartedAt = new(2026, 11, 24, 7, 0, 0, TimeSpan.Zero);

    private DomainDatabase _db = null!;
    private StationRef _station;

    public async Task InitializeAsync()
    {
        _db = await DomainDatabase.CreateAsync();
        _station = await _db.AddStationAsync();
        await _db.WithDbAsync(db =>
        {
            db.IdTags.Add(new IdTag { TenantId = _db.TenantId, Value = "CARD-1" });
            return db.SaveChangesAsync();
        });
    }

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    private async Task<TransactionStarted> StartAsync(DateTimeOffset? at = null)
    {
        await using var scope = _db.Scope();
        return await scope.ServiceProvider.GetRequiredService<TransactionRecorder>()
            .StartAsync(_station, new StartTransaction(1, "CARD-1", at ?? StartedAt, 1_000, null), CancellationToken.None);
    }

    private async Task<IdTagAuthorization?> StopAsync(StopTransaction command)
    {
        await using var scope = _db.Scope();
        return await scope.ServiceProvider.GetRequiredService<TransactionRecorder>().StopAsync(_station, command, CancellationToken.None);
    }

    private Task<List<ChargingTransaction>> TransactionsAsync() => _db.QueryAsync(db => db.Transactions.AsNoTracking().ToListAsync());

    [Fact]
    public async Task A_start_is_stored_and_answered_with_its_id_and_authorisation()
    {
        var started = await StartAsync(StartedAt.ToOffset(TimeSpan.FromHours(2)));

        var stored = Assert.Single(await TransactionsAsync());
        Assert.Equal(stored.Id, started.TransactionId);
        Assert.Equal(IdTagAuthorizationStatus.Accepted, started.Authorization.Status);
        Assert.Equal((_station.StationId, 1, "CARD-1", 1_000L, StartedAt), (stored.StationId, stored.ConnectorId, stored.IdTag, stored.MeterStartWh, stored.StartedAt));
        Assert.Equal(TimeSpan.Zero, stored.StartedAt.Offset);
    }

    [Fact]
    public async Task A_replayed_start_gets_the_same_id_and_is_not_its_own_concurrent_transaction()
    {
        var first = await StartAsync();
        var replay = await StartAsync();

        Assert.Equal(first.TransactionId, replay.TransactionId);
        Assert.Equal(IdTagAuthorizationStatus.Accepted, replay.Authorization.Status);
        Assert.Single(await TransactionsAsync());
    }

    [Fact]
    public async Task Starts_racing_on_two_connections_get_one_transaction()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => StartAsync())));

        var stored = Assert.Single(await TransactionsAsync());
        Assert.All(results, r => Assert.Equal(stored.Id, r.TransactionId));
    }

    [Fact]
    public async Task A_stop_is_stored_once_and_a_replayed_stop_changes_nothing()
    {
        var id = (await StartAsync()).TransactionId;
        var stoppedAt = StartedAt.AddHours(1);

        var first = await StopAsync(new StopTransaction(id, stoppedAt, 5_000, "CARD-1", "EVDisconnected", null));
        var replay = await StopAsync(new StopTransaction(id, stoppedAt.AddMinutes(5), 9_999, null, "Local", null));

        var stored = Assert.Single(await TransactionsAsync());
        Assert.Equal((stoppedAt, 5_000L, "CARD-1", "EVDisconnected"), (stored.StoppedAt!.Value, stored.MeterStopWh!.Value, stored.StopIdTag, stored.StopReason));
        Assert.Equal(IdTagAuthorizationStatus.Accepted, first!.Value.Status);
        Assert.Null(replay);
    }

    [Fact]
    public async Task A_stop_of_an_unknown_or_foreign_transaction_is_answered_and_changes_nothing()
    {
        var other = await _db.AddStationAsync("CP-2");
        int foreignId;
        await using (var scope = _db.Scope())
        {
            foreignId = (await scope.ServiceProvider.GetRequiredService<TransactionRecorder>()
                .StartAsync(other, new StartTransaction(1, "CARD-1", StartedAt, 0, null), CancellationToken.None)).TransactionId;
        }

        var unknown = await StopAsync(new StopTransaction(4242, StartedAt, 1, "CARD-1", "Local", null));
        var foreign = await StopAsync(new StopTransaction(foreignId, StartedAt.AddHours(1), 1, "NOBODY", "Local", null));

        // The foreign transaction is still open, so CARD-1 is in a concurrent one.
        Assert.Equal(IdTagAuthorizationStatus.ConcurrentTx, unknown!.Value.Status);
        Assert.Equal(IdTagAuthorizationStatus.Invalid, foreign!.Value.Status);
        Assert.Null(Assert.Single(await TransactionsAsync()).StoppedAt);
    }

    [Fact]
    public async Task A_stop_stores_its_transaction_data_and_the_replay_check_reads_them_again()
    {
        var id = (await StartAsync()).TransactionId;
        var metering = _db.Services.GetRequiredService<MeteringService>();
        // The check learns this station's newest stored sample (08:00).
        await metering.MeterAsync(_station, 1, id, [Sample(id, StartedAt.AddHours(1), "100")], CancellationToken.None);

        var data = new SampledReading(StartedAt.AddHours(2), "200", null, "Wh", "Transaction.End", null, null, null);
        await StopAsync(new StopTransaction(id, StartedAt.AddHours(2), 200, null, "Local", [data]));
        // The station did not get the answer and replays the stop's reading as MeterValues.
        await metering.MeterAsync(_station, 1, id, [Sample(id, StartedAt.AddHours(2), "200", "Transaction.End")], CancellationToken.None);

        var samples = await _db.QueryAsync(db => db.MeterSamples.AsNoTracking().OrderBy(m => m.Timestamp).ToListAsync());
        Assert.Equal(["100", "200"], samples.Select(s => s.Value));
        Assert.Equal((id, 1, "Energy.Active.Import.Register", "Wh"), (samples[1].TransactionId!.Value, samples[1].ConnectorId, samples[1].Measurand, samples[1].Unit));
    }

    private MeterSample Sample(int? transactionId, DateTimeOffset at, string value, string? context = null) =>
        MeterSampleFactory.Create(_station, 1, transactionId, new SampledReading(at, value, null, "Wh", context, null, null, null));
}
