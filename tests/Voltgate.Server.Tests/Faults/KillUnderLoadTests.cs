using System.Data.Common;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using Voltgate.Server.Tests.Cluster;
using Voltgate.Server.Tests.Support;
using Xunit.Abstractions;

namespace Voltgate.Server.Tests.Faults;

/// <summary>
/// The <c>kill -9</c> audit (docs/reliability.md): stations charge against a server process that is killed with
/// SIGKILL mid-load and started again on the same data, three times; afterwards every StartTransaction,
/// MeterValues sample and StopTransaction the server acknowledged is in the database exactly once.
/// </summary>
/// <remarks>
/// "Exactly once" for a message the station had sent but not seen acknowledged when the server died: the station
/// sends it again, unchanged, until it is acknowledged (as real stations do), so by the end every message has been
/// acknowledged, and each must be stored once whether or not its first copy had reached the database. OCPP 1.6
/// lets the server tell a retry from a new message: a start by station, connector and timestamp (answered with the
/// same transactionId), a sample by station, connector, timestamp, measurand, phase, location, context and value,
/// a stop by its transactionId (a second stop of a stopped transaction changes nothing, its transactionData
/// included).
/// </remarks>
public sealed class KillUnderLoadTests(ITestOutputHelper output)
{
    private const int Rounds = 3;
    private const int Stations = 6;
    private const int MessagesPerRound = 150;

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Every_acknowledged_message_survives_kill_9_under_load_exactly_once(string provider)
    {
        var postgres = provider == "Postgres" ? TestDatabases.PostgresConnectionString() : null;
        await using var server = new VoltgateProcess("the server", "voltgate-kill-", postgres, ["--Logging:LogLevel:Default=Warning"]);
        await server.StartAsync();
        var password = Arrange.RandomPassword();
        var prefix = "K9-" + Guid.NewGuid().ToString("N")[..6] + "-";
        using (var api = await server.AdminClientAsync())
        {
            await api.PasswordAsync(password);
            for (var i = 0; i < Stations; i++)
            {
                (await api.PostAsJsonAsync("/api/v1/stations", new { identity = prefix + i, registrationStatus = "Accepted" })).EnsureSuccessStatusCode();
            }
        }

        var ledger = new AcknowledgedLedger();
        using var stop = new CancellationTokenSource();
        var stations = Enumerable.Range(0, Stations).Select(i => new RetryingStation(server.OcppEndpoint, prefix + i, password, ledger)).ToList();
        var load = stations.Select(s => Task.Run(() => s.RunAsync(stop.Token))).ToList();

        var acknowledgedAtKill = new List<int>();
        for (var round = 0; round < Rounds; round++)
        {
            await LoadAsync(ledger, server);
            acknowledgedAtKill.Add(ledger.Count);
            server.Kill();
            await Task.Delay(200);
            await server.StartAsync();
        }

        await LoadAsync(ledger, server);
        await stop.CancelAsync();
        await Task.WhenAll(load).WaitAsync(TimeSpan.FromSeconds(60));
        server.Kill();

        var audit = await AuditAsync(server, postgres, prefix, ledger);
        output.WriteLine($"kill -9: {Rounds} rounds, {ledger.Count} acknowledged, {audit.Stored} stored, {audit.Lost} lost, {audit.Duplicated} duplicated"
            + $" ({provider}: {ledger.Starts.Count} starts, {ledger.Samples.Count} samples, {ledger.Stops.Count} stops; {stations.Sum(s => s.Retries)} messages retried;"
            + $" acknowledged at each kill: {string.Join(", ", acknowledgedAtKill)})");
        Assert.True(audit.Problems.Count == 0, string.Join("\n", audit.Problems.Take(20)));
        Assert.Equal(0, audit.Lost);
        Assert.Equal(0, audit.Duplicated);
        Assert.Equal(ledger.Count, audit.Stored);
        // The load must really run across every kill, or the test shows nothing.
        Assert.True(acknowledgedAtKill[0] > 0 && acknowledgedAtKill.Zip(acknowledgedAtKill.Skip(1)).All(p => p.Second > p.First) && ledger.Count > acknowledgedAtKill[^1],
            $"no progress between kills: {string.Join(", ", acknowledgedAtKill)}, {ledger.Count} at the end");
        Assert.True(stations.Sum(s => s.Retries) >= Rounds, "the kills must catch messages in flight");
    }

