using System.Net.Http.Json;
using Voltgate.Server.Tests.Support;
using static Voltgate.Server.Tests.Rotation.RotationHelpers;

namespace Voltgate.Server.Tests.Rotation;

/// <summary>A rotation lives in the database: a server that stops half-way and starts again carries on with it.</summary>
public sealed class RotationRestartTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_restart_half_way_loses_no_state_and_the_rotation_resumes(string provider)
    {
        // Both servers use the same database: the SQLite file's directory, or the same PostgreSQL database.
        var directory = Path.Combine(Path.GetTempPath(), "voltgate-rotation-" + Guid.NewGuid().ToString("N"));
        var shared = provider == "Postgres"
            ? $"--ConnectionStrings:Voltgate={TestDatabases.PostgresConnectionString()}"
            : $"--Voltgate:DataDirectory={directory}";
        try
        {
            await RunAsync(provider, shared);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (IOException)
                {
                    // SQLite may still hold the file for a moment; the temp folder is cleaned by the OS.
                }
            }
        }
    }

    private static async Task RunAsync(string provider, string shared)
    {
        var old = Arrange.RandomPassword();
        var (done, offline) = (Arrange.NewIdentity(), Arrange.NewIdentity());
        Guid id;
        await using (var first = await VoltgateServer.StartAsync(provider, shared))
        {
            using var api = await first.AdminClientAsync();
            await api.PasswordAsync(old);
            await api.StationAsync(done);
            await api.StationAsync(offline);
            var (station, key) = await ConnectAsync(first, done, old);
            await using var _ = station;
            id = await CreateAsync(api, new { source = new { stationIdentities = new[] { done, offline } }, target = new { generate = new { length = 40 } } });
            await key.Task.WaitAsync(TimeSpan.FromSeconds(20));
            await WaitForAsync(api, id, done, "Accepted");
        }

        await using var second = await VoltgateServer.StartAsync(provider, shared);
        using var api2 = await second.AdminClientAsync();
        var rotation = await GetAsync(api2, id);
        Assert.Equal("Running", rotation.GetProperty("state").GetString());
        Assert.Equal("Accepted", Row(rotation, done).GetProperty("state").GetString());
        Assert.Equal("Waiting", Row(rotation, offline).GetProperty("state").GetString());
        Assert.Contains("Offline", Row(rotation, offline).GetProperty("reason").GetString(), StringComparison.Ordinal);

        // The offline station connects to the restarted server and is pushed the target.
        var (late, lateKey) = await ConnectAsync(second, offline, old);
        await using var __ = late;
        var value = await lateKey.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await WaitForAsync(api2, id, offline, "Accepted");

        // KEBA-style: the station sends the hex text itself as its password.
        await late.DisposeAsync();
        var back = await HandshakeAsync(second, offline, System.Text.Encoding.ASCII.GetBytes(value));
        Assert.True(back.Upgraded, $"the hex text of the new key was refused: {back.Status}");
        await using var ___ = back.Station!;
        await second.FlushAsync();
        await WaitForAsync(api2, id, offline, "Done");
        Assert.Equal(1, (await api2.GetFromJsonAsync<System.Text.Json.JsonElement>($"{RotationsPath}/{id}")).GetProperty("counts").GetProperty("done").GetInt32());
    }
}
