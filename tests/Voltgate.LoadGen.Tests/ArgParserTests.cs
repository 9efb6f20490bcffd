using System.Net;
using System.Text;

namespace Voltgate.LoadGen.Tests;

public class ArgParserTests
{
    [Fact]
    public void No_arguments_gives_the_defaults()
    {
        var result = ArgParser.Parse([]);

        Assert.Null(result.Error);
        var o = Assert.IsType<LoadGenOptions>(result.Options);
        Assert.Equal(new Uri("ws://127.0.0.1:8180/ocpp"), o.Url);
        Assert.Equal(10, o.Stations);
        Assert.Equal("ocpp1.6", o.Protocol);
        Assert.Null(o.Password);
        Assert.Empty(o.SourceAddresses);
    }

    [Fact]
    public void Every_option_is_parsed()
    {
        var result = ArgParser.Parse([
            "--url", "ws://localhost:9000/ocpp/", "--stations", "5000", "--protocol", "ocpp2.0.1", "--identity-prefix", "CP-",
            "--password", "pässword", "--connect-rate", "250.5", "--warmup", "12", "--duration=45", "--heartbeat-interval", "1",
            "--meter-interval", "10", "--transactions", "2.5", "--source-addresses", "127.0.0.1-127.0.0.4",
            "--pid", "1234", "--json", "out.json", "--max-in-flight", "64", "--call-timeout", "5", "--connect-timeout", "3",
        ]);

        Assert.Null(result.Error);
        var o = result.Options!;
        Assert.Equal(5000, o.Stations);
        Assert.Equal("ocpp2.0.1", o.Protocol);
        Assert.Equal("CP-", o.IdentityPrefix);
        Assert.Equal(Encoding.UTF8.GetBytes("pässword"), o.Password);
        Assert.Equal(250.5, o.ConnectRate);
        Assert.Equal(45, o.DurationSeconds);
        Assert.Equal(12, o.WarmupSeconds);
        Assert.Equal(1, o.HeartbeatIntervalSeconds);
        Assert.Equal(10, o.MeterIntervalSeconds);
        Assert.Equal(2.5, o.TransactionsPerSecond);
        Assert.Equal(
            [IPAddress.Parse("127.0.0.1"), IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.3"), IPAddress.Parse("127.0.0.4")],
            o.SourceAddresses);
        Assert.Equal(1234, o.ServerPid);
        Assert.Equal("out.json", o.JsonPath);
        Assert.Equal(64, o.MaxInFlight);
        Assert.Equal(5, o.CallTimeoutSeconds);
        Assert.Equal(3, o.ConnectTimeoutSeconds);
        Assert.Equal(new Uri("ws://localhost:9000/ocpp/CP-00042"), o.StationUri(42));
    }

    [Fact]
    public void Password_hex_gives_raw_bytes()
    {
        var o = ArgParser.Parse(["--password-hex", "00ff7f"]).Options!;

        Assert.Equal(new byte[] { 0x00, 0xff, 0x7f }, o.Password);
    }

    [Fact]
    public void Source_address_list_is_accepted()
    {
        var o = ArgParser.Parse(["--source-addresses", "127.0.0.5, 127.0.0.9"]).Options!;

        Assert.Equal([IPAddress.Parse("127.0.0.5"), IPAddress.Parse("127.0.0.9")], o.SourceAddresses);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_is_recognised(string flag)
    {
        var result = ArgParser.Parse(["--stations", "3", flag]);

        Assert.True(result.HelpRequested);
        Assert.Null(result.Error);
        Assert.Contains("20,000", ArgParser.Usage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--stations 20001", "--stations must be between 1 and 20000, got 20001 (the open-file limit is 20,000 per process")]
    [InlineData("--stations 0", "--stations must be between 1 and 20000, got 0")]
    [InlineData("--stations ten", "--stations: 'ten' is not a whole number")]
    [InlineData("--stations", "option --stations needs a value")]
    [InlineData("--bogus 1", "unknown option '--bogus'")]
    [InlineData("--bogus=1", "unknown option '--bogus'")]
    [InlineData("stations", "unexpected argument 'stations'")]
    [InlineData("--url http://x/ocpp", "--url: 'http://x/ocpp' is not a ws:// or wss:// URL")]
    [InlineData("--duration 4000", "--duration must be between 0 and 3600, got 4000")]
    [InlineData("--warmup -1", "--warmup must be between 0 and 3600, got -1")]
    [InlineData("--connect-rate 0", "--connect-rate must be between 0.1 and 100000, got 0")]
    [InlineData("--heartbeat-interval 0.01", "--heartbeat-interval must be 0 (off/default) or at least 0.1 seconds")]
    [InlineData("--password-hex zz", "--password-hex: 'zz' is not valid hex")]
    [InlineData("--password a --password-hex 00", "use either --password or --password-hex, not both")]
    [InlineData("--source-addresses 127.0.0.9-127.0.0.1", "range '127.0.0.9-127.0.0.1' must go upwards")]
    [InlineData("--source-addresses 127.0.0.1-::1", "is not an IPv4 range")]
    [InlineData("--source-addresses nope", "'nope' is not an IP address")]
    [InlineData("--identity-prefix a:b", "--identity-prefix must be 1..40 characters without ':'")]
    [InlineData("--protocol ocpp2.1", "--protocol must be ocpp1.6 or ocpp2.0.1")]
    public void Bad_arguments_give_a_clear_error(string commandLine, string expected)
    {
        var result = ArgParser.Parse(commandLine.Split(' '));

        Assert.Null(result.Options);
        Assert.False(result.HelpRequested);
        Assert.NotNull(result.Error);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }
}
