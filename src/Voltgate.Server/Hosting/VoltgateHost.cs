using Scalar.AspNetCore;
using Voltgate.Core.Bootstrap;
using Voltgate.Core.Data;
using Voltgate.Core.MessageHistory;
using Voltgate.Core.Plausibility;
using Voltgate.Core.Retention;
using Voltgate.Core.Stations;
using Voltgate.Server.Api;
using Voltgate.Server.Cluster;
using Voltgate.Server.Components;
using Voltgate.Server.Ocpp;
using Voltgate.Server.Ocpp.FrontDoor;
using Voltgate.Server.Operations;
using Voltgate.Server.Texts;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Hosting;

/// <summary>
/// Builds and initialises the one Voltgate process: OCPP listeners, REST API, UI. Program.cs runs it; tests start
/// it in-process on real sockets with their own configuration.
/// </summary>
internal static class VoltgateHost
{
    private const int MinWorkerThreads = 64;

    /// <summary>Builds the app and prepares the database. Throws <see cref="OcppConfigurationException"/> with a one-line reason on bad configuration.</summary>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null, CancellationToken ct = default)
    {
        // Microsoft.Data.Sqlite does its I/O synchronously, also behind EF's async API, so a handshake's station
        // lookup or a transaction write holds a thread-pool thread. With the pool's default minimum (one per core)
        // a burst of them starved every socket until threads were injected (figures: docs/performance.md).
        ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
        ThreadPool.SetMinThreads(Math.Max(minWorkers, MinWorkerThreads), minIo);

        // Content root is the app folder so appsettings.json is found whatever the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory, ApplicationName = typeof(VoltgateHost).Assembly.GetName().Name });
        configure?.Invoke(builder);
        var voltgate = builder.Configuration.GetSection("Voltgate").Get<VoltgateOptions>() ?? new VoltgateOptions();
        var ocppOptions = builder.Configuration.GetSection("Voltgate:Ocpp").Get<OcppOptions>() ?? new OcppOptions();
        var login = builder.Configuration.GetSection("Voltgate:Login").Get<LoginOptions>() ?? new LoginOptions();
        if (login.Problem() is { } loginProblem)
        {
            throw new OcppConfigurationException(loginProblem);
        }

        var diagnostics = builder.Configuration.GetSection("Voltgate:Diagnostics").Get<Diagnostics.DiagnosticsOptions>() ?? new Diagnostics.DiagnosticsOptions();
        if (diagnostics.Problem() is { } diagnosticsProblem)
        {
            throw new OcppConfigurationException(diagnosticsProblem);
        }

        builder.Services.AddSingleton(diagnostics);
        var limits = builder.Configuration.GetSection("Voltgate:Limits").Get<InputLimits>() ?? new InputLimits();
        if (limits.Problem() is { } limitsProblem)
        {
            throw new OcppConfigurationException(limitsProblem);
        }

        var recordLimits = builder.Configuration.GetSection("Voltgate:Limits").Get<Core.Plausibility.StationRecordLimits>() ?? new Core.Plausibility.StationRecordLimits();
        if (recordLimits.Problem() is { } recordLimitsProblem)
        {
            throw new OcppConfigurationException(recordLimitsProblem);
        }

        var retention = builder.Configuration.GetSection("Voltgate:Retention").Get<RetentionOptions>() ?? new RetentionOptions();
        if (retention.Problem() is { } retentionProblem)
        {
            throw new OcppConfigurationException(retentionProblem);
        }

        var history = builder.Configuration.GetSection("Voltgate:MessageHistory").Get<MessageHistoryOptions>() ?? new MessageHistoryOptions();
        if (history.Problem() is { } historyProblem)
        {
            throw new OcppConfigurationException(historyProblem);
        }

        var webUrl = StartupChecks.WebUrl(voltgate);
        var database = StartupChecks.Database(voltgate, builder.Configuration.GetConnectionString("Voltgate"));
        var endpoints = OcppEndpoints.Validate(ocppOptions, webUrl, warning => Console.Error.WriteLine($"Voltgate warning: {warning}"));
        foreach (var endpoint in endpoints.All.Where(e => e.IsTls))
        {
            using var _ = Listeners.LoadCertificate(endpoint);
        }

        var cluster = await ClusterNode.ConnectAsync(builder.Configuration.GetSection("Voltgate:Cluster").Get<ClusterOptions>() ?? new ClusterOptions(),
            webUrl, ocppOptions, warning => Console.Error.WriteLine($"Voltgate warning: {warning}"));
        var metrics = builder.Configuration.GetSection("Voltgate:Metrics").Get<MetricsSection>() ?? new MetricsSection();
        var metricsNetworks = Telemetry.AllowedNetworks(metrics);
        Telemetry.Add(builder, builder.Configuration.GetSection("Voltgate:Telemetry").Get<TelemetrySection>() ?? new TelemetrySection(), metrics, endpoints);
        var webCertificate = WebTls.Load(webUrl, voltgate.Web);
        var forwarded = ReverseProxy.Options(voltgate.Web.ForwardedHeaders);
        var limit = new ConnectionLimit(ocppOptions);
        var admission = new ConnectionAdmission(ocppOptions, limit, TimeProvider.System);
        builder.WebHost.ConfigureKestrel(k => Listeners.Configure(k, webUrl, webCertificate, endpoints, limit, admission));
        builder.WebHost.UseSockets(o => o.Backlog = ocppOptions.ListenBacklog);
        builder.Services.AddSingleton(limits);
        builder.Services.AddSingleton(recordLimits);
        builder.Services.AddVoltgateCore(database);
        builder.Services.AddMessageHistory(history);
        builder.Services.AddScoped<MessageLogReader>();
        KeyRingProtection.Configure(builder.Services, voltgate.DataProtection, warning => Console.Error.WriteLine($"Voltgate warning: {warning}"));
        builder.Services.AddVoltgateIdentity(login);
        builder.Services.AddVoltgateTexts();
        builder.Services.AddVoltgateUi();
        // Serve MudBlazor's and Blazor's static web assets from the build output too, not only when published.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddVoltgateFrontDoor(ocppOptions, endpoints, limit, admission);
        builder.Services.AddVoltgateCluster(cluster);
        builder.Services.AddVoltgateOperations(retention);
        builder.Services.AddProblemDetails();
        // OpenAPI 3.0: the version every common client generator (NSwag, Kiota, openapi-generator) reads in full.
        builder.Services.AddOpenApi(o =>
        {
            o.OpenApiVersion = Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_0;
            o.AddSchemaTransformer(OpenApiNumbers.StrictAsync);
        });
        builder.Services.AddHealthChecks().AddDbContextCheck<VoltgateDbContext>("database");
        builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Apply(o.SerializerOptions));

