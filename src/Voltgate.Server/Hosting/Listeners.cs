using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Voltgate.Server.Ocpp;
using Voltgate.Server.Ocpp.FrontDoor;

namespace Voltgate.Server.Hosting;

/// <summary>Binds Kestrel to the web URL and to one listener per OCPP endpoint (with its own TLS certificate).</summary>
internal static class Listeners
{
    public static void Configure(KestrelServerOptions kestrel, Uri webUrl, X509Certificate2? webCertificate, OcppEndpoints endpoints, ConnectionLimit limit, ConnectionAdmission admission)
    {
        // The last line of defence below the file-descriptor limit: the front door's own cap answers 503 earlier.
        kestrel.Limits.MaxConcurrentConnections = limit.Max + 500;
        kestrel.Limits.MaxConcurrentUpgradedConnections = limit.Max;
        kestrel.AddServerHeader = false;
        Listen(kestrel, webUrl, webCertificate, admission: null, endpoint: null);
        foreach (var endpoint in endpoints.All)
        {
            Listen(kestrel, endpoint.Url, endpoint.IsTls ? LoadCertificate(endpoint) : null, admission, endpoint.Name);
        }
    }

    public static X509Certificate2 LoadCertificate(OcppEndpoint endpoint) =>
        LoadCertificate(endpoint.Certificate, $"Voltgate:Ocpp:Endpoints:{endpoint.Name}");

    /// <summary>A PFX (with its password) or a PEM certificate and key; a one-line reason naming <paramref name="section"/> when it cannot be read.</summary>
    public static X509Certificate2 LoadCertificate(CertificateOptions c, string section)
    {
        try
        {
            if (!string.IsNullOrEmpty(c.KeyPath))
            {
                return X509Certificate2.CreateFromPemFile(c.Path!, c.KeyPath);
            }

            return X509CertificateLoader.LoadPkcs12FromFile(c.Path!, c.Password);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException)
        {
            throw new OcppConfigurationException($"{section}: the certificate could not be loaded ({ex.GetType().Name}); check Certificate:Path, KeyPath and Password.");
        }
    }

    private static void Listen(KestrelServerOptions kestrel, Uri url, X509Certificate2? certificate, ConnectionAdmission? admission, string? endpoint)
    {
        void Configure(ListenOptions listen)
        {
            // Outside TLS: a socket that never sends its hello must meet the first-bytes deadline too.
            admission?.Apply(listen);
            if (certificate is not null)
            {
                // OCPP listeners: a failed TLS handshake is recorded as an unattributed attempt (docs/operations.md).
                if (endpoint is not null)
                {
                    TlsHandshakeWatch.Outer(listen, endpoint);
                }

                listen.UseHttps(certificate);
                if (endpoint is not null)
                {
                    TlsHandshakeWatch.Inner(listen);
                }
            }
        }

        switch (url.Host)
        {
            case "localhost":
                kestrel.ListenLocalhost(url.Port, Configure);
                break;
            case "0.0.0.0" or "*" or "+":
                kestrel.ListenAnyIP(url.Port, Configure);
                break;
            default:
                if (!IPAddress.TryParse(url.Host.Trim('[', ']'), out var address))
                {
                    throw new OcppConfigurationException($"'{url}' must name an IP address, 0.0.0.0 or localhost to listen on.");
                }

                kestrel.Listen(address, url.Port, Configure);
                break;
        }
    }
}
