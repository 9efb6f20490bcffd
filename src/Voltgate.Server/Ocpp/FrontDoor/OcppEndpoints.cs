using System.Net;
using Voltgate.Core.Stations;

namespace Voltgate.Server.Ocpp.FrontDoor;

/// <summary>A validated OCPP listener.</summary>
internal sealed record OcppEndpoint(
    string Name,
    string Variant,
    Uri Url,
    bool IsTls,
    IReadOnlyList<IPNetwork> AllowedNetworks,
    CertificateOptions Certificate)
{
    public bool RequiresBasicAuth => ConnectionVariants.RequiresBasicAuth(Variant);

    public bool Admits(IPAddress address)
    {
        if (AllowedNetworks.Count == 0)
        {
            return true;
        }

        var a = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return AllowedNetworks.Any(n => n.Contains(a));
    }
}

/// <summary>Thrown when the configuration would start an unsafe or incomplete front door; the message is the one-line reason.</summary>
internal sealed class OcppConfigurationException(string message) : Exception(message);

/// <summary>The set of listeners, validated at start; looked up by the local port a request arrived on.</summary>
internal sealed class OcppEndpoints
{
    private static readonly IPNetwork[] PrivateRanges =
    [
        IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("::1/128"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"),
    ];

    private readonly Dictionary<int, OcppEndpoint> _byPort;

    public OcppEndpoints(IReadOnlyList<OcppEndpoint> endpoints)
    {
        All = endpoints;
        _byPort = endpoints.ToDictionary(e => e.Url.Port);
    }

    public IReadOnlyList<OcppEndpoint> All { get; }

    public OcppEndpoint? ForLocalPort(int port) => _byPort.GetValueOrDefault(port);

    /// <summary>Validates the configuration; every problem is a one-line reason in <see cref="OcppConfigurationException"/>.</summary>
    public static OcppEndpoints Validate(OcppOptions options, Uri webUrl, Action<string> warn)
    {
        if (options.Endpoints.Count == 0)
        {
            throw new OcppConfigurationException("No OCPP endpoint is configured (Voltgate:Ocpp:Endpoints); stations could not connect.");
        }

        if (options.MaxFrameBytes < 1024)
        {
            throw new OcppConfigurationException("Voltgate:Ocpp:MaxFrameBytes must be at least 1024.");
        }

        if (options.MessageLogFrames > 0 && options.MessageLogBytes < 1024)
        {
            throw new OcppConfigurationException("Voltgate:Ocpp:MessageLogBytes must be at least 1024 while the message log is on (MessageLogFrames > 0).");
        }

        foreach (var (name, value) in new[] { ("FirstBytesTimeoutSeconds", options.FirstBytesTimeoutSeconds), ("HandshakeTimeoutSeconds", options.HandshakeTimeoutSeconds), ("MaxPendingConnections", options.MaxPendingConnections), ("MaxPendingPerSource", options.MaxPendingPerSource) })
        {
            if (value < 1)
            {
                throw new OcppConfigurationException($"Voltgate:Ocpp:{name} must be at least 1.");
            }
        }

        if (options.ListenBacklog < 1)
        {
            throw new OcppConfigurationException("Voltgate:Ocpp:ListenBacklog must be at least 1.");
        }

        var result = new List<OcppEndpoint>();
        foreach (var (name, o) in options.Endpoints)
        {
            var where = $"Voltgate:Ocpp:Endpoints:{name}";
            if (string.IsNullOrWhiteSpace(o.Variant) || !ConnectionVariants.IsKnown(o.Variant))
            {
                throw new OcppConfigurationException($"{where}:Variant must be one of {string.Join(", ", ConnectionVariants.All)} (was '{o.Variant}').");
            }

            if (!Uri.TryCreate(o.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                throw new OcppConfigurationException($"{where}:Url must be an absolute http:// (ws) or https:// (wss) URL (was '{o.Url}').");
            }

            if (url.IsDefaultPort && !o.Url!.Contains($":{url.Port}", StringComparison.Ordinal))
            {
                throw new OcppConfigurationException($"{where}:Url must name its port explicitly (was '{o.Url}').");
            }

            var tls = url.Scheme == "https";
            if (tls && string.IsNullOrWhiteSpace(o.Certificate.Path))
            {
                throw new OcppConfigurationException($"{where} uses https but has no Certificate:Path.");
            }

            if (tls && !File.Exists(o.Certificate.Path))
            {
                throw new OcppConfigurationException($"{where}:Certificate:Path '{o.Certificate.Path}' does not exist.");
            }

            if (o.Variant == ConnectionVariants.PrivateSsl && !tls)
            {
                throw new OcppConfigurationException($"{where} is 'privatessl' and must use an https:// URL.");
            }

            if (o.Variant == ConnectionVariants.Public && !tls)
            {
                if (!o.AllowInsecureTransport)
                {
                    throw new OcppConfigurationException($"{where} is 'public' and must use https:// (set AllowInsecureTransport=true only for development).");
                }

                warn($"{where} is 'public' over plain ws (AllowInsecureTransport): passwords cross the network unencrypted. Use this only in development.");
            }

            var networks = new List<IPNetwork>();
            foreach (var cidr in o.AllowedNetworks.Where(n => !string.IsNullOrWhiteSpace(n)))
            {
                if (!IPNetwork.TryParse(cidr.Trim(), out var network))
                {
                    throw new OcppConfigurationException($"{where}:AllowedNetworks has an invalid CIDR '{cidr}'.");
                }

                networks.Add(network);
            }

            if (ConnectionVariants.IsPrivateNetworkOnly(o.Variant))
            {
                if (networks.Count == 0)
                {
                    throw new OcppConfigurationException($"{where} is '{o.Variant}' (private network only) and needs AllowedNetworks.");
                }

                // Nullable on purpose: default(IPNetwork) equals 0.0.0.0/0, the very network this check must catch.
                var open = networks.Cast<IPNetwork?>().FirstOrDefault(n => !PrivateRanges.Any(p => IsWithin(n!.Value, p)));
                if (open is not null)
                {
                    var auth = ConnectionVariants.RequiresBasicAuth(o.Variant) ? "" : " without authentication";
                    throw new OcppConfigurationException($"{where} is '{o.Variant}'{auth} but AllowedNetworks includes {open}, which is not a private network.");
                }
            }

            result.Add(new OcppEndpoint(name, o.Variant, url, tls, networks, o.Certificate));
        }

        var clash = result.GroupBy(e => e.Url.Port).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            throw new OcppConfigurationException($"OCPP endpoints {string.Join(" and ", clash.Select(e => e.Name))} share port {clash.Key}.");
        }

        if (result.FirstOrDefault(e => e.Url.Port == webUrl.Port) is { } webClash)
        {
            throw new OcppConfigurationException($"OCPP endpoint {webClash.Name} uses the web UI's port {webUrl.Port} (Voltgate:Web:Url).");
        }

        return new OcppEndpoints(result);
    }

    private static bool IsWithin(IPNetwork inner, IPNetwork outer) =>
        inner.BaseAddress.AddressFamily == outer.BaseAddress.AddressFamily
        && inner.PrefixLength >= outer.PrefixLength
        && outer.Contains(inner.BaseAddress);
}
