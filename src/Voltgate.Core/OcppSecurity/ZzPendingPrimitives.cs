// Temporary contract stand-ins until the auth-primitives branch merges; deleted at merge.
#pragma warning disable CA1822, CA1050, CA1034, CA1062
using System.Net;
namespace Voltgate.Core.OcppSecurity
{
    public sealed record PoolSecret(Guid EntryId, string Secret, bool IsHex, PasswordState State);
    public enum PasswordMatchResult { Matched, Mismatch, MatchesOnlyOtherHexForm, Disabled }
    public readonly record struct PasswordMatch(PasswordMatchResult Result, Guid? EntryId);
    public sealed class PasswordPoolIndex
    {
        public PasswordPoolIndex(ReadOnlySpan<byte> hmacKey, IEnumerable<PoolSecret> entries) { Count = entries.Count(); }
        public int Count { get; }
        public PasswordMatch Match(ReadOnlySpan<byte> presentedPassword, HexMatching mode, IReadOnlyCollection<Guid>? pinnedEntryIds = null) => new(PasswordMatchResult.Mismatch, null);
    }
    public sealed record FieldError(string Field, string Code, string Message);
    public static class BasicAuthPasswordRules
    {
        public const int MinLength = 16, MaxLength = 40;
        public static IReadOnlyList<FieldError> Validate(string? password, bool isHex) => [];
        public static bool IsHexShaped(string secret) => false;
    }
    public static class BasicAuthPasswordGenerator
    {
        public static readonly IReadOnlyList<int> AllowedHexLengths = [32, 34, 36, 38, 40];
        public static string GenerateHex(int length) => new('a', length);
    }
    public sealed record HardwareProfile(string Id, string Name, string VendorPattern, string ModelPattern, string MinimumFirmware)
    {
        public bool Fits(string secret) => false;
        public bool AppliesTo(string? vendor, string? model, string? firmware) => false;
    }
    public static class HardwareProfiles
    {
        public static HardwareProfile KebaXSeries { get; } = new("keba-x-series", "KEBA", "", "", "1.15");
        public static IReadOnlyList<HardwareProfile> All { get; } = [KebaXSeries];
    }
}
namespace Voltgate.Core.FrontDoor
{
    public enum BasicHeaderProblem { None, Missing, Malformed }
    public static class BasicAuthorizationHeader
    {
        public static BasicHeaderProblem TryParse(string? headerValue, out string username, out byte[] password) { username = ""; password = []; return BasicHeaderProblem.Missing; }
    }
    public sealed class AuthThrottleOptions
    {
        public int IdentityFailuresBeforeBlock { get; set; } = 5;
        public int AddressFailuresBeforeBlock { get; set; } = 50;
        public TimeSpan InitialBlock { get; set; } = TimeSpan.FromSeconds(1);
        public TimeSpan MaxIdentityBlock { get; set; } = TimeSpan.FromMinutes(5);
        public TimeSpan MaxAddressBlock { get; set; } = TimeSpan.FromMinutes(1);
        public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(10);
        public TimeSpan LongBlockThreshold { get; set; } = TimeSpan.FromSeconds(30);
        public int MaxTrackedKeys { get; set; } = 100_000;
    }
    public readonly record struct ThrottleDecision(bool Blocked, TimeSpan RetryAfter, bool IsLongBlock);
    public sealed class AuthFailureThrottle(TimeProvider time, AuthThrottleOptions options)
    {
        public ThrottleDecision Check(IPAddress source, string tenant, string identity) => new(time is null && options is null, TimeSpan.Zero, false);
        public void RecordFailure(IPAddress source, string tenant, string identity) { }
        public void RecordSuccess(IPAddress source, string tenant, string identity) { }
    }
}
