using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;
using Voltgate.Core.Tenancy;
using Voltgate.Server.Tests.Cluster;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.Faults;

/// <summary>
/// The <c>kill -9</c> audit: the real server runs as its own process while several stations start transactions,
/// send meter values and stop them over real WebSockets; the process is SIGKILLed mid-load and restarted on the
/// same data, three times. Then the database is read directly and every acknowledged StartTransaction, MeterValues
/// sample and StopTransaction must be stored exactly once.
/// </summary>
/// <remarks>
/// "Exactly once" here means what an OCPP 1.6 station relies on: it keeps one message in flight and resends it after
/// a reconnect until it gets a CALLRESULT (OCPP-J §4.1.1, a station's transaction-related messages are delivered
/// reliably). A message that was in flight at the kill may or may not have been committed; either way it is resent,
/// and the resend must neither be lost nor stored a second time (the same transaction id for a replayed start, no
/// second sample, no changed stop). So at the end every message a station sent is acknowledged, and every
/// acknowledged message is stored once; nothing is stored that no station sent.
/// </remarks>
[Collection(ClusterCollection.Name)]
public sealed class KillUnderLoadTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Rounds = 3;
    private const int StationCount = 6;
    private const int MeterValuesPerTransaction = 4;

    // Acknowledgements the load must reach between two kills, so that each kill lands mid-load.
    private const int AcknowledgementsPerRound = 60;

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Every_acknowledged_message_is_stored_exactly_once_across_kill_9_rounds(string provider)
    {
        var postgres = provider == "Postgres" ? TestDatabases.PostgresConnectionString() : null;
        await using var node = await NodeProcess.StartReadyAsync("kill9-" + Guid.NewGuid().ToString("N")[..6], postgres, []);
        string password;
        List<string> identities;
        using (var api = await node.AdminClientAsync())
        {
            password = Arrange.RandomPassword();
            await api.PasswordAsync(password);
            identities = [.. Enumerable.Range(0, StationCount).Select(_ => Arrange.NewIdentity("K9"))];
            foreach (var identity in identities)
            {
                await api.StationAsync(identity);
            }
        }

        var clock = new MessageClock();
        var stations = identities.Select(id => new LoadStation(node.OcppEndpoint, id, password, clock)).ToList();
        using var stop = new CancellationTokenSource();
        var load = stations.Select(s => Task.Run(() => s.RunAsync(stop.Token))).ToList();

        for (var round = 1; round <= Rounds; round++)
        {
            await WaitForAcknowledgementsAsync(stations, load, stations.Sum(s => s.Acknowledged) + AcknowledgementsPerRound, node);
            node.Kill();
            await node.RestartAsync();
        }

        // Load goes on after the last restart; then each station finishes the message it has in flight and stops.
        await WaitForAcknowledgementsAsync(stations, load, stations.Sum(s => s.Acknowledged) + AcknowledgementsPerRound / 2, node);
        await stop.CancelAsync();
        var drained = Task.WhenAll(load);
        Assert.True(await Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(60))) == drained, $"the stations did not get their last messages acknowledged:\n{node.Output}");
        await drained;

        var audit = await AuditAsync(node, postgres, stations);
        var acknowledged = stations.Sum(s => s.Acknowledged);
        output.WriteLine($"kill -9: {Rounds} rounds, {acknowledged} acknowledged, {audit.StoredOnce} stored, {audit.Lost.Count} lost, {audit.Duplicated.Count} duplicated " +
            $"({provider}; {stations.Sum(s => s.Resent)} messages resent after a kill, {audit.Unsent} stored that no station sent)");
        Assert.True(audit.Lost.Count == 0, $"acknowledged but not stored: {string.Join("; ", audit.Lost.Take(10))}");
        Assert.True(audit.Duplicated.Count == 0, $"stored more than once: {string.Join("; ", audit.Duplicated.Take(10))}");
        Assert.Equal(0, audit.Unsent);
        Assert.Equal(acknowledged, audit.StoredOnce);
        Assert.True(stations.All(s => s.Transactions.Count(t => t.Stopped) >= 1), "every station must have completed a transaction");
        Assert.True(stations.Sum(s => s.Resent) > 0, "at least one message must have been in flight at a kill, or the audit proves nothing about retries");
    }

    private static async Task WaitForAcknowledgementsAsync(List<LoadStation> stations, List<Task> load, int target, NodeProcess node)
    {
        var waited = Stopwatch.StartNew();
        while (stations.Sum(s => s.Acknowledged) < target)
        {
            if (load.FirstOrDefault(t => t.IsFaulted) is { } failed)
            {
                await failed;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(45), $"the load stalled at {stations.Sum(s => s.Acknowledged)} acknowledgements:\n{node.Output}");
            await Task.Delay(20);
        }
    }

    private static async Task<Audit> AuditAsync(NodeProcess node, string? postgres, List<LoadStation> stations)
    {
        await using var db = OpenDatabase(node, postgres);
        var identities = stations.Select(s => s.Identity).ToList();
        var stationIds = await db.Stations.IgnoreQueryFilters().Where(s => identities.Contains(s.Identity)).ToDictionaryAsync(s => s.Identity, s => s.Id);
        var ids = stationIds.Values.ToList();
        var transactions = await db.Transactions.IgnoreQueryFilters().AsNoTracking().Where(t => ids.Contains(t.StationId)).ToListAsync();
        var samples = await db.MeterSamples.IgnoreQueryFilters().AsNoTracking().Where(m => ids.Contains(m.StationId)).ToListAsync();

        var lost = new List<string>();
        var duplicated = new List<string>();
        var storedOnce = 0;
        var sent = 0;
        foreach (var station in stations)
        {
            var stationId = stationIds[station.Identity];
            var rows = transactions.Where(t => t.StationId == stationId).ToList();
            foreach (var tx in station.Transactions)
            {
                var matches = rows.Where(r => Ms(r.StartedAt) == Ms(tx.StartedAt)).ToList();
                sent++;
                if (matches.Count == 0)
                {
                    lost.Add($"{station.Identity} StartTransaction {tx.StartedAt:O}");
                    continue;
                }

                if (matches.Count > 1)
                {
                    duplicated.Add($"{station.Identity} StartTransaction {tx.StartedAt:O} ×{matches.Count}");
                    continue;
                }

                var row = matches[0];
                if (row.Id != tx.TransactionId || row.MeterStartWh != tx.MeterStartWh)
                {
                    lost.Add($"{station.Identity} StartTransaction {tx.StartedAt:O} answered id {tx.TransactionId}, stored as id {row.Id} with meterStart {row.MeterStartWh}");
                    continue;
                }

                storedOnce++;
                if (tx.Stopped)
                {
                    sent++;
                    if (row.StoppedAt is { } stoppedAt && Ms(stoppedAt) == Ms(tx.StoppedAt) && row.MeterStopWh == tx.MeterStopWh)
                    {
                        storedOnce++;
                    }
                    else
                    {
                        lost.Add($"{station.Identity} StopTransaction {tx.TransactionId}: stored stop {row.StoppedAt:O} / {row.MeterStopWh} Wh");
                    }
                }
            }

            var stored = samples.Where(m => m.StationId == stationId).GroupBy(m => (Ms(m.Timestamp), m.Value)).ToDictionary(g => g.Key, g => g.ToList());
            foreach (var sample in station.Samples)
            {
                sent++;
                if (!stored.TryGetValue((Ms(sample.Timestamp), sample.Value), out var found))
                {
                    lost.Add($"{station.Identity} MeterValues {sample.Timestamp:O} {sample.Value}");
                }
                else if (found.Count > 1)
                {
                    duplicated.Add($"{station.Identity} MeterValues {sample.Timestamp:O} {sample.Value} ×{found.Count}");
                }
                else if (found[0].TransactionId != sample.TransactionId)
                {
                    lost.Add($"{station.Identity} MeterValues {sample.Timestamp:O} stored for transaction {found[0].TransactionId}, sent for {sample.TransactionId}");
                }
                else
                {
                    storedOnce++;
                }
            }
        }

        // Rows no station's message accounts for (a duplicate under another key, or a phantom).
        var expectedRows = stations.Sum(s => s.Transactions.Count + s.Samples.Count);
        var unsent = Math.Max(0, transactions.Count + samples.Count - expectedRows);
        Assert.Equal(sent, stations.Sum(s => s.Acknowledged));
        return new Audit(storedOnce, lost, duplicated, unsent);
    }

    private static VoltgateDbContext OpenDatabase(NodeProcess node, string? postgres) => postgres is null
        ? new SqliteVoltgateDbContext(new DbContextOptionsBuilder<SqliteVoltgateDbContext>()
            .UseSqlite($"Data Source={Path.Combine(node.DataDirectory, "voltgate.db")};Pooling=False").Options, new TenantContext())
        : new PostgresVoltgateDbContext(new DbContextOptionsBuilder<PostgresVoltgateDbContext>().UseNpgsql(postgres).Options, new TenantContext());

    private static long Ms(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds() ?? -1;

    private sealed record Audit(int StoredOnce, List<string> Lost, List<string> Duplicated, int Unsent);

    /// <summary>Timestamps unique across all stations (1 ms apart), close to now so no plausibility window refuses them.</summary>
    private sealed class MessageClock
    {
        private readonly long _start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        private long _next;

        public DateTimeOffset Next() => DateTimeOffset.FromUnixTimeMilliseconds(_start + Interlocked.Increment(ref _next));
    }

    private sealed class SentTransaction
    {
        public required DateTimeOffset StartedAt { get; init; }
        public required long MeterStartWh { get; init; }
        public int TransactionId { get; set; }
        public bool Stopped { get; set; }
        public DateTimeOffset StoppedAt { get; set; }
        public long MeterStopWh { get; set; }
    }

    private sealed record SentSample(DateTimeOffset Timestamp, string Value, int TransactionId);

    /// <summary>
    /// A station as OCPP 1.6 has it: one message in flight, resent after a reconnect until it is acknowledged; a
    /// BootNotification after every reconnect. Records what was acknowledged.
    /// </summary>
    private sealed class LoadStation(Uri endpoint, string identity, string password, MessageClock clock)
    {
        private readonly ConcurrentQueue<SentTransaction> _transactions = new();
        private readonly ConcurrentQueue<SentSample> _samples = new();
        private TestStation? _station;
        private long _meterWh = 1000;
        private int _acknowledged;

        public string Identity => identity;
        public int Acknowledged => Volatile.Read(ref _acknowledged);
        public int Resent { get; private set; }
        public IReadOnlyCollection<SentTransaction> Transactions => _transactions;
        public IReadOnlyCollection<SentSample> Samples => _samples;

        public async Task RunAsync(CancellationToken stop)
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    var tx = new SentTransaction { StartedAt = clock.Next(), MeterStartWh = _meterWh };
                    var started = await DeliverAsync("StartTransaction", new { connectorId = 1, idTag = "TAG-K9", meterStart = tx.MeterStartWh, timestamp = Iso(tx.StartedAt) });
                    tx.TransactionId = started["transactionId"]!.GetValue<int>();
                    _transactions.Enqueue(tx);
                    Interlocked.Increment(ref _acknowledged);

                    for (var i = 0; i < MeterValuesPerTransaction && !stop.IsCancellationRequested; i++)
                    {
                        _meterWh += 10;
                        var sample = new SentSample(clock.Next(), _meterWh.ToString(CultureInfo.InvariantCulture), tx.TransactionId);
                        await DeliverAsync("MeterValues", new
                        {
                            connectorId = 1,
                            transactionId = tx.TransactionId,
                            meterValue = new[] { new { timestamp = Iso(sample.Timestamp), sampledValue = new[] { new { value = sample.Value, measurand = "Energy.Active.Import.Register", unit = "Wh" } } } },
                        });
                        _samples.Enqueue(sample);
                        Interlocked.Increment(ref _acknowledged);
                    }

                    _meterWh += 10;
                    var stoppedAt = clock.Next();
                    await DeliverAsync("StopTransaction", new { transactionId = tx.TransactionId, meterStop = _meterWh, timestamp = Iso(stoppedAt), reason = "Local" });
                    tx.StoppedAt = stoppedAt;
                    tx.MeterStopWh = _meterWh;
                    tx.Stopped = true;
                    Interlocked.Increment(ref _acknowledged);
                }
            }
            finally
            {
                if (_station is not null)
                {
                    await _station.DisposeAsync();
                }
            }
        }

        // Sends the message until a CALLRESULT answers it, reconnecting as often as needed.
        private async Task<JsonObject> DeliverAsync(string action, object payload)
        {
            var attempts = Stopwatch.StartNew();
            for (var attempt = 0; ; attempt++)
            {
                Assert.True(attempts.Elapsed < TimeSpan.FromSeconds(90), $"{identity}: {action} was not acknowledged within 90 s");
                if (attempt > 0)
                {
                    Resent++;
                }

                var station = await ConnectedAsync();
                var answer = await AnswerAsync(station, action, payload);
                if (answer is null)
                {
                    // The connection ended (the kill) before the answer: drop it and resend on a new one.
                    await DropAsync();
                    continue;
                }

                if (answer[0]!.GetValue<int>() == 3)
                {
                    return answer[2]!.AsObject();
                }

                // A CALLERROR (e.g. a database not yet reachable after the restart) is not an acknowledgement either.
                await Task.Delay(200);
            }
        }

        private async Task<TestStation> ConnectedAsync()
        {
            while (true)
            {
                if (_station is { } current && !current.Closed.IsCompleted)
                {
                    return current;
                }

                await DropAsync();
                try
                {
                    var result = await TestStation.ConnectAsync(endpoint, identity, password, "ocpp1.6");
                    if (result.Station is { } station)
                    {
                        var boot = await AnswerAsync(station, "BootNotification", new { chargePointVendor = "Voltgate", chargePointModel = "K9" });
                        if (boot is not null && boot[0]!.GetValue<int>() == 3)
                        {
                            _station = station;
                            return station;
                        }

                        await station.DisposeAsync();
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or System.Net.WebSockets.WebSocketException or OperationCanceledException or IOException)
                {
                    // The server is not listening yet.
                }

                await Task.Delay(100);
            }
        }

        // The answer, or null when the connection ends (or stays silent) before it comes.
        private static async Task<JsonArray?> AnswerAsync(TestStation station, string action, object payload)
        {
            var call = station.CallAsync(action, payload, TimeSpan.FromSeconds(20));
            _ = call.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            await Task.WhenAny(call, station.Closed);
            // A frame that arrived before the close completed the call first: the receive loop reads in order.
            return call.IsCompletedSuccessfully ? call.Result : null;
        }

        private async Task DropAsync()
        {
            if (_station is { } station)
            {
                _station = null;
                await station.DisposeAsync();
            }
        }

        private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }
}
