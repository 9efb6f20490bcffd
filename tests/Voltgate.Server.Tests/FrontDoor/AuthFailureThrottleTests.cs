using System.Net;
using Microsoft.Extensions.Time.Testing;
using Voltgate.Server.Ocpp.FrontDoor;

namespace Voltgate.Server.Tests.FrontDoor;

public class AuthFailureThrottleTests
{
    private static readonly IPAddress Nat = IPAddress.Parse("203.0.113.7");
    private const string Tenant = "default";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    private AuthFailureThrottle Throttle(Action<AuthThrottleOptions>? configure = null)
    {
        var options = new AuthThrottleOptions();
        configure?.Invoke(options);
        return new AuthFailureThrottle(_time, options);
    }

    private static void Fail(AuthFailureThrottle throttle, int times, string identity = "CP001", IPAddress? source = null)
    {
        for (var i = 0; i < times; i++)
        {
            throttle.RecordFailure(source ?? Nat, Tenant, identity);
        }
    }

    [Fact]
    public void An_identity_is_not_blocked_before_its_threshold()
    {
        var throttle = Throttle();

        Fail(throttle, 4);

        Assert.Equal(new ThrottleDecision(false, TimeSpan.Zero, false), throttle.Check(Nat, Tenant, "CP001"));
    }

    [Fact]
    public void The_failure_reaching_the_identity_threshold_blocks_for_the_initial_block()
    {
        var throttle = Throttle();

        Fail(throttle, 5);

        Assert.Equal(new ThrottleDecision(true, TimeSpan.FromSeconds(1), false), throttle.Check(Nat, Tenant, "CP001"));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(throttle.Check(Nat, Tenant, "CP001").Blocked, "the block must end after InitialBlock");
    }

    [Fact]
    public void Each_further_failure_doubles_the_block()
    {
        var throttle = Throttle();
        Fail(throttle, 5);

        foreach (var seconds in new[] { 2, 4, 8, 16 })
        {
            Fail(throttle, 1);
            Assert.Equal(TimeSpan.FromSeconds(seconds), throttle.Check(Nat, Tenant, "CP001").RetryAfter);
        }
    }

    [Fact]
    public void The_identity_block_is_capped_and_becomes_long()
    {
        var throttle = Throttle();

        Fail(throttle, 40);

        Assert.Equal(new ThrottleDecision(true, TimeSpan.FromMinutes(5), true), throttle.Check(Nat, Tenant, "CP001"));
    }

    [Fact]
    public void A_block_of_at_least_the_long_threshold_is_long_and_a_shorter_one_is_not()
    {
        var throttle = Throttle();

        Fail(throttle, 5 + 4); // 16 s
        Assert.False(throttle.Check(Nat, Tenant, "CP001").IsLongBlock);
        Fail(throttle, 1); // 32 s
        Assert.True(throttle.Check(Nat, Tenant, "CP001").IsLongBlock);
    }

    [Fact]
    public void Identities_are_tracked_per_tenant_and_case_sensitively()
    {
        var throttle = Throttle();

        Fail(throttle, 5, "CP001");

        Assert.False(throttle.Check(Nat, "other-tenant", "CP001").Blocked);
        Assert.False(throttle.Check(Nat, Tenant, "cp001").Blocked);
        Assert.True(throttle.Check(Nat, Tenant, "CP001").Blocked);
    }

    [Fact]
    public void An_identity_is_blocked_only_for_the_addresses_that_failed()
    {
        var throttle = Throttle();
        var attacker = IPAddress.Parse("198.51.100.66");

        Fail(throttle, 40, "CP001", attacker);

        Assert.True(throttle.Check(attacker, Tenant, "CP001").IsLongBlock, "the failing address is blocked for the identity");
        Assert.Equal(new ThrottleDecision(false, TimeSpan.Zero, false), throttle.Check(Nat, Tenant, "CP001"));
        throttle.RecordSuccess(Nat, Tenant, "CP001");
        Assert.True(throttle.Check(attacker, Tenant, "CP001").Blocked, "the station's success elsewhere does not lift the attacker's block");
    }

