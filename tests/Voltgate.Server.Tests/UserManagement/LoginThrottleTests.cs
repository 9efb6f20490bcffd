using System.Net;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Tests.UserManagement;

public sealed class LoginThrottleTests
{
    private static readonly Guid Tenant = Guid.NewGuid();
    private static readonly IPAddress Attacker = IPAddress.Parse("203.0.113.9");
    private static readonly IPAddress User = IPAddress.Parse("198.51.100.20");

    private static LoginThrottle Throttle() => new(new LoginOptions { AddressAccountFailuresBeforeBlock = 5, AddressFailuresBeforeBlock = 30 });

    [Fact]
    public void An_address_is_blocked_for_an_account_only_from_itself()
    {
        using var throttle = Throttle();
        for (var i = 0; i < 4; i++)
        {
            throttle.RecordFailure(Attacker, Tenant, "ADMIN");
        }

        Assert.False(throttle.IsBlocked(Attacker, Tenant, "ADMIN"));
        throttle.RecordFailure(Attacker, Tenant, "ADMIN");

        Assert.True(throttle.IsBlocked(Attacker, Tenant, "ADMIN"));
        Assert.False(throttle.IsBlocked(User, Tenant, "ADMIN"), "another address can still sign in");
        Assert.False(throttle.IsBlocked(Attacker, Tenant, "OTHER"), "the address can still try another account");
        Assert.False(throttle.IsBlocked(Attacker, Guid.NewGuid(), "ADMIN"), "accounts are per tenant");
    }

    [Fact]
    public void An_address_spraying_many_accounts_is_blocked_for_all()
    {
        using var throttle = Throttle();
        for (var i = 0; i < 30; i++)
        {
            throttle.RecordFailure(Attacker, Tenant, $"USER-{i}");
        }

        Assert.True(throttle.IsBlocked(Attacker, Tenant, "FRESH"));
        Assert.True(throttle.IsBlocked(Attacker, null, "FRESH"));
        Assert.False(throttle.IsBlocked(User, Tenant, "FRESH"));
    }

    [Fact]
    public void IPv6_addresses_count_by_their_64_bit_prefix_and_mapped_IPv4_as_IPv4()
    {
        using var throttle = Throttle();
        for (var i = 0; i < 5; i++)
        {
            throttle.RecordFailure(IPAddress.Parse($"2001:db8:1:2::{i + 1}"), Tenant, "ADMIN");
            throttle.RecordFailure(IPAddress.Parse("::ffff:203.0.113.9"), Tenant, "ADMIN");
        }

        Assert.True(throttle.IsBlocked(IPAddress.Parse("2001:db8:1:2:ffff::9"), Tenant, "ADMIN"));
        Assert.False(throttle.IsBlocked(IPAddress.Parse("2001:db8:1:3::1"), Tenant, "ADMIN"));
        Assert.True(throttle.IsBlocked(Attacker, Tenant, "ADMIN"));
    }
}
