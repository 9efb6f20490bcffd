using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Access;
using Voltgate.Core.Audit;
using Voltgate.Core.Common;
using Voltgate.Core.Data;

namespace Voltgate.Core.Tenancy;

public sealed record TenantView(Guid Id, string Slug, string Name, bool Active, DateTimeOffset CreatedAt, DateTimeOffset? DeactivatedAt);

/// <summary>A created tenant with its first admin; <paramref name="GeneratedPassword"/> is set only when Voltgate chose it (shown once).</summary>
public sealed record CreatedTenant(TenantView Tenant, string AdminUsername, string? GeneratedPassword);

public sealed record CreateTenantCommand(string? Slug, string? Name, string? AdminUsername, string? AdminPassword);

/// <summary>
/// The installation's tenants, for instance administrators (right Instance.Tenants, tenant "default" only):
/// list, create (slug, name, first admin), deactivate and activate again. Tenants are never deleted.
/// </summary>
public sealed partial class TenantAdminService(
    VoltgateDbContext db,
    IServiceScopeFactory scopes,
    UserManager<VoltgateUser> users,
    AuditLog audit,
    TimeProvider time,
    TenantDirectory directory,
    ITenantSettingsChangeNotifier notifier,
    ITenantDeactivationHook? deactivationHook = null)
{
    public const int MaxNameLength = 200;

    /// <summary>Words a slug may not be: path segments of the web listener, and the installation's own tenant.</summary>
    public static readonly IReadOnlySet<string> ReservedSlugs = new HashSet<string>(StringComparer.Ordinal) { "api", "ocpp", Tenant.DefaultSlug };

    public async Task<(IReadOnlyList<TenantView> Items, int Total)> ListAsync(int skip, int take, CancellationToken ct)
    {
        var query = db.Tenants.AsNoTracking().OrderBy(t => t.Slug);
        var total = await query.CountAsync(ct);
        var page = await query.Skip(skip).Take(take).ToListAsync(ct);
        return (page.Select(ToView).ToList(), total);
    }

    public async Task<Result<TenantView>> GetAsync(string slug, CancellationToken ct) =>
        await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.Slug == slug, ct) is { } tenant ? ToView(tenant) : Error.NotFound("The tenant");

    public async Task<Result<CreatedTenant>> CreateAsync(CreateTenantCommand command, CancellationToken ct)
    {
        var slug = command.Slug?.Trim() ?? "";
        var name = command.Name?.Trim() ?? "";
        var username = string.IsNullOrWhiteSpace(command.AdminUsername) ? TenantProvisioner.AdminUserName : command.AdminUsername.Trim();
        var generated = string.IsNullOrEmpty(command.AdminPassword);
        var password = generated ? GeneratePassword() : command.AdminPassword!;
        if ((CheckSlug(slug) ?? CheckName(name) ?? CheckUsername(username) ?? await CheckPasswordAsync(username, password)) is { } invalid)
        {
            return invalid;
        }

        if (await db.Tenants.AnyAsync(t => t.Slug == slug, ct))
        {
            return SlugTaken(slug);
        }

        Tenant created;
        try
        {
            created = await ProvisionAsync(slug, name, username, password, ct);
        }
        catch (DbUpdateException)
        {
            if (await db.Tenants.AnyAsync(t => t.Slug == slug, ct))
            {
                // Created concurrently by another request: the unique index decided.
                return SlugTaken(slug);
            }

            throw;
        }

        audit.Add("Tenant.Created", slug, new { name, admin = username, passwordGenerated = generated });
        await db.SaveChangesAsync(ct);
        return new CreatedTenant(ToView(created), username, generated ? password : null);
    }

    public Task<Result<TenantView>> DeactivateAsync(string slug, CancellationToken ct) => SetActiveAsync(slug, active: false, ct);

    public Task<Result<TenantView>> ActivateAsync(string slug, CancellationToken ct) => SetActiveAsync(slug, active: true, ct);

    private async Task<Result<TenantView>> SetActiveAsync(string slug, bool active, CancellationToken ct)
    {
        var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Slug == slug, ct);
        if (tenant is null)
        {
            return Error.NotFound("The tenant");
        }

        if (!active && tenant.Slug == Tenant.DefaultSlug)
        {
            // The instance administrators live in "default": deactivating it would lock everyone out of the installation.
            return new Error(ErrorKind.Conflict, "DefaultTenant", "The tenant 'default' holds the instance administrators and cannot be deactivated.");
        }

        if (tenant.Active == active)
        {
            return ToView(tenant);
        }

        tenant.DeactivatedAt = active ? null : time.GetUtcNow();
        audit.Add(active ? "Tenant.Activated" : "Tenant.Deactivated", tenant.Slug);
        await db.SaveChangesAsync(ct);
        // Every node's front door reads the tenant again (Redis: a publish); this node's live stations of it are closed.
        directory.Invalidate(tenant.Id);
        await notifier.SettingsChangedAsync(tenant.Id);
        if (!active && deactivationHook is not null)
        {
            await deactivationHook.TenantDeactivatedAsync(tenant.Id);
        }

        return ToView(tenant);
    }

    /// <summary>In a scope of its own (the provisioner acts for the new tenant) and one transaction: all of it or nothing.</summary>
    private async Task<Tenant> ProvisionAsync(string slug, string name, string username, string password, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var scoped = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
            await using var transaction = await scoped.Database.BeginTransactionAsync(ct);
            var tenant = await scope.ServiceProvider.GetRequiredService<TenantProvisioner>().CreateAsync(slug, name, username, password, ct);
            await transaction.CommitAsync(ct);
            return tenant;
        });
    }

    private static Error? CheckSlug(string slug)
    {
        if (slug.Length == 0)
        {
            return Error.Validation("slug", "Required", "A slug is required: 2 to 32 characters a-z, 0-9 and '-'.");
        }

        if (!SlugPattern().IsMatch(slug))
        {
            return Error.Validation("slug", "SlugMalformed",
                $"The slug '{slug}' is not valid: 2 to 32 characters a-z, 0-9 and '-' (lower case), not starting or ending with '-'.");
        }

        return ReservedSlugs.Contains(slug)
            ? Error.Validation("slug", "SlugReserved", $"The slug '{slug}' is reserved; choose another one (reserved: api, ocpp, default).")
            : null;
    }

    private static Error? CheckName(string name) =>
        name.Length == 0 ? Error.Validation("name", "Required", "A name is required.")
        : name.Length > MaxNameLength ? Error.Validation("name", "TooLong", $"The name has at most {MaxNameLength} characters.")
        : null;

    private Error? CheckUsername(string username)
    {
        var allowed = users.Options.User.AllowedUserNameCharacters;
        return username.Length > 256 || username.Any(c => !allowed.Contains(c))
            ? Error.Validation("admin.username", "InvalidUsername", $"The login name may use only letters, digits and {"-._@+"}, at most 256 characters.")
            : null;
    }

    /// <summary>The password policy, checked before anything is stored (the provisioner would fail half-way otherwise).</summary>
    private async Task<Error?> CheckPasswordAsync(string username, string password)
    {
        var probe = new VoltgateUser { UserName = username };
        var problems = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, probe, password);
            problems.AddRange(result.Errors.Select(e => e.Description));
        }

        return problems.Count == 0 ? null
            : new Error(ErrorKind.Validation, "WeakPassword", "The password does not meet the password policy: " + string.Join(" ", problems),
                new Dictionary<string, string[]> { ["admin.password"] = problems.ToArray() });
    }

    private static Error SlugTaken(string slug) =>
        new(ErrorKind.Conflict, "SlugTaken", $"A tenant with the slug '{slug}' already exists.",
            new Dictionary<string, string[]> { ["slug"] = [$"A tenant with the slug '{slug}' already exists."] });

    /// <summary>20 random characters (no look-alikes, ~117 bits) and a fixed "-7Ka" so that the policy (digit, upper, lower) holds every time.</summary>
    private static string GeneratePassword()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        return new string(RandomNumberGenerator.GetItems<char>(alphabet, 20)) + "-7Ka";
    }

    private static TenantView ToView(Tenant t) => new(t.Id, t.Slug, t.Name, t.Active, t.CreatedAt, t.DeactivatedAt);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$")]
    private static partial Regex SlugPattern();
}

/// <summary>What the host does when a tenant is deactivated (the server closes that tenant's live station connections).</summary>
public interface ITenantDeactivationHook
{
    Task TenantDeactivatedAsync(Guid tenantId);
}
