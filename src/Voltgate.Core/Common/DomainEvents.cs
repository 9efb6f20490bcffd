using Microsoft.Extensions.DependencyInjection;

namespace Voltgate.Core.Common;

/// <summary>Reacts to one kind of in-process domain event; registered as a singleton.</summary>
internal interface IDomainEventHandler<in TEvent>
{
    void Handle(TEvent domainEvent);
}

/// <summary>
/// In-process domain events of this node (not the live UI's <see cref="Stations.IStationEvents"/>): a feature that
/// keeps state about something another feature did reacts here instead of being called by it.
/// </summary>
/// <remarks>Handlers run synchronously inside <see cref="Raise"/>, so they have run before the raiser goes on (e.g.
/// before the station is answered).</remarks>
public sealed class DomainEvents(IServiceProvider services)
{
    public void Raise<TEvent>(TEvent domainEvent)
    {
        foreach (var handler in services.GetServices<IDomainEventHandler<TEvent>>())
        {
            handler.Handle(domainEvent);
        }
    }
}
