namespace Voltgate.Core.Access;

/// <summary>Who is acting in this unit of work (a user, an API key, or the system), for audit events.</summary>
public interface IActorContext
{
    string Actor { get; }
    Guid? ActorId { get; }
    string? SourceAddress { get; }
}

public sealed class ActorContext : IActorContext
{
    public string Actor { get; set; } = "system";
    public Guid? ActorId { get; set; }
    public string? SourceAddress { get; set; }
}
