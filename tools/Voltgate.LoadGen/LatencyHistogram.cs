using System.Numerics;

namespace Voltgate.LoadGen;

/// <summary>
/// Fixed-bucket, log-linear histogram of microsecond values in the spirit of HdrHistogram: values below 128
/// are exact, above that every power of two is split into 64 buckets, so a reported percentile is at most
/// 1/64 (~1.6 %) above the true value. Lock-free recording; ~18 KiB per instance.
/// </summary>
public sealed class LatencyHistogram
{
    private const int LinearLimit = 128;          // 2^7: values below are their own bucket
    private const int SubBuckets = 64;            // buckets per power of two above the linear part
    private const int MaxExponent = 40;           // 2^40 us ~ 12.7 days: everything above is clamped

    public const long MaxTrackableValue = (1L << (MaxExponent + 1)) - 1;

    private readonly long[] _counts = new long[LinearLimit + ((MaxExponent - 6) * SubBuckets)];
    private long _total;
    private long _sum;
    private long _min = long.MaxValue;
    private long _max;

    public long Count => Volatile.Read(ref _total);

    public long Max => Volatile.Read(ref _max);

    public long Min => Count == 0 ? 0 : Volatile.Read(ref _min);

    public double Mean => Count == 0 ? 0 : (double)Volatile.Read(ref _sum) / Count;

    public void Record(long valueMicros)
    {
        var v = Math.Clamp(valueMicros, 0, MaxTrackableValue);
        Interlocked.Increment(ref _counts[BucketIndex(v)]);
        Interlocked.Increment(ref _total);
        Interlocked.Add(ref _sum, v);
        UpdateMax(v);
        UpdateMin(v);
    }

    /// <summary>The value at or below which <paramref name="percentile"/> % of recorded values fall (0 if empty).</summary>
    public long Percentile(double percentile)
    {
        var total = Count;
        if (total == 0)
        {
            return 0;
        }

        var p = Math.Clamp(percentile, 0, 100);
        var rank = Math.Max(1, (long)Math.Ceiling(p / 100 * total));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return Math.Min(BucketUpperBound(i), Max);
            }
        }

        return Max;
    }

    public static int BucketIndex(long value)
    {
        if (value < LinearLimit)
        {
            return (int)value;
        }

        var exponent = BitOperations.Log2((ulong)value);   // >= 7
        var shift = exponent - 6;                           // (value >> shift) is in [64, 128)
        var sub = (int)(value >> shift) - SubBuckets;
        return LinearLimit + ((exponent - 7) * SubBuckets) + sub;
    }

    public static long BucketUpperBound(int index)
    {
        if (index < LinearLimit)
        {
            return index;
        }

        var exponent = ((index - LinearLimit) / SubBuckets) + 7;
        var sub = (index - LinearLimit) % SubBuckets;
        var shift = exponent - 6;
        return ((long)(sub + SubBuckets + 1) << shift) - 1;
    }

    private void UpdateMax(long v)
    {
        var current = Volatile.Read(ref _max);
        while (v > current)
        {
            var seen = Interlocked.CompareExchange(ref _max, v, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private void UpdateMin(long v)
    {
        var current = Volatile.Read(ref _min);
        while (v < current)
        {
            var seen = Interlocked.CompareExchange(ref _min, v, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
