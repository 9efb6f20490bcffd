using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Voltgate.Core.Data;
using Voltgate.Core.OcppSecurity;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Bootstrap;

public sealed class BootstrapOptions
{
    /// <summary>Password of the first admin; when unset a random one is generated and printed once.</summary>
    public string? AdminPassword { get; set; }
}

/// <summary>
/// Applies migrations and, on an empty database, creates tenant "default", its root company, the Administrators
/// group with every right and the user "admin".
/// </summary>
public sealed partial class DatabaseInitializer(IServiceScopeFactory scopes, PoolHmacKey poolKey, TimeProvider time, ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(BootstrapOptions options, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<VoltgateDbContext>();
        await db.Database.MigrateAsync(ct);

        await poolKey.LoadOrCreateAsync(db, services.GetRequiredService<SecretProtector>(), time, ct);

        var provisioner = services.GetRequiredService<TenantProvisioner>();
        if (await provisioner.AnyAsync(ct))
        {
            return;
        }

        var generated = string.IsNullOrEmpty(options.AdminPassword);
        var password = generated ? GeneratePassword() : options.AdminPassword!;
        var tenant = await provisioner.CreateAsync(Tenant.DefaultSlug, "Default", password, ct);

        if (generated)
        {
            // Printed once, on purpose, to the console only: the operator needs it to log in the first time.
            Console.WriteLine($"Voltgate: created user 'admin' for tenant 'default' with the generated password: {password}");
            Console.WriteLine("Voltgate: change it after the first login. It is not shown again.");
        }

        LogBootstrapped(logger, tenant.Slug);
    }

    private static string GeneratePassword()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        var chars = RandomNumberGenerator.GetItems<char>(alphabet, 20);
        // Satisfy the password policy's digit and non-alphanumeric requirements deterministically.
        return new string(chars) + "-7";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created tenant {Tenant} with its root company, the Administrators group and the admin user")]
    private static partial void LogBootstrapped(ILogger logger, string tenant);
}
