using System.Net.Http.Json;
using System.Text.Json;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.Api;

/// <summary>The station shows whether the password it uses suits its model (the KEBA x-series profile).</summary>
[Collection(ServerCollection.Name)]
public sealed class PasswordFitTests(ServerPool pool)
{
    [Theory]
    [InlineData("0a1b2c3d4e5f60718293a4b5c6d7e8f901234567", true)]
    [InlineData("plain-password-for-keba", false)]
    public async Task A_KEBA_station_is_told_whether_its_password_fits(string password, bool fits)
    {
        var server = await pool.GetAsync("Sqlite");
        var tenant = await server.CreateTenantAsync();
        using var api = await server.AdminClientAsync(tenant);
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity("KEBA");
        await api.StationAsync(identity);
        var before = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/password-fit");
        Assert.Equal(JsonValueKind.Null, before.GetProperty("passwordId").ValueKind);

        await using (var station = (await TestStation.ConnectAsync(new Uri(server.AuthEndpoint, tenant + "/"), identity, password, "ocpp1.6")).Station!)
        {
            await station.CallOkAsync("BootNotification", new { chargePointVendor = "KEBA AG", chargePointModel = "KC-P30-EC2404X2", firmwareVersion = "P30 v 1.15.3" });
        }

        await server.FlushAsync();
        var fit = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{identity}/password-fit");
        var profile = Assert.Single(fit.GetProperty("profiles").EnumerateArray());
        Assert.Equal("keba-x-series", profile.GetProperty("profileId").GetString());
        Assert.Equal(fits, profile.GetProperty("fits").GetBoolean());
        Assert.Equal("test", fit.GetProperty("passwordLabel").GetString());
    }
}
