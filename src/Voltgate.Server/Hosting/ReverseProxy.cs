using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Voltgate.Server.Ocpp.FrontDoor;

namespace Voltgate.Server.Hosting;

/// <summary>
/// Voltgate:Web:ForwardedHeaders: behind a reverse proxy that terminates TLS, take the client address and scheme
/// from X-Forwarded-For/-Proto, but only from the listed proxies (loopback when none is listed). Off by default:
/// trusted without a proxy, the headers would let any client choose its own address.
/// </summary>
internal static class ReverseProxy
{
    private const string Section = "Voltgate:Web:ForwardedHeaders";

    /// <summary>The options to use, or null when switched off; a one-line reason for an address or network that does not parse.</summary>
    public static ForwardedHeadersOptions? Options(ForwardedHeadersSection settings)
    {
        if (!settings.Enabled)
        {
            return null;
        }

        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        if (settings.KnownProxies.Count > 0 || settings.KnownNetworks.Count > 0)
        {
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
        }

        foreach (var proxy in settings.KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                ? address
                : throw new OcppConfigurationException($"{Section}:KnownProxies: '{proxy}' is not an IP address."));
        }

        foreach (var network in settings.KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                ? parsed
                : throw new OcppConfigurationException($"{Section}:KnownNetworks: '{network}' is not a CIDR network such as 10.0.0.0/8."));
        }

        return options;
    }
}
