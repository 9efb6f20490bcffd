using System.Diagnostics;
using System.Text.Json;

namespace Voltgate.Ui.Tests.Station;

/// <summary>What the station script printed: the selected subprotocol and the BootNotification response.</summary>
public sealed record StationBoot(string Protocol, string Status, int Interval);

/// <summary>
/// A charging station played by npm <c>ocpp-rpc</c> (strictMode: it validates our responses against the official
/// OCPP 1.6 schemas) in a Node child process. Uses tests/interop's node_modules, running <c>npm ci</c> there first
/// when they are missing (scripts/test.sh runs the .NET tests before the interop suite installs them).
/// </summary>
public static class OcppRpcStation
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static async Task<StationBoot> BootAsync(Uri endpoint, string identity, string password, string vendor, string model, string firmware)
    {
        var interop = Path.Combine(RepositoryRoot(), "tests", "interop");
        var package = Path.Combine(interop, "node_modules", "ocpp-rpc");
        await EnsureInstalledAsync(interop, package);

        var start = new ProcessStartInfo("node", [Path.Combine(AppContext.BaseDirectory, "Station", "boot-station.mjs")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["VG_OCPP_RPC"] = package,
                ["VG_ENDPOINT"] = endpoint.ToString().TrimEnd('/'),
                ["VG_IDENTITY"] = identity,
                ["VG_PASSWORD"] = password,
                ["VG_VENDOR"] = vendor,
                ["VG_MODEL"] = model,
                ["VG_FIRMWARE"] = firmware,
            },
        };
        var (exit, stdout, stderr) = await RunAsync(start, TimeSpan.FromSeconds(60));
        if (exit != 0)
        {
            throw new InvalidOperationException($"The ocpp-rpc station exited with {exit}: {stderr}{stdout}");
        }

        using var json = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        var boot = json.RootElement.GetProperty("boot");
        return new StationBoot(json.RootElement.GetProperty("protocol").GetString()!, boot.GetProperty("status").GetString()!, boot.GetProperty("interval").GetInt32());
    }

    private static async Task EnsureInstalledAsync(string interop, string package)
    {
        await InstallLock.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(package, "package.json")))
            {
                return;
            }

            var (exit, stdout, stderr) = await RunAsync(
                new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"]) { WorkingDirectory = interop, RedirectStandardOutput = true, RedirectStandardError = true },
                TimeSpan.FromMinutes(5));
            if (exit != 0)
            {
                throw new InvalidOperationException($"npm ci in {interop} failed ({exit}): {stderr}{stdout}");
            }
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} did not finish within {timeout}.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Voltgate.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Voltgate.slnx) was not found above " + AppContext.BaseDirectory);
    }
}
