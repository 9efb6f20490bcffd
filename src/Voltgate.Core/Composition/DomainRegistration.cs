using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Voltgate.Core.Audit;
using Voltgate.Core.Common;
using Voltgate.Core.DeviceModel;
using Voltgate.Core.IdTags;
using Voltgate.Core.OcppHandlers;
using Voltgate.Core.Persistence;
using Voltgate.Core.Plausibility;
using Voltgate.Core.StationHistory;
using Voltgate.Core.Stations;
using Voltgate.Core.Telemetry;
using Voltgate.Core.Transactions;

namespace Voltgate.Core.Composition;

public static class DomainRegistration
{
    /// <summary>The services that decide on what stations report, whatever their protocol version, and their writer.</summary>
    public static IServiceCollection AddStationDomain(this IServiceCollection services)
    {
        // The host registers the configured limits first; tests that compose the domain alone get the defaults.
        services.TryAddSingleton(new InputLimits());
        services.TryAddSingleton<PlausibilityRules>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SampleBudget>();
        services.AddMetrics();
        services.TryAddSingleton<VoltgateMetrics>();
        services.AddSingleton<GroupCommitWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<GroupCommitWriter>());
        services.AddSingleton<DomainEvents>();

        services.AddSingleton<MeterSampleBatch>();
        services.AddSingleton<MeteringService>();
        services.AddSingleton<IDomainEventHandler<ConnectionEnded>>(sp => sp.GetRequiredService<MeteringService>());
        services.AddSingleton<IDomainEventHandler<TransactionEnded>>(sp => sp.GetRequiredService<MeteringService>());
        services.AddScoped<TransactionRecorder>();
        services.AddSingleton<TransactionEventBatch>();
        services.AddSingleton<StationTransactionKeys>();
        services.AddSingleton<TransactionEventService>();
        services.AddScoped<IdTagAuthorizer>();
        services.AddScoped<IOpenTransactions, OpenTransactions>();

        services.AddSingleton<BootBatch>();
        services.AddSingleton<StationBootService>();
        services.AddSingleton<ConnectorStatusBatch>();
        services.AddSingleton<ConnectorStatusService>();
        services.AddScoped<StationAudit>();

        // The device model and the notification history per station (docs/architecture.md, "The device model").
        services.TryAddSingleton(new StationRecordLimits());
        services.AddSingleton<NotifyReportAssembler>();
        services.AddSingleton<IDomainEventHandler<ConnectionEnded>>(sp => sp.GetRequiredService<NotifyReportAssembler>());
        services.AddScoped<DeviceModelStore>();
        services.AddScoped<CommandAnswers>();
        services.AddScoped<StationNoticeLog>();
        return services;
    }
}
