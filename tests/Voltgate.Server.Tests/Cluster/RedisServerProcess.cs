using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Voltgate.Server.Tests.Cluster;

/// <summary>A private redis-server (no persistence) that a fault test may stop and start again on the same port.</summary>
public sealed class RedisServerProcess : IDisposable
{
    private Process? _process;

    public RedisServerProcess(int port) => Port = port;

    public int Port { get; }
    public string Address => $"127.0.0.1:{Port}";

    public async Task StartAsync()
    {
        _process = ChildProcess.Start(ChildProcess.Redirected(
            ClusterEnvironment.RedisServerBinary!,
            ["--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no"]));
        var waited = Stopwatch.StartNew();
        while (!await PingsAsync())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), $"redis-server on port {Port} did not answer PING");
            await Task.Delay(50);
        }
    }

    /// <summary>Kills Redis at once: every client connection breaks, every key is gone.</summary>
    public void Stop()
    {
        if (_process is not null)
        {
            ChildProcess.Kill(_process, entireProcessTree: false);
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose() => Stop();

    private async Task<bool> PingsAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
