using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;

namespace Voltgate.Server.Tests.Support;

/// <summary>One running server per database provider, shared by the tests of a collection.</summary>
public sealed class ServerPool : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Lazy<Task<VoltgateServer>>> _servers = new();

    public Task<VoltgateServer> GetAsync(string provider) =>
        _servers.GetOrAdd(provider, p => new Lazy<Task<VoltgateServer>>(() => VoltgateServer.StartAsync(p))).Value;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in _servers.Values.Where(l => l.IsValueCreated))
        {
            await (await server.Value).DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerPool>
{
    public const string Name = "server";
}

/// <summary>API shortcuts the front-door tests use to arrange pool entries and stations.</summary>
public static class Arrange
{
    public static string NewIdentity(string prefix = "CP") => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    public static async Task<Guid> PasswordAsync(this HttpClient api, string password, bool isHex = false, string tenantLabel = "test")
    {
        var response = await api.PostAsJsonAsync("/api/v1/ocpp-security/basic-auth-passwords", new { label = tenantLabel, password, isHex });
        Assert.True(response.IsSuccessStatusCode, $"adding a password failed: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static async Task StationAsync(this HttpClient api, string identity, params string[] variants)
    {
        var body = variants.Length == 0 ? (object)new { identity } : new { identity, allowedVariants = variants };
        var response = await api.PostAsJsonAsync("/api/v1/stations", body);
        Assert.True(response.IsSuccessStatusCode, $"adding a station failed: {await response.Content.ReadAsStringAsync()}");
    }

    public static async Task SettingsAsync(this HttpClient api, object settings)
    {
        var response = await api.PutAsJsonAsync("/api/v1/ocpp-security/settings", settings);
        Assert.True(response.IsSuccessStatusCode, $"changing settings failed: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The newest connection attempt of an identity, after the recorder has written it.</summary>
    public static async Task<JsonElement> LastAttemptAsync(this HttpClient api, VoltgateServer server, string identity)
    {
        await server.FlushAsync();
        var page = await api.GetFromJsonAsync<JsonElement>($"/api/v1/stations/{Uri.EscapeDataString(identity)}/connection-attempts");
        Assert.True(page.GetProperty("total").GetInt32() > 0, $"no connection attempt recorded for {identity}");
        return page.GetProperty("items")[0];
    }

    public static string RandomPassword() => "pw-" + Guid.NewGuid().ToString("N")[..20];
}
