using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Data;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.Faults;

/// <summary>
/// PostgreSQL restarts while a station sends meter values: every value the server acknowledged is stored, the
/// station stays connected, and messages that arrive while the database is down get a clear CALLERROR.
/// Uses a throw-away cluster of its own so the other tests' database is not disturbed.
/// </summary>
public sealed class PostgresRestartTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task A_database_restart_under_load_loses_no_acknowledged_write_and_keeps_the_station_connected()
    {
        await using var cluster = await ThrowAwayPostgres.StartAsync();
        if (cluster is null)
        {
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase),
                "CI must run the PostgreSQL restart test: PostgreSQL binaries or root are missing.");
            return;
        }

        await using var server = await VoltgateServer.StartAsync("Sqlite", "--Voltgate:Database:Provider=Postgres", $"--ConnectionStrings:Voltgate={cluster.ConnectionString}");
        using var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity("PGR");
        await api.StationAsync(identity);
        await using var station = (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6")).Station!;
        await station.CallOkAsync("BootNotification", new { chargePointVendor = "V", chargePointModel = "M" });

        var acknowledged = new List<string>();
        var refused = 0;
        var restart = Task.Run(async () =>
        {
            await Task.Delay(500);
            await cluster.RestartAsync();
        });
        var deadline = DateTime.UtcNow.AddSeconds(12);
        for (var i = 0; DateTime.UtcNow < deadline && (!restart.IsCompleted || i < 400); i++)
        {
            var value = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var answer = await station.CallAsync("MeterValues", new
            {
                connectorId = 1,
                meterValue = new[] { new { timestamp = DateTimeOffset.UtcNow.ToString("O"), sampledValue = new[] { new { value } } } },
            }, TimeSpan.FromSeconds(30));
            if (answer[0]!.GetValue<int>() == 3)
            {
                acknowledged.Add(value);
            }
            else
            {
                Assert.Equal("InternalError", answer[2]!.GetValue<string>());
                refused++;
            }
        }

        await restart;
        output.WriteLine($"{acknowledged.Count} meter values acknowledged, {refused} refused with InternalError during the restart");
        Assert.False(station.Closed.IsCompleted, "the station must stay connected through a database restart");
        Assert.NotNull(await station.CallOkAsync("Heartbeat", new { }));
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var stationId = await db.Stations.IgnoreQueryFilters().Where(s => s.Identity == identity).Select(s => s.Id).SingleAsync();
        var stored = await db.MeterSamples.IgnoreQueryFilters().Where(m => m.StationId == stationId).Select(m => m.Value).ToListAsync();
        var missing = acknowledged.Except(stored).ToList();
        output.WriteLine($"PostgreSQL restart: {acknowledged.Count} acknowledged, {acknowledged.Count - missing.Count} stored, {missing.Count} lost, {refused} refused with InternalError, 0 connections lost");
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged meter values were lost ({refused} refused while the database was down)");
        Assert.True(acknowledged.Count > 100, "the load must keep going around the restart");
    }

    /// <summary>A PostgreSQL cluster in a temporary folder, run as the postgres user on a free port.</summary>
    private sealed class ThrowAwayPostgres : IAsyncDisposable
    {
        private readonly string _bin;
        private readonly string _data;
        private readonly int _port;

        private ThrowAwayPostgres(string bin, string data, int port)
        {
            _bin = bin;
            _data = data;
            _port = port;
        }

        public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=voltgate;Timeout=5;Command Timeout=10";

        public static async Task<ThrowAwayPostgres?> StartAsync()
        {
            var bin = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).Order().LastOrDefault() : null;
            if (bin is null || Environment.UserName != "root")
            {
                return null;
            }

            var data = Path.Combine(Path.GetTempPath(), "voltgate-pgr-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(data);
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var cluster = new ThrowAwayPostgres(bin, data, port);
            await RunAsync("chown", $"postgres:postgres {data}");
            await AsPostgresAsync($"{bin}/initdb -D {data}/db -A trust -U postgres");
            await AsPostgresAsync($"{bin}/pg_ctl -D {data}/db -l {data}/log -w -o '-p {port} -c listen_addresses=127.0.0.1' start");
            return cluster;
        }

        public Task RestartAsync() => AsPostgresAsync($"{_bin}/pg_ctl -D {_data}/db -l {_data}/log -w -m fast -o '-p {_port} -c listen_addresses=127.0.0.1' restart");

        public async ValueTask DisposeAsync()
        {
            try
            {
                await AsPostgresAsync($"{_bin}/pg_ctl -D {_data}/db -m immediate stop");
            }
            finally
            {
                Directory.Delete(_data, recursive: true);
            }
        }

        private static Task AsPostgresAsync(string command) => RunAsync("su", $"postgres -c \"{command}\"");

        private static async Task RunAsync(string file, string arguments)
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var error = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"{file} {arguments} failed: {await error}");
        }
    }
}
