using Voltgate.Core.Tenancy;

namespace Voltgate.Core.IdTags;

public enum IdTagStatus
{
    Accepted,
    Blocked,
    Expired,
    Invalid,
}

/// <summary>An RFID card or token that may start charging.</summary>
public sealed class IdTag : ITenantOwned
{
    public const int MaxLength = 20;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; init; }
    public required string Value { get; init; }
    public IdTagStatus Status { get; set; } = IdTagStatus.Accepted;
    public DateTimeOffset? ExpiryDate { get; set; }
    public string? ParentIdTag { get; set; }
    public Guid? CompanyId { get; set; }
    public string? Owner { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>The vendor-suffix rule of the tenant setting IdTagSuffixSeparator.</summary>
internal static class IdTagSuffix
{
    /// <summary>"04A2B3C4_12345" with "_" → "04A2B3C4"; null when there is no non-empty part before the last separator.</summary>
    public static string? Strip(string idTag, string separator)
    {
        var at = idTag.LastIndexOf(separator, StringComparison.Ordinal);
        return at > 0 ? idTag[..at] : null;
    }
}
