using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Common;
using Voltgate.Core.Stations;
using Voltgate.Core.Transactions;

namespace Voltgate.Core.Tests.Domain;

public sealed class MeteringServiceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    private DomainDatabase _db = null!;
    private StationRef _station;
    private MeteringService _metering = null!;

    public async Task InitializeAsync()
    {
        _db = await DomainDatabase.CreateAsync();
        _station = await _db.AddStationAsync();
        _metering = _db.Services.GetRequiredService<MeteringService>();
    }

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    private static MeterSample Sample(StationRef station, int? transactionId, DateTimeOffset at, string value) =>
        MeterSampleFactory.Create(station, 1, transactionId, new SampledReading(at, value, null, "Wh", null, null, null, null));

    private Task MeterAsync(int? transactionId, params (DateTimeOffset At, string Value)[] readings) =>
        _metering.MeterAsync(_station, 1, transactionId, [.. readings.Select(r => Sample(_station, transactionId, r.At, r.Value))], CancellationToken.None);

    private Task<List<MeterSample>> StoredAsync() =>
        _db.QueryAsync(db => db.MeterSamples.AsNoTracking().OrderBy(m => m.Timestamp).ThenBy(m => m.Id).ToListAsync());

    private async Task<int> TransactionOfAsync(StationRef station)
    {
        var transaction = new ChargingTransaction { TenantId = station.TenantId, StationId = station.StationId, ConnectorId = 1, IdTag = "CARD", StartedAt = At };
        await _db.WithDbAsync(db =>
        {
            db.Transactions.Add(transaction);
            return db.SaveChangesAsync();
        });
        return transaction.Id;
    }

    [Fact]
    public async Task Samples_keep_the_stations_own_transaction_and_drop_a_foreign_one()
    {
        var own = await TransactionOfAsync(_station);
        var foreign = await TransactionOfAsync(await _db.AddStationAsync("CP-2"));

        await MeterAsync(own, (At.AddMinutes(1), "1"));
        await MeterAsync(foreign, (At.AddMinutes(2), "2"));
        await MeterAsync(4242, (At.AddMinutes(3), "3"));

        Assert.Equal([own, null, null], (await StoredAsync()).Select(s => s.TransactionId));
    }

    [Fact]
    public async Task Replayed_samples_are_skipped_also_within_one_message()
    {
        await MeterAsync(null, (At.AddMinutes(1), "1"), (At.AddMinutes(2), "2"));

        await MeterAsync(null, (At.AddMinutes(1), "1"), (At.AddMinutes(2), "2"), (At.AddMinutes(3), "3"), (At.AddMinutes(3), "3"));

        Assert.Equal(["1", "2", "3"], (await StoredAsync()).Select(s => s.Value));
    }

    [Fact]
    public async Task Samples_stored_elsewhere_are_caught_once_the_connection_has_ended()
    {
        await MeterAsync(null, (At.AddMinutes(1), "1"));
        // Another node stored a newer sample while the station was connected there.
        await _db.WithDbAsync(db =>
        {
            db.MeterSamples.Add(Sample(_station, null, At.AddMinutes(2), "2"));
            return db.SaveChangesAsync();
        });

        _db.Services.GetRequiredService<DomainEvents>().Raise(new ConnectionEnded(_station.StationId));
        await MeterAsync(null, (At.AddMinutes(2), "2"), (At.AddMinutes(3), "3"));

        Assert.Equal(["1", "2", "3"], (await StoredAsync()).Select(s => s.Value));
    }

    [Fact]
    public async Task Without_the_event_the_check_trusts_what_it_remembers()
    {
        // The counterpart of the test above: it shows that the event, not a fresh read, is what catches the replay.
        await MeterAsync(null, (At.AddMinutes(1), "1"));
        await _db.WithDbAsync(db =>
        {
            db.MeterSamples.Add(Sample(_station, null, At.AddMinutes(2), "2"));
            return db.SaveChangesAsync();
        });

        await MeterAsync(null, (At.AddMinutes(2), "2"));

        Assert.Equal(["1", "2", "2"], (await StoredAsync()).Select(s => s.Value));
    }

    [Fact]
    public async Task A_message_is_answered_only_with_its_rows_committed()
    {
        var stationsBefore = _db.Writer.Totals;

        await MeterAsync(null, (At.AddMinutes(1), "1"));

        Assert.Single(await StoredAsync());
        Assert.True(_db.Writer.Totals.Batches > stationsBefore.Batches);
    }
}
