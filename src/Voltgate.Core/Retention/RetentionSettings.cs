namespace Voltgate.Core.Retention;

/// <summary>What each kind of data is kept for, per tenant.</summary>
public enum RetentionKind
{
    ConnectionAttempts,
    MeterSamples,
    MessageHistory,
    AuditEvents,
}

/// <summary>
/// How long a tenant keeps each kind of data, in days; null keeps it for ever. A tenant without a row has the
/// defaults below (docs/operations.md, "Retention"). Not a query-filtered entity: every read names its tenant.
/// </summary>
public sealed class RetentionSettings
{
    /// <summary>Handshake floods are what fill a disk: attempts go after a month unless the operator says otherwise.</summary>
    public const int DefaultConnectionAttemptsDays = 30;

    /// <summary>The persistent message history (a debugging aid, redacted): a month.</summary>
    public const int DefaultMessageHistoryDays = 30;

    public Guid TenantId { get; init; }
    public int? ConnectionAttemptsDays { get; set; } = DefaultConnectionAttemptsDays;

    /// <summary>Meter samples back bills and disputes: kept until the operator chooses a period.</summary>
    public int? MeterSamplesDays { get; set; }

    public int? MessageHistoryDays { get; set; } = DefaultMessageHistoryDays;

    /// <summary>Kept for ever by default; never shorter than <see cref="RetentionOptions.AuditMinimumDays"/>.</summary>
    public int? AuditEventsDays { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public int? Days(RetentionKind kind) => kind switch
    {
        RetentionKind.ConnectionAttempts => ConnectionAttemptsDays,
        RetentionKind.MeterSamples => MeterSamplesDays,
        RetentionKind.MessageHistory => MessageHistoryDays,
        RetentionKind.AuditEvents => AuditEventsDays,
        _ => null,
    };
}
