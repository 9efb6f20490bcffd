namespace Voltgate.LoadGen.Tests;

public class LatencyHistogramTests
{
    [Fact]
    public void Empty_histogram_reports_zero()
    {
        var h = new LatencyHistogram();

        Assert.Equal(0, h.Count);
        Assert.Equal(0, h.Percentile(99));
        Assert.Equal(0, h.Max);
    }

    [Fact]
    public void Small_values_are_exact()
    {
        var h = new LatencyHistogram();
        for (var v = 1; v <= 100; v++)
        {
            h.Record(v);
        }

        Assert.Equal(50, h.Percentile(50));
        Assert.Equal(95, h.Percentile(95));
        Assert.Equal(99, h.Percentile(99));
        Assert.Equal(100, h.Percentile(100));
        Assert.Equal(1, h.Min);
        Assert.Equal(50.5, h.Mean);
    }

    [Fact]
    public void Large_values_are_within_the_bucket_precision()
    {
        var h = new LatencyHistogram();
        for (var v = 1; v <= 100_000; v++)
        {
            h.Record(v * 10L);    // 10 us .. 1 s
        }

        AssertWithin(500_000, h.Percentile(50));
        AssertWithin(950_000, h.Percentile(95));
        AssertWithin(990_000, h.Percentile(99));
        Assert.Equal(1_000_000, h.Max);
        Assert.Equal(1_000_000, h.Percentile(100));
    }

    [Fact]
    public void A_single_outlier_shows_in_max_and_p100_only()
    {
        var h = new LatencyHistogram();
        for (var i = 0; i < 999; i++)
        {
            h.Record(1000);
        }

        h.Record(5_000_000);

        AssertWithin(1000, h.Percentile(99));
        Assert.Equal(5_000_000, h.Max);
        AssertWithin(5_000_000, h.Percentile(100));
    }

    [Fact]
    public void Values_out_of_range_are_clamped()
    {
        var h = new LatencyHistogram();
        h.Record(-5);
        h.Record(long.MaxValue);

        Assert.Equal(0, h.Min);
        Assert.Equal(LatencyHistogram.MaxTrackableValue, h.Max);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(129)]
    [InlineData(1_000)]
    [InlineData(123_456_789)]
    [InlineData(LatencyHistogram.MaxTrackableValue)]
    public void Every_value_lies_inside_its_bucket(long value)
    {
        var index = LatencyHistogram.BucketIndex(value);

        Assert.True(LatencyHistogram.BucketUpperBound(index) >= value);
        Assert.True(index == 0 || LatencyHistogram.BucketUpperBound(index - 1) < value);
    }

    [Fact]
    public void Concurrent_recording_loses_nothing()
    {
        var h = new LatencyHistogram();
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                h.Record(i);
            }
        });

        Assert.Equal(80_000, h.Count);
        Assert.Equal(9_999, h.Max);
    }

    private static void AssertWithin(long expected, long actual)
    {
        // Buckets are 1/64 of their power of two wide, and percentiles report a bucket's upper bound.
        Assert.InRange(actual, expected, expected + (expected / 64) + 1);
    }
}