        var app = builder.Build();
        var bootstrap = builder.Configuration.GetSection("Voltgate:Bootstrap").Get<BootstrapOptions>() ?? new BootstrapOptions();
        await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(bootstrap, ct);
        // Before the listeners open: after a restart every station reconnects at once, and a query per station
        // in that storm blocked thread-pool threads (SQLite is synchronous) and halved the handshake rate.
        await app.Services.GetRequiredService<IStationDirectory>().LoadAllAsync(ct);
        Configure(app, forwarded, metrics.Enabled ? metricsNetworks : null);
        return app;
    }

    private static void Configure(WebApplication app, ForwardedHeadersOptions? forwarded, IReadOnlyList<System.Net.IPNetwork>? metricsNetworks)
    {
        var frontDoor = app.Services.GetRequiredService<OcppFrontDoor>();
        app.UseWebSockets();
        app.UseWhen(frontDoor.IsOcppRequest, ocpp => ocpp.Run(frontDoor.HandleAsync));

        // Web requests only: the OCPP front door judges stations by the address that connected to it.
        if (forwarded is not null)
        {
            app.UseForwardedHeaders(forwarded);
        }

        app.UseSecurityHeaders();
        if (metricsNetworks is not null)
        {
            Telemetry.UseMetricsEndpoint(app, metricsNetworks);
        }
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseMiddleware<RequestIdentityMiddleware>();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapOpenApi();
        // Its own fonts come from a third-party host, which the Content Security Policy does not allow.
        app.MapScalarApiReference(SecurityHeaders.ApiReferencePath, o => o.DisableDefaultFonts());
        app.MapHealthChecks("/health");
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        // The REST API: one group without a prefix, so that the problems every endpoint shares are declared once.
        var api = app.MapGroup(string.Empty).WithSharedProblems();
        api.MapAuthApi();
        api.MapOcppSecurityApi();
        api.MapRotationsApi();
        api.MapStationsApi();
        api.MapStationDiagnosticsApi();
        api.MapStationDeviceModelApi();
        api.MapUnattributedAttemptsApi();
        api.MapMessageHistoryApi();
        api.MapTransactionsApi();
        api.MapDashboardApi();
        api.MapIdTagsApi();
        api.MapCommandsApi();
        api.MapUsersApi();
        api.MapGroupsApi();
        api.MapCompaniesApi();
        api.MapAuditApi();
        api.MapApiKeysApi();
        api.MapAccountApi();
        api.MapTenantsApi();
        api.MapRetentionApi();
        app.MapAccountEndpoints();
        app.MapVoltgateUi();
    }
}
