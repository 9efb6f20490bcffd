using Microsoft.AspNetCore.DataProtection;

namespace Voltgate.Core.OcppSecurity;

/// <summary>Encrypts station secrets at rest. They must be replayable (operators type them into stations), so they are encrypted, not hashed.</summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Voltgate.OcppSecurity.Secrets.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
