using System.Net;
using System.Text;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.FrontDoor;

/// <summary>
/// The handshake back-off cannot be turned against a station (issue 19, finding 3): wrong passwords for an identity
/// from one address block that address, while the real station, from an address without failures, is admitted.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class BackoffPerSourceTests(ServerPool pool)
{
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress StationAddress = IPAddress.Loopback;

    [Fact]
    public async Task An_attacker_blocked_for_an_identity_does_not_keep_the_real_station_out()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var (identity, password) = (Arrange.NewIdentity(), Arrange.RandomPassword());
        await api.PasswordAsync(password);
        await api.StationAsync(identity);

        for (var i = 0; i < 8; i++)
        {
            var wrong = await ConnectAsync(server, identity, $"wrong-password-{i:D8}", Attacker);
            Assert.False(wrong.Upgraded);
        }

        var attackerWithTheRightPassword = await ConnectAsync(server, identity, password, Attacker);
        Assert.Equal(HttpStatusCode.Unauthorized, attackerWithTheRightPassword.Status);
        Assert.Equal("RateLimited", (await api.LastAttemptAsync(server, identity)).GetProperty("reason").GetString());

        var station = await ConnectAsync(server, identity, password, StationAddress);
        Assert.True(station.Upgraded, $"the station from an address without failures must be admitted at once, got {(int)station.Status}");
        await station.Station!.DisposeAsync();
    }

    private static Task<HandshakeResult> ConnectAsync(VoltgateServer server, string identity, string password, IPAddress source) =>
        TestStation.ConnectWithHeaderAsync(server.AuthEndpoint, identity, TestStation.BasicHeader(identity, Encoding.UTF8.GetBytes(password)), ["ocpp1.6"], source);
}
