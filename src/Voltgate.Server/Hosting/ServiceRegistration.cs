using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Voltgate.Core.Access;
using Voltgate.Core.Audit;
using Voltgate.Core.Bootstrap;
using Voltgate.Core.Composition;
using Voltgate.Core.Data;
using Voltgate.Core.OcppHandlers;
using Voltgate.Core.OcppSecurity;
using Voltgate.Core.Persistence;
using Voltgate.Core.Stations;
using Voltgate.Core.Tenancy;
using Voltgate.Server.Cluster;
using Voltgate.Server.Ocpp;
using Voltgate.Server.Ocpp.FrontDoor;
using Voltgate.Server.Rotation;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Hosting;

internal static class ServiceRegistration
{
    public static IServiceCollection AddVoltgateCore(this IServiceCollection services, DatabaseOptions database)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(database);
        services.AddVoltgateData(database);
        services.AddDataProtection().SetApplicationName("Voltgate").PersistKeysToDbContext<VoltgateDbContext>();
        services.AddScoped<ActorContext>();
        services.AddScoped<IActorContext>(sp => sp.GetRequiredService<ActorContext>());
        services.AddScoped<AuditLog>();
        services.AddSingleton<SecretProtector>();
        services.AddSingleton<PoolHmacKey>();
        services.AddSingleton<PasswordPoolCache>();
        services.AddSingleton<IPoolChangeNotifier, LocalPoolChangeNotifier>();
        services.AddSingleton<ITenantSettingsChangeNotifier, LocalTenantSettingsChangeNotifier>();
        services.AddSingleton<IStationChangeNotifier, LocalStationChangeNotifier>();
        services.AddScoped<PasswordPoolService>();
        services.AddScoped<StationService>();
        services.AddScoped<StationQueries>();
        services.AddScoped<StationViewQuery>();
        services.AddScoped<ConnectionAttemptQuery>();
        services.AddScoped<UnattributedAttemptQuery>();
        services.AddScoped<InstanceAdministrators>();
        services.AddScoped<Voltgate.Core.Transactions.TransactionService>();
        services.AddScoped<Voltgate.Core.IdTags.IdTagCsv>();
        services.AddScoped<Voltgate.Core.Dashboard.DashboardService>();
        services.AddScoped<TenantSettingsService>();
        services.AddScoped<TenantProvisioner>();
        services.AddScoped<Voltgate.Core.IdTags.IdTagService>();
        services.AddSingleton<TenantDirectory>();
        services.AddSingleton<IStationDirectory, StationDirectory>();
        services.AddSingleton<UnknownStationAdmission>();
        services.AddSingleton<DatabaseInitializer>();
        services.TryAddSingleton<IStationEvents, InProcessStationEvents>();
        services.AddSingleton<FrontDoorRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<FrontDoorRecorder>());
        services.AddStationDomain();
        services.AddOcppHandlers();
        return services;
    }

    public static IServiceCollection AddVoltgateIdentity(this IServiceCollection services, LoginOptions login)
    {
        services.AddSingleton(login);
        services.AddIdentityCore<VoltgateUser>(o =>
            {
                o.Password.RequiredLength = 12;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = login.AccountFailuresBeforeLockout;
                o.Lockout.DefaultLockoutTimeSpan = login.LockoutTime;
                o.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@+";
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<VoltgateDbContext>()
            .AddTokenProvider<AuthenticatorTokenProvider<VoltgateUser>>(TokenOptions.DefaultAuthenticatorProvider);
        services.AddScoped<IUserStore<VoltgateUser>, ProtectedTokenUserStore>();
        services.AddVoltgateAccess();
        services.AddAuthentication(AuthenticationSchemes.Default)
            .AddBearerToken(o => o.BearerTokenExpiration = TimeSpan.FromHours(1))
            .AddVoltgateSchemes();
        services.AddScoped<CurrentUser>();
        services.AddScoped<PasswordLogin>();
        services.AddSingleton<AccountLocks>();
        services.AddSingleton<LoginThrottle>();
        services.AddScoped<TwoFactorAccount>();
        services.AddScoped<IAuthorizationHandler, RightAuthorizationHandler>();
        services.AddAuthorizationBuilder().AddRightPolicies();
        return services;
    }

    public static IServiceCollection AddVoltgateFrontDoor(this IServiceCollection services, OcppOptions options, OcppEndpoints endpoints, ConnectionLimit limit, ConnectionAdmission admission)
    {
        services.AddSingleton(options);
        services.AddSingleton<StationConnectionOptions>(options);
        services.AddSingleton(options.Throttle);
        services.AddSingleton(endpoints);
        services.AddSingleton(limit);
        services.AddSingleton(admission);
        services.AddSingleton<AuthFailureThrottle>();
        services.AddSingleton<StationSessions>();
        services.AddSingleton<IStationPresence, StationPresence>();
        services.AddSingleton<MessageLog>();
        services.TryAddSingleton<IStationCommandRouter, LocalStationCommandRouter>();
        services.TryAddSingleton<IStationRegistry, LocalStationRegistry>();
        services.AddSingleton<OcppHandshake>();
        services.AddSingleton<OcppFrontDoor>();
        services.AddSingleton<Diagnostics.LastSeenFlusher>();
        services.AddHostedService(sp => sp.GetRequiredService<Diagnostics.LastSeenFlusher>());
        services.AddSingleton<UnattributedAttempts>();
        services.AddSingleton<UnattributedAttemptWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<UnattributedAttemptWriter>());
        services.AddHostedService<StationGauges>();
        services.AddScoped<Commands.RemoteCommands>();
        services.AddPasswordRotation();
        return services;
    }
}
