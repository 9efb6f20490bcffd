using Voltgate.Core.Tenancy;

namespace Voltgate.Core.OcppSecurity.Rotation;

public enum RotationState
{
    Running,
    Paused,
    Completed,
    Cancelled,
}

/// <summary>Where one station is in a rotation (product design §8 "Rotation").</summary>
public enum RotationStationState
{
    /// <summary>Not sent yet; offline stations wait here and are pushed when they next connect.</summary>
    Waiting,
    Sent,

    /// <summary>The station accepted the new password; it is pinned to it and must come back with it.</summary>
    Accepted,

    /// <summary>Came back with the new password.</summary>
    Done,
    Rejected,
    NotSupported,

    /// <summary>CALLERROR, timeout or another failure to deliver; the old password is still admitted.</summary>
    Failed,

    /// <summary>Accepted, then did not come back with the new password within the rotation's time.</summary>
    Lost,
    Cancelled,
}

/// <summary>What a rotation moves: the station's BasicAuth password, or its security profile (connection variant).</summary>
public enum RotationKind
{
    Password,

    /// <summary>From <c>privateauth</c> (profile 1) to <c>public</c> (profile 2); the password stays.</summary>
    SecurityProfile,
}

public enum RotationTargetKind
{
    ExistingEntry,
    GeneratedEntry,
    PerStation,
}

/// <summary>
/// A persisted move of a set of stations from their current password to a target one. The rows survive a restart
/// half-way; the engine picks them up where they were.
/// </summary>
public sealed class PasswordRotation : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; init; }
    public RotationState State { get; set; } = RotationState.Running;
    public DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The source as the caller gave it (pool entry, company or identities), JSON, for display only.</summary>
    public required string SourceJson { get; init; }
    public RotationKind Kind { get; init; } = RotationKind.Password;
    public RotationTargetKind TargetKind { get; init; }

    /// <summary>For <see cref="RotationKind.SecurityProfile"/>: the variant the stations move to (<c>public</c>).</summary>
    public string? TargetVariant { get; init; }

    /// <summary>For <see cref="RotationKind.SecurityProfile"/> on 2.0.1: the CSMS URL the new network profile names.</summary>
    public string? CsmsUrl { get; init; }

    /// <summary>Nothing is sent before this time (an optional schedule); the rotation is Running and visible meanwhile.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>The shared target entry; null for <see cref="RotationTargetKind.PerStation"/>.</summary>
    public Guid? TargetPasswordId { get; set; }
    /// <summary>How long an Accepted station has to come back with the new password before it is Lost.</summary>
    public int LostAfterSeconds { get; init; } = 30 * 60;

    /// <summary>How many stations may be in <see cref="RotationStationState.Sent"/> at once.</summary>
    public int Concurrency { get; init; } = 10;

    /// <summary>Pause between two pushes, so a large network does not reconnect at once.</summary>
    public int PacingMilliseconds { get; init; }
    public List<RotationStation> Stations { get; init; } = [];
}

/// <summary>One station's progress in a rotation. Holds pool entry ids only, never a secret.</summary>
public sealed class RotationStation : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; init; }
    public Guid RotationId { get; init; }
    public Guid StationId { get; init; }
    public required string Identity { get; init; }
    public RotationStationState State { get; set; } = RotationStationState.Waiting;
    public string? Reason { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>The entry pushed to the station; <see cref="Guid.Empty"/> in a security-profile rotation.</summary>
    public Guid TargetPasswordId { get; init; }

    /// <summary>Security-profile rotation: the station's allowed variants before it moved, restored by "admit previous".</summary>
    public List<string> PreviousVariants { get; init; } = [];

    /// <summary>The entry the station last authenticated with when the rotation was created.</summary>
    public Guid? PreviousPasswordId { get; init; }

    /// <summary>The station's pins before the rotation pinned it, restored by "admit the previous password again".</summary>
    public List<Guid> PreviousPins { get; init; } = [];
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public int Attempts { get; set; }
    public bool PreviousAdmitted { get; set; }
}

/// <summary>A row lease so that one node of a cluster runs the rotation engine (works on SQLite and PostgreSQL).</summary>
public sealed class EngineLease
{
    public required string Name { get; init; }
    public required string Holder { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
