using System.Text.RegularExpressions;
using Voltgate.Server.Ocpp;
using Voltgate.Server.Ocpp.FrontDoor;

namespace Voltgate.Server.Cluster;

/// <summary>Voltgate:Cluster — several nodes behind a load balancer (docs/scale-out.md). Unset Redis = one node.</summary>
internal sealed class ClusterOptions
{
    /// <summary>A StackExchange.Redis connection string (e.g. "redis1:6379,password=…"); unset runs a single node.</summary>
    public string? Redis { get; set; }

    /// <summary>This node's name in the registry; default: machine name plus a random suffix (new on every start).</summary>
    public string? NodeId { get; set; }

    /// <summary>true: refuse to start when Redis does not answer at start; false: start alone and join when it answers.</summary>
    public bool RequireRedis { get; set; }

    /// <summary>How long a station's claim lives without a refresh; a dead node's stations are free after this.</summary>
    public int ClaimTtlSeconds { get; set; } = 30;

    /// <summary>Shown in this node's registry entry (diagnostics); default: Voltgate:Web:Url.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>How long a node waits for another node to answer a forwarded command; 0 = 2 × CallTimeoutSeconds + 5.</summary>
    public int ForwardTimeoutSeconds { get; set; }

    /// <summary>Prefix of every Redis key and channel, so several deployments can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "voltgate";
}

/// <summary>The validated cluster settings of this process.</summary>
internal sealed partial record ClusterSettings(string NodeId, string KeyPrefix, TimeSpan ClaimTtl, TimeSpan ForwardTimeout, string AdvertisedAddress)
{
    /// <summary>Claims and the node entry are refreshed three times per TTL, so one missed beat does not free them.</summary>
    public TimeSpan RefreshInterval => TimeSpan.FromMilliseconds(Math.Max(1000, ClaimTtl.TotalMilliseconds / 3));

    /// <summary>Throws <see cref="OcppConfigurationException"/> with a one-line reason.</summary>
    public static ClusterSettings From(ClusterOptions options, Uri webUrl, OcppOptions ocpp)
    {
        var nodeId = string.IsNullOrWhiteSpace(options.NodeId)
            ? $"{Environment.MachineName}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))}"
            : options.NodeId;
        if (!NamePattern().IsMatch(nodeId))
        {
            throw new OcppConfigurationException("Voltgate:Cluster:NodeId may only contain letters, digits, '.', '_' and '-' (at most 64).");
        }

        if (!NamePattern().IsMatch(options.KeyPrefix))
        {
            throw new OcppConfigurationException("Voltgate:Cluster:KeyPrefix may only contain letters, digits, '.', '_' and '-' (at most 64).");
        }

        if (options.ClaimTtlSeconds is < 3 or > 3600)
        {
            throw new OcppConfigurationException("Voltgate:Cluster:ClaimTtlSeconds must be between 3 and 3600.");
        }

        if (options.ForwardTimeoutSeconds is < 0 or > 3600)
        {
            throw new OcppConfigurationException("Voltgate:Cluster:ForwardTimeoutSeconds must be between 0 (derived) and 3600.");
        }

        var forward = options.ForwardTimeoutSeconds > 0 ? options.ForwardTimeoutSeconds : (2 * ocpp.CallTimeoutSeconds) + 5;
        return new ClusterSettings(nodeId, options.KeyPrefix, TimeSpan.FromSeconds(options.ClaimTtlSeconds), TimeSpan.FromSeconds(forward),
            string.IsNullOrWhiteSpace(options.AdvertisedAddress) ? webUrl.ToString() : options.AdvertisedAddress);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NamePattern();
}
