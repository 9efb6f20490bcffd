using System.Runtime.InteropServices;

namespace Voltgate.Server.Ocpp.FrontDoor;

/// <summary>
/// Caps live station sockets below the process's open-file limit. At that limit .NET aborts the whole process
/// instead of failing one accept, so surplus stations are answered 503 + Retry-After before we get near it.
/// </summary>
internal sealed partial class ConnectionLimit
{
    private int _current;

    public ConnectionLimit(OcppOptions options)
    {
        FileLimit = ReadOpenFileLimit();
        Max = options.MaxConnections > 0
            ? Math.Min(options.MaxConnections, Math.Max(1, FileLimit - options.FileDescriptorReserve))
            : Math.Max(1, FileLimit - options.FileDescriptorReserve);
    }

    public int Max { get; }
    public int FileLimit { get; }
    public int Current => Volatile.Read(ref _current);

    public bool TryAcquire()
    {
        if (Interlocked.Increment(ref _current) <= Max)
        {
            return true;
        }

        Interlocked.Decrement(ref _current);
        return false;
    }

    public void Release() => Interlocked.Decrement(ref _current);

    private static int ReadOpenFileLimit()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return 10_000;
        }

        const int RlimitNofileLinux = 7;
        const int RlimitNofileMac = 8;
        var resource = OperatingSystem.IsLinux() ? RlimitNofileLinux : RlimitNofileMac;
        if (GetRLimit(resource, out var limit) != 0)
        {
            return 10_000;
        }

        return (int)Math.Min(limit.Current, int.MaxValue);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out RLimit limit);
}
