using System.Text.Json;
using StackExchange.Redis;
using Voltgate.Server.Ocpp;
using Voltgate.Server.Ocpp.FrontDoor;

namespace Voltgate.Server.Cluster;

/// <summary>
/// This node's handle on the Redis backplane: the multiplexer, its name, and the names of every key and channel.
/// Keys: <c>{prefix}:station:{tenant}:{identity}</c> (claim, TTL), <c>{prefix}:node:{node}</c> (node entry, TTL).
/// Channels: <c>{prefix}:node:{node}</c> (requests and replies to one node), <c>{prefix}:changes</c> (cache
/// invalidations for every node), <c>{prefix}:events</c> (live station events for the other nodes' pages).
/// </summary>
internal sealed class ClusterNode(IConnectionMultiplexer redis, ClusterSettings settings, string redisEndpoints) : IAsyncDisposable
{
    public ClusterSettings Settings { get; } = settings;
    public string NodeId => Settings.NodeId;
    public string RedisEndpoints { get; } = redisEndpoints;
    public IConnectionMultiplexer Redis { get; } = redis;
    public bool IsConnected => Redis.IsConnected;
    internal IDatabase Db => Redis.GetDatabase();
    internal ISubscriber Bus => Redis.GetSubscriber();

    internal RedisKey StationKey(Guid tenant, string identity) => $"{Settings.KeyPrefix}:station:{tenant:N}:{identity}";
    internal RedisKey NodeKey(string node) => $"{Settings.KeyPrefix}:node:{node}";
    internal RedisChannel NodeChannel(string node) => RedisChannel.Literal($"{Settings.KeyPrefix}:node:{node}");
    internal RedisChannel ChangesChannel => RedisChannel.Literal($"{Settings.KeyPrefix}:changes");
    internal RedisChannel EventsChannel => RedisChannel.Literal($"{Settings.KeyPrefix}:events");

    internal Task<long> PublishAsync(RedisChannel channel, ClusterMessage message) =>
        Bus.PublishAsync(channel, JsonSerializer.SerializeToUtf8Bytes(message, ClusterJson.Default.ClusterMessage));

    internal static ClusterMessage? ParseMessage(RedisValue value)
    {
        try
        {
            return JsonSerializer.Deserialize((byte[])value!, ClusterJson.Default.ClusterMessage);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync() => await Redis.CloseAsync(allowCommandsToComplete: false);

    /// <summary>
    /// Connects to Redis when Voltgate:Cluster:Redis is set (null otherwise: a single node). Redis not answering:
    /// with RequireRedis, an <see cref="OcppConfigurationException"/> (the host refuses to start); without it, one
    /// warning and a node that runs alone until Redis answers, then joins by itself.
    /// </summary>
    public static async Task<ClusterNode?> ConnectAsync(ClusterOptions options, Uri webUrl, OcppOptions ocpp, Action<string> warn)
    {
        if (string.IsNullOrWhiteSpace(options.Redis))
        {
            return null;
        }

        var settings = ClusterSettings.From(options, webUrl, ocpp);
        ConfigurationOptions config;
        try
        {
            config = ConfigurationOptions.Parse(options.Redis);
        }
        catch (ArgumentException)
        {
            // The message could echo the connection string, password included.
            throw new OcppConfigurationException("Voltgate:Cluster:Redis is not a valid StackExchange.Redis connection string.");
        }

        // Never log the connection string itself: it may carry the Redis password.
        var endpoints = string.Join(",", config.EndPoints.Select(Format));
        config.ClientName = "voltgate-" + settings.NodeId;
        config.AbortOnConnectFail = options.RequireRedis;
        // While Redis is away, fail at once (cross-node commands answer 503) instead of queueing for seconds.
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.ReconnectRetryPolicy = new LinearRetry(1000);
        ConnectionMultiplexer redis;
        try
        {
            redis = await ConnectionMultiplexer.ConnectAsync(config);
        }
        catch (RedisConnectionException)
        {
            throw new OcppConfigurationException($"Voltgate:Cluster:RequireRedis is true and Redis at {endpoints} does not answer.");
        }

        if (!redis.IsConnected)
        {
            warn($"Redis at {endpoints} does not answer; this node serves its own stations alone and joins the cluster when Redis answers.");
        }

        return new ClusterNode(redis, settings, endpoints);
    }

    private static string Format(System.Net.EndPoint endpoint) => endpoint switch
    {
        System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endpoint.ToString() ?? "?",
    };
}
