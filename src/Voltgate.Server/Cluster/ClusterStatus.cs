namespace Voltgate.Server.Cluster;

/// <summary>
/// Whether this node hears the other nodes right now (Redis connected and subscribed). While it does not, the live
/// views update only for what happens on this node, and the pages say so (ClusterBanner). Only registered with a
/// backplane: a single node has no other nodes to miss.
/// </summary>
internal sealed class ClusterStatus(ClusterNode node)
{
    private volatile bool _available;

    public string NodeId => node.NodeId;

    public bool BackplaneAvailable => _available;

    /// <summary>Raised on the thread that noticed the change; handlers must only schedule work.</summary>
    public event Action? Changed;

    public void Set(bool available)
    {
        if (_available == available)
        {
            return;
        }

        _available = available;
        Changed?.Invoke();
    }
}