    /// <summary>
    /// Lets the stations run until the server has acknowledged <see cref="MessagesPerRound"/> more messages (a busy
    /// CI machine takes longer to start the server, not to fail the test), then a moment more, so that the kill
    /// lands while messages are in flight.
    /// </summary>
    private static async Task LoadAsync(AcknowledgedLedger ledger, VoltgateProcess server)
    {
        var target = ledger.Count + MessagesPerRound;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (ledger.Count < target)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), $"the stations made no progress: {ledger.Count} acknowledged, {target} expected\n{server.Output}");
            await Task.Delay(20);
        }

        await Task.Delay(Random.Shared.Next(50, 300));
    }

    private sealed record Audit(int Stored, int Lost, int Duplicated, List<string> Problems);

    /// <summary>Reads the database as it is after the last kill, with plain SQL (nothing of the server's).</summary>
    private static async Task<Audit> AuditAsync(VoltgateProcess server, string? postgres, string prefix, AcknowledgedLedger ledger)
    {
        await using DbConnection connection = postgres is null
            ? new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = server.DatabasePath, Pooling = false }.ConnectionString)
            : new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        var like = prefix + "%";

        var transactions = new List<(string Identity, int Id, long MeterStart, long? MeterStop)>();
        await foreach (var r in QueryAsync(connection, """
            SELECT s."Identity", t."Id", t."MeterStartWh", t."MeterStopWh" FROM "Transactions" t
            JOIN "Stations" s ON s."Id" = t."StationId" WHERE s."Identity" LIKE @like
            """, like))
        {
            transactions.Add((r.GetString(0), r.GetInt32(1), r.GetInt64(2), r.IsDBNull(3) ? null : r.GetInt64(3)));
        }

        var samples = new List<(string Identity, string Value, int? TransactionId)>();
        await foreach (var r in QueryAsync(connection, """
            SELECT s."Identity", m."Value", m."TransactionId" FROM "MeterSamples" m
            JOIN "Stations" s ON s."Id" = m."StationId" WHERE s."Identity" LIKE @like
            """, like))
        {
            samples.Add((r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetInt32(2)));
        }

        int stored = 0, lost = 0, duplicated = 0;
        var problems = new List<string>();
        var startsStored = transactions.ToLookup(t => (t.Identity, t.MeterStart));
        foreach (var ((identity, meterStart), id) in ledger.Starts)
        {
            var rows = startsStored[(identity, meterStart)].ToList();
            Count(rows.Count, $"start {identity} meterStart {meterStart}");
            if (rows.Count == 1 && rows[0].Id != id)
            {
                problems.Add($"start {identity} meterStart {meterStart} was answered with transaction {id} but stored as {rows[0].Id}");
            }
        }

        var byId = transactions.ToDictionary(t => t.Id);
        foreach (var ((identity, id), meterStop) in ledger.Stops)
        {
            var found = byId.TryGetValue(id, out var t) && t.Identity == identity && t.MeterStop == meterStop;
            Count(found ? 1 : 0, $"stop {identity} transaction {id} meterStop {meterStop}");
        }

        var samplesStored = samples.ToLookup(s => (s.Identity, s.Value));
        foreach (var ((identity, value), transactionId) in ledger.Samples)
        {
            var rows = samplesStored[(identity, value)].ToList();
            Count(rows.Count, $"sample {identity} value {value}");
            if (rows.Count == 1 && rows[0].TransactionId != transactionId)
            {
                problems.Add($"sample {identity} value {value} belongs to transaction {rows[0].TransactionId}, not {transactionId}");
            }
        }

        // Every message was retried until acknowledged, so anything stored beyond the acknowledged is a duplicate
        // under another key (e.g. a retried start stored as a second transaction).
        var extraTransactions = transactions.Count(t => !ledger.Starts.ContainsKey((t.Identity, t.MeterStart)));
        var extraSamples = samples.Count(s => !ledger.Samples.ContainsKey((s.Identity, s.Value)));
        duplicated += extraTransactions + extraSamples;
        if (extraTransactions + extraSamples > 0)
        {
            problems.Add($"{extraTransactions} transactions and {extraSamples} samples stored that no acknowledged message accounts for");
        }

        return new Audit(stored, lost, duplicated, problems);

        void Count(int rows, string what)
        {
            if (rows == 0)
            {
                lost++;
                problems.Add($"lost: {what}");
            }
            else
            {
                stored++;
                if (rows > 1)
                {
                    duplicated += rows - 1;
                    problems.Add($"stored {rows} times: {what}");
                }
            }
        }
    }

    private static async IAsyncEnumerable<DbDataReader> QueryAsync(DbConnection connection, string sql, string like)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "like";
        parameter.Value = like;
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            yield return reader;
        }
    }
}
