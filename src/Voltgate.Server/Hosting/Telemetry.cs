using System.Net;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Voltgate.Core.Telemetry;
using Voltgate.Server.Ocpp.FrontDoor;

namespace Voltgate.Server.Hosting;

/// <summary>Voltgate:Metrics — who may scrape <c>GET /metrics</c> on the web listener (docs/operations.md).</summary>
internal sealed class MetricsSection
{
    /// <summary>
    /// False: no meter listener at all — no scrape endpoint (404) and no OTLP metrics; the instruments then cost a
    /// check each. For measuring what metrics cost (docs/performance.md) and for sites that want none.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>CIDR networks answered; everyone else gets 403. Unset: loopback only.</summary>
    /// <remarks>Null rather than a default list: the configuration binder appends to a list it finds, so configured
    /// networks would be added to loopback instead of replacing it.</remarks>
    public List<string>? AllowedNetworks { get; set; }

    public static IReadOnlyList<string> DefaultNetworks { get; } = ["127.0.0.0/8", "::1/128"];
}

/// <summary>Voltgate:Telemetry — OTLP export of metrics and traces, off unless an endpoint is configured.</summary>
internal sealed class TelemetrySection
{
    /// <summary>The collector, e.g. http://otel-collector:4317 (gRPC) or http://otel-collector:4318 (HttpProtobuf).</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Seconds between two OTLP metric exports (Prometheus scrapes are unaffected).</summary>
    public double MetricExportIntervalSeconds { get; set; } = 60;

    /// <summary>Grpc (default) or HttpProtobuf.</summary>
    public string OtlpProtocol { get; set; } = "Grpc";

    /// <summary>
    /// Export a span per web request (the API call that starts a command's trace, and honour a caller's traceparent).
    /// OCPP listener requests are never exported, but while this is on ASP.NET Core keeps an Activity for every
    /// request, also for each station's upgraded one for the life of its socket (about 0.5 KB per connected station).
    /// </summary>
    public bool TraceHttpRequests { get; set; } = true;

    /// <summary>service.name of the exported resource.</summary>
    public string ServiceName { get; set; } = "voltgate";
}

/// <summary>
/// OpenTelemetry for the one process: Voltgate's meter (and ASP.NET Core's and Kestrel's) on a Prometheus scrape
/// endpoint behind an allow-list, traces of remote commands, and OTLP export of both when configured through
/// Voltgate:Telemetry:OtlpEndpoint or the standard OTEL_EXPORTER_OTLP_ENDPOINT.
/// </summary>
internal static class Telemetry
{
    public const string MetricsPath = "/metrics";

    private const string OtelEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The parsed allow-list; a one-line reason for a network that does not parse.</summary>
    public static IReadOnlyList<IPNetwork> AllowedNetworks(MetricsSection metrics)
    {
        var networks = new List<IPNetwork>();
        foreach (var cidr in metrics.AllowedNetworks ?? [.. MetricsSection.DefaultNetworks])
        {
            networks.Add(IPNetwork.TryParse(cidr.Trim(), out var network)
                ? network
                : throw new OcppConfigurationException($"Voltgate:Metrics:AllowedNetworks: '{cidr}' is not a CIDR network such as 127.0.0.0/8."));
        }

        return networks;
    }

    public static void Add(WebApplicationBuilder builder, TelemetrySection settings, MetricsSection metrics, OcppEndpoints endpoints)
    {
        var otlp = OtlpEndpoint(settings, Environment.GetEnvironmentVariable(OtelEndpointVariable));
        // Log lines carry the trace of the request or command they belong to (ASP.NET Core's default, made explicit).
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(settings.ServiceName, serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId));
        if (metrics.Enabled)
        {
            otel.WithMetrics(m =>
            {
                m.AddMeter(VoltgateTelemetry.Name, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                    .AddPrometheusExporter();
                if (otlp.Enabled)
                {
                    m.AddOtlpExporter((o, reader) =>
                    {
                        Apply(o, otlp, "v1/metrics");
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)(Math.Clamp(settings.MetricExportIntervalSeconds, 1, 3600) * 1000);
                    });
                }
            });
        }

