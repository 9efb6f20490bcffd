using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Voltgate.Server.Ocpp.FrontDoor;

namespace Voltgate.Server.Hosting;

/// <summary>
/// Voltgate:DataProtection:Certificate: encrypts each new Data Protection key with a certificate kept outside the
/// database, so a copy of the database alone does not open the secrets it protects (station passwords, cookies,
/// 2FA secrets). Keys written before it was set stay readable (they are stored unencrypted and are read as such);
/// docs/security.md describes backup and rotation.
/// </summary>
internal static class KeyRingProtection
{
    private const string Section = "Voltgate:DataProtection";

    public static void Configure(IServiceCollection services, DataProtectionSection settings, Action<string> warn)
    {
        var path = settings.Certificate.Path;
        if (string.IsNullOrWhiteSpace(path))
        {
            warn($"{Section}:Certificate:Path is not set: the Data Protection key ring is stored unencrypted in the database (docs/security.md).");
            return;
        }

        var certificate = Load(settings.Certificate, $"{Section}:Certificate");
        var previous = settings.PreviousCertificates.Select((c, i) => Load(c, $"{Section}:PreviousCertificates:{i}"));

        // Unprotect with these certificates explicitly: on Linux there is no certificate store the key ring could find them in.
        services.AddDataProtection().ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate([certificate, .. previous]);
    }

    private static X509Certificate2 Load(CertificateOptions options, string setting)
    {
        if (string.IsNullOrWhiteSpace(options.Path) || !File.Exists(options.Path))
        {
            throw new OcppConfigurationException($"{setting}:Path '{options.Path}' does not exist.");
        }

        var certificate = Listeners.LoadCertificate(options, setting);
        return certificate.HasPrivateKey
            ? certificate
            : throw new OcppConfigurationException($"{setting} has no private key; the key ring could not be read back.");
    }
}
