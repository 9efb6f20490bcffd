using System.Net;
using Voltgate.Server.Hosting;
using Voltgate.Server.Ocpp.FrontDoor;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.Hosting;

/// <summary>A configuration that would expose an unsafe or incomplete front door refuses to start, with a one-line reason.</summary>
public sealed class StartupConfigurationTests
{
    private static string[] Args(string name, params string[] endpoint)
    {
        var directory = Path.Combine(Path.GetTempPath(), "voltgate-config-" + Guid.NewGuid().ToString("N"));
        return [$"--Voltgate:DataDirectory={directory}", "--Voltgate:Web:Url=http://127.0.0.1:5999", .. endpoint.Select(e => $"--Voltgate:Ocpp:Endpoints:{name}:{e}")];
    }

    public static TheoryData<string, string[], string> Refused => new()
    {
        { "unknown variant", ["Variant=open", "Url=http://127.0.0.1:5998"], "Variant must be one of" },
        { "no URL", ["Variant=privateauth", "AllowedNetworks:0=10.0.0.0/8"], "Url must be" },
        { "public over plain ws", ["Variant=public", "Url=http://0.0.0.0:5998"], "must use https://" },
        { "private without networks", ["Variant=private", "Url=http://0.0.0.0:5998"], "needs AllowedNetworks" },
        { "no auth open to the internet", ["Variant=private", "Url=http://0.0.0.0:5998", "AllowedNetworks:0=0.0.0.0/0"], "without authentication but AllowedNetworks includes 0.0.0.0/0" },
        { "privatessl over ws", ["Variant=privatessl", "Url=http://0.0.0.0:5998", "AllowedNetworks:0=10.0.0.0/8"], "must use an https:// URL" },
        { "https without certificate", ["Variant=public", "Url=https://0.0.0.0:5998"], "has no Certificate:Path" },
        { "missing certificate file", ["Variant=public", "Url=https://0.0.0.0:5998", "Certificate:Path=/nonexistent/cert.pfx"], "does not exist" },
        { "bad CIDR", ["Variant=privateauth", "Url=http://0.0.0.0:5998", "AllowedNetworks:0=10.0.0.0/33"], "invalid CIDR" },
        { "web port reused", ["Variant=privateauth", "Url=http://0.0.0.0:5999", "AllowedNetworks:0=10.0.0.0/8"], "uses the web UI's port" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_bad_endpoint_configuration_refuses_to_start_with_a_one_line_reason(string why, string[] endpoint, string reason)
    {
        var error = await Assert.ThrowsAsync<OcppConfigurationException>(() => VoltgateHost.BuildAsync(Args("bad", endpoint)));

        Assert.True(error.Message.Contains(reason, StringComparison.Ordinal), $"{why}: {error.Message}");
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task A_message_log_byte_limit_below_one_frame_refuses_to_start()
    {
        var error = await Assert.ThrowsAsync<OcppConfigurationException>(() => VoltgateHost.BuildAsync(
            [.. Args("default", "Variant=privateauth", "Url=http://127.0.0.1:5998", "AllowedNetworks:0=127.0.0.0/8"), "--Voltgate:Ocpp:MessageLogBytes=100"]));

        Assert.Equal("Voltgate:Ocpp:MessageLogBytes must be at least 1024 while the message log is on (MessageLogFrames > 0).", error.Message);
    }

    [Fact]
    public async Task A_listen_backlog_below_one_refuses_to_start()
    {
        var error = await Assert.ThrowsAsync<OcppConfigurationException>(() => VoltgateHost.BuildAsync(
            [.. Args("default", "Variant=privateauth", "Url=http://127.0.0.1:5998", "AllowedNetworks:0=127.0.0.0/8"), "--Voltgate:Ocpp:ListenBacklog=0"]));

        Assert.Equal("Voltgate:Ocpp:ListenBacklog must be at least 1.", error.Message);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1001")]
    public async Task A_write_batch_delay_outside_0_to_1000_ms_refuses_to_start(string delay)
    {
        var data = Path.Combine(Path.GetTempPath(), "voltgate-delay-" + Guid.NewGuid().ToString("N"));
        var error = await Assert.ThrowsAsync<OcppConfigurationException>(() => VoltgateHost.BuildAsync(
            [.. Args("default", "Variant=privateauth", "Url=http://127.0.0.1:5998", "AllowedNetworks:0=127.0.0.0/8"),
                "--Voltgate:Database:WriteBatchDelayMs=" + delay, "--Voltgate:DataDirectory=" + data]));

        Assert.Equal($"Voltgate:Database:WriteBatchDelayMs must be between 0 and 1000 (was {delay}).", error.Message);
        Assert.False(Directory.Exists(data), "a refused start creates no data directory");
    }

    [Theory]
    [InlineData("MaxSamplesPerMessage=0", "Voltgate:Limits:MaxSamplesPerMessage must be at least 1")]
    [InlineData("MaxSamplesPerTransaction=10", "Voltgate:Limits:MaxSamplesPerTransaction must be at least MaxSamplesPerMessage")]
    [InlineData("MaxConnectorId=0", "Voltgate:Limits:MaxConnectorId must be at least 1")]
    [InlineData("RefusedHandshakeBucket=00:00:00", "Voltgate:Limits:RefusedHandshakeBucket must be between 1 second and 1 day")]
    public async Task A_limit_out_of_range_refuses_to_start(string setting, string reason)
    {
        var data = Path.Combine(Path.GetTempPath(), "voltgate-limits-" + Guid.NewGuid().ToString("N"));
        var error = await Assert.ThrowsAsync<OcppConfigurationException>(() => VoltgateHost.BuildAsync(
            [.. Args("default", "Variant=privateauth", "Url=http://127.0.0.1:5998", "AllowedNetworks:0=127.0.0.0/8"),
                "--Voltgate:Limits:" + setting, "--Voltgate:DataDirectory=" + data]));

        Assert.StartsWith(reason, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data), "a refused start creates no data directory");
    }

    [Fact]
    public async Task Postgres_without_a_connection_string_refuses_to_start()
    {
        var error = await Assert.ThrowsAsync<OcppConfigurationException>(() => VoltgateHost.BuildAsync(
            [.. Args("default", "Variant=privateauth", "Url=http://127.0.0.1:5998", "AllowedNetworks:0=127.0.0.0/8"), "--Voltgate:Database:Provider=Postgres"]));

        Assert.Contains("ConnectionStrings:Voltgate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Public_over_ws_starts_only_with_AllowInsecureTransport_and_says_so()
    {
        var warnings = new StringWriter();
        var original = Console.Error;
        Console.SetError(warnings);
        try
        {
            await using var app = await VoltgateHost.BuildAsync(Args("dev", "Variant=public", "Url=http://127.0.0.1:5997", "AllowInsecureTransport=true"));
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Contains("unencrypted", warnings.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Surplus_stations_get_503_with_Retry_After_at_the_connection_cap()
    {
        await using var server = await VoltgateServer.StartAsync("Sqlite", "--Voltgate:Ocpp:MaxConnections=2");
        using var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var stations = new List<TestStation>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                var identity = Arrange.NewIdentity();
                await api.StationAsync(identity);
                stations.Add((await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6")).Station!);
            }

            var surplus = Arrange.NewIdentity();
            await api.StationAsync(surplus);
            var refused = await TestStation.ConnectAsync(server.AuthEndpoint, surplus, password, "ocpp1.6");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
            Assert.Equal("30", Assert.Single(refused.Headers["Retry-After"]));
            Assert.Equal("ConnectionLimit", (await api.LastAttemptAsync(server, surplus)).GetProperty("reason").GetString());

            await stations[0].DisposeAsync();
            stations.RemoveAt(0);
            await Task.Delay(300);
            var admitted = await TestStation.ConnectAsync(server.AuthEndpoint, surplus, password, "ocpp1.6");
            Assert.Equal(HttpStatusCode.SwitchingProtocols, admitted.Status);
            stations.Add(admitted.Station!);
        }
        finally
        {
            foreach (var station in stations)
            {
                await station.DisposeAsync();
            }
        }
    }
}