    [Fact]
    public void An_address_is_blocked_after_its_threshold_across_identities()
    {
        var throttle = Throttle();

        for (var i = 0; i < 49; i++)
        {
            Fail(throttle, 1, $"spray-{i}");
        }

        Assert.False(throttle.Check(Nat, Tenant, "CP-NEIGHBOUR").Blocked);
        Fail(throttle, 1, "spray-49");
        Assert.Equal(new ThrottleDecision(true, TimeSpan.FromSeconds(1), false), throttle.Check(Nat, Tenant, "CP-NEIGHBOUR"));
        Assert.False(throttle.Check(IPAddress.Parse("198.51.100.1"), Tenant, "CP-NEIGHBOUR").Blocked, "other addresses are not affected");
    }

    [Fact]
    public void A_NAT_neighbour_is_unblocked_after_MaxAddressBlock()
    {
        var throttle = Throttle();
        for (var i = 0; i < 500; i++)
        {
            Fail(throttle, 1, $"spray-{i}");
        }

        var decision = throttle.Check(Nat, Tenant, "CP-NEIGHBOUR");
        Assert.Equal(new ThrottleDecision(true, TimeSpan.FromMinutes(1), true), decision);

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(throttle.Check(Nat, Tenant, "CP-NEIGHBOUR").Blocked,
            "a station sharing an address with an attacker must be refused no longer than MaxAddressBlock");
    }

    [Fact]
    public void Check_reports_the_longer_of_the_address_and_the_identity_block()
    {
        var throttle = Throttle(o => o.AddressFailuresBeforeBlock = 5);

        Fail(throttle, 12); // identity and address both at 5 failures + 7 doublings = 128 s, address capped at 60 s

        Assert.Equal(new ThrottleDecision(true, TimeSpan.FromSeconds(128), true), throttle.Check(Nat, Tenant, "CP001"));
        Assert.Equal(new ThrottleDecision(true, TimeSpan.FromSeconds(60), true), throttle.Check(Nat, Tenant, "CP002"));
    }

    [Fact]
    public void Success_resets_the_identity_but_not_the_address()
    {
        var throttle = Throttle(o => o.AddressFailuresBeforeBlock = 10);
        Fail(throttle, 5);

        throttle.RecordSuccess(Nat, Tenant, "CP001");

        Assert.False(throttle.Check(Nat, Tenant, "CP001").Blocked, "success clears the identity's block");
        Fail(throttle, 4);
        Assert.False(throttle.Check(Nat, Tenant, "CP001").Blocked, "the identity's count started again from zero");
        Fail(throttle, 1, "CP002");
        Assert.True(throttle.Check(Nat, Tenant, "CP003").Blocked, "success must not clear the address's count");
    }

    [Fact]
    public void Failures_are_forgotten_after_a_quiet_failure_window()
    {
        var throttle = Throttle();
        Fail(throttle, 4);

        _time.Advance(TimeSpan.FromMinutes(10));
        Fail(throttle, 4);

        Assert.False(throttle.Check(Nat, Tenant, "CP001").Blocked, "failures older than FailureWindow must not count");
        Fail(throttle, 1);
        Assert.True(throttle.Check(Nat, Tenant, "CP001").Blocked);
    }

    [Fact]
    public void Failures_within_the_window_keep_counting()
    {
        var throttle = Throttle();

        for (var i = 0; i < 5; i++)
        {
            throttle.RecordFailure(Nat, Tenant, "CP001");
            _time.Advance(TimeSpan.FromMinutes(9));
        }

        Assert.False(throttle.Check(Nat, Tenant, "CP001").Blocked, "the 1 s block has long ended");
        throttle.RecordFailure(Nat, Tenant, "CP001");
        Assert.Equal(TimeSpan.FromSeconds(2), throttle.Check(Nat, Tenant, "CP001").RetryAfter);
    }

    [Fact]
    public void Back_off_restarts_after_the_window()
    {
        var throttle = Throttle();
        Fail(throttle, 20);

        _time.Advance(TimeSpan.FromMinutes(15));
        Fail(throttle, 5);

        Assert.Equal(TimeSpan.FromSeconds(1), throttle.Check(Nat, Tenant, "CP001").RetryAfter);
    }

