using System.Diagnostics;

namespace Voltgate.Server.Tests.Cluster;

/// <summary>How the tests run a child process (Voltgate, redis-server): output redirected and read, killed and waited for.</summary>
internal static class ChildProcess
{
    public static ProcessStartInfo Redirected(string fileName, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>Starts it and reads both streams, so that a full pipe never blocks it; each line goes to <paramref name="onLine"/>.</summary>
    public static Process Start(ProcessStartInfo start, Action<string>? onLine = null)
    {
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Forward(e.Data);
        process.ErrorDataReceived += (_, e) => Forward(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;

        void Forward(string? line)
        {
            if (line is not null)
            {
                onLine?.Invoke(line);
            }
        }
    }

    /// <summary>Kills it at once if it still runs and waits (at most 10 s) until it is gone.</summary>
    public static void Kill(Process process, bool entireProcessTree)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree);
            process.WaitForExit(10_000);
        }
    }
}
