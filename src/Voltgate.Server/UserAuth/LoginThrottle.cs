using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;

namespace Voltgate.Server.UserAuth;

/// <summary>
/// Failure budgets of the user login per (source address, tenant, login name) and per source address, on the
/// rate limiter ASP.NET Core's rate limiting uses (fixed windows of <see cref="LoginOptions.LockoutTime"/>). Wrong
/// passwords from one address block that address for the account; the account stays open to every other address,
/// so nobody can lock a user out by guessing from their own address (docs/security.md, "Who can lock whom out").
/// </summary>
/// <remarks>
/// Only failures take a permit (<see cref="RecordFailure"/>); <see cref="IsBlocked"/> asks for none, it only looks.
/// A successful login gives nothing back: the failures expire with their window. Addresses are keyed like the
/// station back-off: IPv4-mapped IPv6 as IPv4, other IPv6 by its /64. Per node, in memory; a partition lives while
/// its window holds failures, so memory grows with the failed attempts of one window, each of which cost a password
/// hash.
/// </remarks>
internal sealed class LoginThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<AccountKey> _accounts;
    private readonly PartitionedRateLimiter<IPAddress> _addresses;

    public LoginThrottle(LoginOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var perAccount = Window(options.AddressAccountFailuresBeforeBlock, options.LockoutTime);
        var perAddress = Window(options.AddressFailuresBeforeBlock, options.LockoutTime);
        _accounts = PartitionedRateLimiter.Create<AccountKey, AccountKey>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => perAccount));
        _addresses = PartitionedRateLimiter.Create<IPAddress, IPAddress>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => perAddress));
    }

    /// <summary>Whether this address has used up its failures, for the account or for all accounts (tenant null: the address only).</summary>
    public bool IsBlocked(IPAddress source, Guid? tenantId, string normalizedName)
    {
        var address = Normalize(source);
        using (var lease = _addresses.AttemptAcquire(address, 0))
        {
            if (!lease.IsAcquired)
            {
                return true;
            }
        }

        if (tenantId is not { } tenant)
        {
            return false;
        }

        using var account = _accounts.AttemptAcquire(new AccountKey(address, tenant, normalizedName), 0);
        return !account.IsAcquired;
    }

    /// <summary>Counts a failed login from the address against the address and (tenant known) against the account.</summary>
    public void RecordFailure(IPAddress source, Guid? tenantId, string normalizedName)
    {
        var address = Normalize(source);
        _addresses.AttemptAcquire(address, 1).Dispose();
        if (tenantId is { } tenant)
        {
            _accounts.AttemptAcquire(new AccountKey(address, tenant, normalizedName), 1).Dispose();
        }
    }

    public void Dispose()
    {
        _accounts.Dispose();
        _addresses.Dispose();
    }

    /// <summary>The key an address counts under: IPv4 as is (mapped IPv6 unwrapped), IPv6 by its /64 (one subscriber's block).</summary>
    internal static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4()
        : address.AddressFamily == AddressFamily.InterNetworkV6 ? new IPAddress([.. address.GetAddressBytes()[..8], 0, 0, 0, 0, 0, 0, 0, 0])
        : address;

    private static FixedWindowRateLimiterOptions Window(int failures, TimeSpan window) =>
        new() { PermitLimit = failures, Window = window, QueueLimit = 0, AutoReplenishment = true };

    private readonly record struct AccountKey(IPAddress Source, Guid Tenant, string Name);
}
