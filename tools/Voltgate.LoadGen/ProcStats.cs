using System.Globalization;

namespace Voltgate.LoadGen;

/// <summary>Parsers for the few /proc files the generator reads (Linux only).</summary>
public static class ProcStats
{
    /// <summary>
    /// Kernel clock ticks per second for /proc/PID/stat times. USER_HZ is fixed at 100 in the Linux user ABI
    /// on x86 and arm, so no sysconf call is needed.
    /// </summary>
    public const int TicksPerSecond = 100;

    private static readonly char[] Blanks = [' ', '\t'];

    /// <summary>utime + stime (fields 14 and 15) from /proc/PID/stat, in clock ticks.</summary>
    public static bool TryParseCpuTicks(string statContent, out long ticks)
    {
        ticks = 0;
        ArgumentNullException.ThrowIfNull(statContent);

        // The command name (field 2) is in parentheses and may itself contain spaces and ')'.
        var close = statContent.LastIndexOf(')');
        if (close < 0)
        {
            return false;
        }

        var fields = statContent[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);

        // fields[0] is field 3 (state), so field N is fields[N - 3].
        if (fields.Length < 13
            || !long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var utime)
            || !long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var stime))
        {
            return false;
        }

        ticks = utime + stime;
        return true;
    }

    /// <summary>VmRSS from /proc/PID/status, in KiB.</summary>
    public static bool TryParseRssKib(string statusContent, out long kib) =>
        TryParseKeyedNumber(statusContent, "VmRSS:", out kib);

    /// <summary>Soft "Max open files" from /proc/PID/limits ("unlimited" gives long.MaxValue).</summary>
    public static bool TryParseMaxOpenFiles(string limitsContent, out long soft)
    {
        soft = 0;
        ArgumentNullException.ThrowIfNull(limitsContent);
        foreach (var line in limitsContent.Split('\n'))
        {
            if (!line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                return false;
            }

            if (parts[0] == "unlimited")
            {
                soft = long.MaxValue;
                return true;
            }

            return long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out soft);
        }

        return false;
    }

    private static bool TryParseKeyedNumber(string content, string key, out long value)
    {
        value = 0;
        ArgumentNullException.ThrowIfNull(content);
        foreach (var line in content.Split('\n'))
        {
            if (!line.StartsWith(key, StringComparison.Ordinal))
            {
                continue;
            }

            var parts = line[key.Length..].Split(Blanks, StringSplitOptions.RemoveEmptyEntries);
            return parts.Length > 0 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }

        return false;
    }
}

/// <summary>One reading of a process: cumulative CPU and current RSS.</summary>
public readonly record struct ProcSample(TimeSpan At, long CpuTicks, long RssKib);

/// <summary>Reads /proc/PID once a second; keeps every sample so any window can be summarised later.</summary>
public sealed class ProcSampler
{
    private readonly string _statPath;
    private readonly string _statusPath;
    private readonly List<ProcSample> _samples = [];
    private readonly Lock _lock = new();

    public ProcSampler(int pid)
    {
        Pid = pid;
        _statPath = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat";
        _statusPath = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status";
    }

    public int Pid { get; }

    public bool TrySample(TimeSpan at, out ProcSample sample)
    {
        sample = default;
        try
        {
            if (!ProcStats.TryParseCpuTicks(File.ReadAllText(_statPath), out var ticks)
                || !ProcStats.TryParseRssKib(File.ReadAllText(_statusPath), out var rss))
            {
                return false;
            }

            sample = new ProcSample(at, ticks, rss);
            lock (_lock)
            {
                _samples.Add(sample);
            }

            return true;
        }
        catch (IOException)
        {
            return false;   // the process has gone away
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    public ProcSample[] Samples()
    {
        lock (_lock)
        {
            return [.. _samples];
        }
    }
}
