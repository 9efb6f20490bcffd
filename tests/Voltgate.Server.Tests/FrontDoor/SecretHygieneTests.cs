using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.FrontDoor;

/// <summary>Passwords, right or wrong, never reach logs, attempts, list responses or the database in clear text.</summary>
public sealed class SecretHygieneTests
{
    [Fact]
    public async Task No_password_reaches_the_logs_the_lists_or_the_database_file()
    {
        await using var server = await VoltgateServer.StartAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var right = "right-" + Guid.NewGuid().ToString("N")[..16];
        var wrong = "wrong-" + Guid.NewGuid().ToString("N")[..16];
        await api.PasswordAsync(right);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);

        var admitted = await TestStation.ConnectAsync(server.AuthEndpoint, identity, right, "ocpp1.6");
        await admitted.Station!.DisposeAsync();
        await TestStation.ConnectAsync(server.AuthEndpoint, identity, wrong, "ocpp1.6");
        await server.FlushAsync();
        var list = await api.GetStringAsync("/api/v1/ocpp-security/basic-auth-passwords");
        var attempts = await api.GetStringAsync($"/api/v1/stations/{identity}/connection-attempts");

        foreach (var secret in new[] { right, wrong })
        {
            Assert.False(server.Logs.Contains(secret), "a password appeared in the logs");
            Assert.DoesNotContain(secret, list, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, attempts, StringComparison.Ordinal);
        }

        Assert.True(server.Logs.Lines.Count > 10, "the log capture must actually have seen the server's logs");
        var databaseFiles = Directory.GetFiles(Path.GetDirectoryName(server.DatabasePath)!, "voltgate.db*");
        foreach (var file in databaseFiles)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.DoesNotContain(right, System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Reveal_returns_the_secret_and_writes_an_audit_event()
    {
        await using var server = await VoltgateServer.StartAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var secret = "reveal-" + Guid.NewGuid().ToString("N")[..16];
        var id = await api.PasswordAsync(secret);

        var revealed = await api.PostAsync($"/api/v1/ocpp-security/basic-auth-passwords/{id}/reveal", null);

        Assert.Equal(secret, (await revealed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("password").GetString());
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Voltgate.Core.Data.VoltgateDbContext>();
        var events = db.AuditEvents.IgnoreQueryFilters().Where(e => e.Action == "OcppSecurity.PasswordRevealed" && e.Target == id.ToString()).ToList();
        Assert.Single(events);
        Assert.Equal("admin", events[0].Actor);
        Assert.DoesNotContain(secret, events[0].Details ?? "", StringComparison.Ordinal);
    }
}
