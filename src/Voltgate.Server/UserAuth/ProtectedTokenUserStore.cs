using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Voltgate.Core.Access;
using Voltgate.Core.Data;

namespace Voltgate.Server.UserAuth;

/// <summary>
/// Identity's user store with its token values (the TOTP authenticator key, the recovery codes) encrypted at rest
/// with Data Protection, like every other secret Voltgate keeps. Identity stores them in clear by default.
/// </summary>
internal sealed class ProtectedTokenUserStore(VoltgateDbContext context, IDataProtectionProvider protection, IdentityErrorDescriber? describer = null)
    : UserStore<VoltgateUser, IdentityRole<Guid>, VoltgateDbContext, Guid>(context, describer)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Voltgate.Identity.UserTokens.v1");

    public override Task SetTokenAsync(VoltgateUser user, string loginProvider, string name, string? value, CancellationToken cancellationToken) =>
        base.SetTokenAsync(user, loginProvider, name, value is null ? null : _protector.Protect(value), cancellationToken);

    public override async Task<string?> GetTokenAsync(VoltgateUser user, string loginProvider, string name, CancellationToken cancellationToken)
    {
        var stored = await base.GetTokenAsync(user, loginProvider, name, cancellationToken);
        return stored is null ? null : _protector.Unprotect(stored);
    }
}
