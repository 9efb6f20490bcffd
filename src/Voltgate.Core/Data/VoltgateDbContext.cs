using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Access;
using Voltgate.Core.Audit;
using Voltgate.Core.DeviceModel;
using Voltgate.Core.IdTags;
using Voltgate.Core.OcppSecurity;
using Voltgate.Core.OcppSecurity.Rotation;
using Voltgate.Core.StationHistory;
using Voltgate.Core.Stations;
using Voltgate.Core.Tenancy;
using Voltgate.Core.Transactions;

namespace Voltgate.Core.Data;

/// <summary>
/// The one Voltgate context. Provider-specific tweaks live in the two thin derived contexts, each with its own
/// migration set (SQLite and PostgreSQL). Every tenant-owned row is filtered by the current tenant; code that must
/// see across tenants (bootstrap, the front door's index) says so with IgnoreQueryFilters.
/// </summary>
public abstract class VoltgateDbContext(DbContextOptions options, ITenantContext tenant, CallerAccess? access = null)
    : IdentityDbContext<VoltgateUser, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    private Guid? CurrentTenantId => tenant.TenantId;

    // Data scope (users/groups DataScope): read by the filters of company-owned rows. No caller = no restriction.
    private bool ScopeRestricted => access?.Restricted ?? false;
    private Guid[] VisibleCompanyIds => access?.VisibleCompanyIds ?? [];

    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<TenantSettings> TenantSettings => Set<TenantSettings>();
    public DbSet<Company> Companies => Set<Company>();
    public DbSet<Group> Groups => Set<Group>();
    public DbSet<GroupMember> GroupMembers => Set<GroupMember>();
    public DbSet<GroupRight> GroupRights => Set<GroupRight>();
    public DbSet<BasicAuthPassword> BasicAuthPasswords => Set<BasicAuthPassword>();
    public DbSet<Station> Stations => Set<Station>();
    public DbSet<ConnectorStatus> ConnectorStatuses => Set<ConnectorStatus>();
    public DbSet<ConnectionAttempt> ConnectionAttempts => Set<ConnectionAttempt>();
    public DbSet<UnattributedAttempt> UnattributedAttempts => Set<UnattributedAttempt>();
    public DbSet<IdTag> IdTags => Set<IdTag>();
    public DbSet<ChargingTransaction> Transactions => Set<ChargingTransaction>();
    public DbSet<MeterSample> MeterSamples => Set<MeterSample>();
    public DbSet<TransactionEventRecord> TransactionEvents => Set<TransactionEventRecord>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<SystemSecret> SystemSecrets => Set<SystemSecret>();
    public DbSet<PasswordRotation> PasswordRotations => Set<PasswordRotation>();
    public DbSet<RotationStation> RotationStations => Set<RotationStation>();
    public DbSet<EngineLease> EngineLeases => Set<EngineLease>();
    public DbSet<DeviceModelVariable> DeviceModelVariables => Set<DeviceModelVariable>();
    public DbSet<StationNotice> StationNotices => Set<StationNotice>();
    public DbSet<DataProtectionKey> DataProtectionKeys { get; set; } = null!;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(VoltgateDbContext).Assembly);

        // Data Protection's key XML is long; the 256-character default for strings must not apply to it.
        builder.Entity<DataProtectionKey>().Property(k => k.Xml).Metadata.SetMaxLength(null);

        // Identity tokens hold encrypted values (authenticator key, ten recovery codes) longer than 256 characters.
        builder.Entity<IdentityUserToken<Guid>>().Property(t => t.Value).Metadata.SetMaxLength(null);

        builder.Entity<TenantSettings>().HasQueryFilter(e => e.TenantId == CurrentTenantId);
        builder.Entity<Company>().HasQueryFilter(e => e.TenantId == CurrentTenantId);
        builder.Entity<VoltgateUser>().HasQueryFilter(e => e.TenantId == CurrentTenantId && (!ScopeRestricted || VisibleCompanyIds.Contains(e.CompanyId)));
        builder.Entity<Group>().HasQueryFilter(e => e.TenantId == CurrentTenantId);
        builder.Entity<BasicAuthPassword>().HasQueryFilter(e => e.TenantId == CurrentTenantId);
        builder.Entity<Station>().HasQueryFilter(e => e.TenantId == CurrentTenantId && (!ScopeRestricted || VisibleCompanyIds.Contains(e.CompanyId)));
        builder.Entity<ConnectorStatus>().HasQueryFilter(e => e.TenantId == CurrentTenantId);
        builder.Entity<ConnectionAttempt>().HasQueryFilter(e => e.TenantId == CurrentTenantId);
        builder.Entity<IdTag>().HasQueryFilter(e => e.TenantId == CurrentTenantId && (!ScopeRestricted || (e.CompanyId != null && VisibleCompanyIds.Contains(e.CompanyId.Value))));
        builder.Entity<ChargingTransaction>().HasQueryFilter(e => e.TenantId == CurrentTenantId);
        builder.Entity<MeterSample>().HasQueryFilter(e => e.TenantId == CurrentTenantId);
        builder.Entity<TransactionEventRecord>().HasQueryFilter(e => e.TenantId == CurrentTenantId);
        builder.Entity<AuditEvent>().HasQueryFilter(e => e.TenantId == CurrentTenantId);
        builder.Entity<ApiKey>().HasQueryFilter(e => e.TenantId == CurrentTenantId);
        builder.Entity<PasswordRotation>().HasQueryFilter(e => e.TenantId == CurrentTenantId);
        builder.Entity<RotationStation>().HasQueryFilter(e => e.TenantId == CurrentTenantId);
        builder.Entity<DeviceModelVariable>().HasQueryFilter(e => e.TenantId == CurrentTenantId);
        builder.Entity<StationNotice>().HasQueryFilter(e => e.TenantId == CurrentTenantId);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<string>().HaveMaxLength(256);
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(40);
    }
}

/// <summary>A server-wide secret (e.g. the pool's HMAC key), encrypted with Data Protection.</summary>
public sealed class SystemSecret
{
    public required string Name { get; init; }
    public required string ProtectedValue { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
