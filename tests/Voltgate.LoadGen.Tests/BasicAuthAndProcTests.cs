using System.Text;

namespace Voltgate.LoadGen.Tests;

public class BasicAuthTests
{
    [Fact]
    public void Header_is_base64_of_identity_colon_password()
    {
        var header = BasicAuth.HeaderValue("CP1", "secret"u8);

        Assert.Equal("Basic Q1AxOnNlY3JldA==", header);
    }

    [Fact]
    public void Binary_password_bytes_are_sent_unchanged()
    {
        byte[] password = [0x00, 0xff, 0x3a, 0x80];

        var header = BasicAuth.HeaderValue("LG00001", password);

        var raw = Convert.FromBase64String(header["Basic ".Length..]);
        Assert.Equal([.. "LG00001:"u8.ToArray(), .. password], raw);
    }

    [Fact]
    public void Identity_is_utf8()
    {
        var raw = Convert.FromBase64String(BasicAuth.HeaderValue("Zählpunkt", []).AsSpan("Basic ".Length).ToString());

        Assert.Equal(Encoding.UTF8.GetBytes("Zählpunkt:"), raw);
    }
}

public class ProcStatsTests
{
    [Fact]
    public void Cpu_ticks_are_utime_plus_stime()
    {
        const string stat = "15326 (node) S 1 15323 3224 0 -1 4194304 15766 0 8 0 57 7 0 0 20 0 11 0 136531 1055219712 16298 18446744073709551615\n";

        Assert.True(ProcStats.TryParseCpuTicks(stat, out var ticks));
        Assert.Equal(64, ticks);
    }

    [Fact]
    public void Command_names_with_spaces_and_parentheses_do_not_shift_fields()
    {
        const string stat = "42 (my (odd) proc) R 1 1 1 0 -1 0 0 0 0 0 1000 234 0 0 20 0 1 0 1 1 1\n";

        Assert.True(ProcStats.TryParseCpuTicks(stat, out var ticks));
        Assert.Equal(1234, ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("42 (x) R 1 2")]
    [InlineData("42 (x) R 1 1 1 0 -1 0 0 0 0 0 abc 234 0")]
    public void Broken_stat_is_rejected(string stat)
    {
        Assert.False(ProcStats.TryParseCpuTicks(stat, out _));
    }

    [Fact]
    public void Rss_is_read_from_status_with_tabs()
    {
        const string status = "Name:\tnode\nVmPeak:\t 1030484 kB\nVmRSS:\t   65204 kB\nRssAnon:\t   30000 kB\n";

        Assert.True(ProcStats.TryParseRssKib(status, out var kib));
        Assert.Equal(65204, kib);
    }

    [Fact]
    public void Missing_rss_is_reported()
    {
        Assert.False(ProcStats.TryParseRssKib("Name:\tkthreadd\n", out _));
    }

    [Fact]
    public void Soft_open_file_limit_is_read()
    {
        const string limits = """
            Limit                     Soft Limit           Hard Limit           Units
            Max processes             unlimited            unlimited            processes
            Max open files            20000                20000                files
            """;

        Assert.True(ProcStats.TryParseMaxOpenFiles(limits, out var soft));
        Assert.Equal(20000, soft);
    }

    [Fact]
    public void Sampler_reads_its_own_process()
    {
        var sampler = new ProcSampler(Environment.ProcessId);

        Assert.True(sampler.TrySample(TimeSpan.Zero, out var sample));
        Assert.True(sample.RssKib > 1024);
        Assert.Single(sampler.Samples());
    }
}