    [Fact]
    public void IPv4_mapped_IPv6_counts_as_the_IPv4_address()
    {
        var throttle = Throttle(o => o.AddressFailuresBeforeBlock = 2);

        throttle.RecordFailure(IPAddress.Parse("::ffff:203.0.113.7"), Tenant, "A");
        throttle.RecordFailure(Nat, Tenant, "B");

        Assert.True(throttle.Check(Nat, Tenant, "C").Blocked);
        Assert.True(throttle.Check(IPAddress.Parse("::ffff:203.0.113.7"), Tenant, "C").Blocked);
    }

    [Fact]
    public void IPv6_addresses_count_by_their_64_bit_prefix()
    {
        var throttle = Throttle(o => o.AddressFailuresBeforeBlock = 2);

        throttle.RecordFailure(IPAddress.Parse("2001:db8:1:2::1"), Tenant, "A");
        throttle.RecordFailure(IPAddress.Parse("2001:db8:1:2:ffff::9"), Tenant, "B");

        Assert.True(throttle.Check(IPAddress.Parse("2001:db8:1:2::77"), Tenant, "C").Blocked);
        Assert.False(throttle.Check(IPAddress.Parse("2001:db8:1:3::1"), Tenant, "C").Blocked);
    }

    [Fact]
    public void Tracked_keys_stay_within_the_bound()
    {
        var throttle = Throttle(o => o.MaxTrackedKeys = 100);

        for (var i = 0; i < 1_000; i++)
        {
            throttle.RecordFailure(new IPAddress([10, 0, (byte)(i / 256), (byte)(i % 256)]), Tenant, $"CP{i}");
            Assert.True(throttle.TrackedKeys <= 100, $"tracked {throttle.TrackedKeys} keys after {i + 1} failures; the bound is 100");
        }
    }

    [Fact]
    public void Eviction_drops_forgotten_keys_before_keys_that_are_still_blocked()
    {
        var throttle = Throttle(o =>
        {
            o.MaxTrackedKeys = 20;
            o.IdentityFailuresBeforeBlock = 1;
        });
        Fail(throttle, 30, "ATTACKED"); // blocked for 5 minutes

        _time.Advance(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 100; i++)
        {
            throttle.RecordFailure(new IPAddress([10, 1, 0, (byte)i]), Tenant, $"CP{i}");
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.True(throttle.Check(Nat, Tenant, "ATTACKED").Blocked,
            "a flood of new keys must not evict a key that is still blocked in favour of keys whose blocks ended earlier");
    }

    [Fact]
    public void Expired_keys_are_swept_when_the_bound_is_reached()
    {
        var throttle = Throttle(o => o.MaxTrackedKeys = 10);
        Fail(throttle, 1, "OLD-1", IPAddress.Parse("10.0.0.1"));
        Fail(throttle, 1, "OLD-2", IPAddress.Parse("10.0.0.2"));
        _time.Advance(TimeSpan.FromMinutes(11));

        for (var i = 0; i < 4; i++)
        {
            Fail(throttle, 1, $"NEW-{i}", IPAddress.Parse($"10.0.1.{i}"));
        }

        Assert.True(throttle.TrackedKeys <= 10);
        Assert.Equal(8, throttle.TrackedKeys); // 12 keys exceed 10: the 4 forgotten ones go, the 8 fresh ones stay
    }

    [Fact]
    public void Concurrent_failures_are_counted_without_losing_any()
    {
        var throttle = Throttle(o =>
        {
            o.IdentityFailuresBeforeBlock = 1000;
            o.AddressFailuresBeforeBlock = 10_000;
        });

        Parallel.For(0, 999, _ => throttle.RecordFailure(Nat, Tenant, "CP001"));
        Assert.False(throttle.Check(Nat, Tenant, "CP001").Blocked);
        throttle.RecordFailure(Nat, Tenant, "CP001");

        Assert.True(throttle.Check(Nat, Tenant, "CP001").Blocked, "the 1000th failure, counted across threads, must block");
    }

    [Theory]
    [InlineData(0, 50, 1)]
    [InlineData(5, 0, 1)]
    [InlineData(5, 50, 0)]
    public void Out_of_range_options_are_refused(int identityThreshold, int addressThreshold, int initialSeconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Throttle(o =>
        {
            o.IdentityFailuresBeforeBlock = identityThreshold;
            o.AddressFailuresBeforeBlock = addressThreshold;
            o.InitialBlock = TimeSpan.FromSeconds(initialSeconds);
        }));
    }
}