        if (otlp.Enabled)
        {
            // Without an exporter nothing records spans: the activity source then costs nothing.
            otel.WithTracing(t =>
            {
                t.AddSource(VoltgateTelemetry.Name).AddOtlpExporter(o => Apply(o, otlp, "v1/traces"));
                if (settings.TraceHttpRequests)
                {
                    // Web requests only: a station's upgrade lasts as long as its socket and is no API call.
                    t.AddAspNetCoreInstrumentation(o => o.Filter = http =>
                        endpoints.ForLocalPort(http.Connection.LocalPort) is null && http.Request.Path != MetricsPath && !http.Request.Path.StartsWithSegments("/health"));
                }
            });
        }
    }

    /// <summary>Serves the scrape endpoint on the web listener (OCPP listeners never reach it) to allowed networks only.</summary>
    /// <remarks>
    /// Judged by <see cref="HttpContext.Connection"/>'s remote address, after the forwarded-headers middleware: behind a
    /// proxy listed in Voltgate:Web:ForwardedHeaders the client's X-Forwarded-For address counts, otherwise the socket's.
    /// </remarks>
    public static void UseMetricsEndpoint(WebApplication app, IReadOnlyList<IPNetwork> allowed)
    {
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            meterProvider: null,
            predicate: http => http.Request.Path == MetricsPath,
            path: null,
            configureBranchedPipeline: branch => branch.Use(async (http, next) =>
            {
                if (!Admits(allowed, http.Connection.RemoteIpAddress))
                {
                    http.Response.StatusCode = StatusCodes.Status403Forbidden;
                    await http.Response.WriteAsync("Metrics are served to the networks in Voltgate:Metrics:AllowedNetworks only.");
                    return;
                }

                await next(http);
            }),
            optionsName: null);
    }

    public static bool Admits(IReadOnlyList<IPNetwork> allowed, IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        var a = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return allowed.Any(n => n.Contains(a));
    }

    private readonly record struct Otlp(bool Enabled, Uri? Endpoint, OtlpExportProtocol Protocol);

    private static Otlp OtlpEndpoint(TelemetrySection settings, string? environment)
    {
        var protocol = settings.OtlpProtocol.Trim().ToUpperInvariant() switch
        {
            "GRPC" => OtlpExportProtocol.Grpc,
            "HTTPPROTOBUF" or "HTTP/PROTOBUF" => OtlpExportProtocol.HttpProtobuf,
            _ => throw new OcppConfigurationException($"Voltgate:Telemetry:OtlpProtocol: '{settings.OtlpProtocol}' is neither Grpc nor HttpProtobuf."),
        };
        if (!string.IsNullOrWhiteSpace(settings.OtlpEndpoint))
        {
            return Uri.TryCreate(settings.OtlpEndpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? new Otlp(true, uri, protocol)
                : throw new OcppConfigurationException($"Voltgate:Telemetry:OtlpEndpoint: '{settings.OtlpEndpoint}' is not an http:// or https:// URL.");
        }

        // The standard variables (OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL, _HEADERS) are read by the exporter itself.
        return new Otlp(!string.IsNullOrWhiteSpace(environment), null, protocol);
    }

    private static void Apply(OtlpExporterOptions options, Otlp otlp, string signalPath)
    {
        if (otlp.Endpoint is not { } endpoint)
        {
            return;
        }

        options.Protocol = otlp.Protocol;
        // Over HTTP the exporter posts to the URL as given: the signal's path is added here, as the OTEL_ variable would.
        options.Endpoint = otlp.Protocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(endpoint, endpoint.AbsolutePath.TrimEnd('/') + "/" + signalPath)
            : endpoint;
    }
}
