using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Voltgate.Core.OcppSecurity;

namespace Voltgate.Benchmarks;

/// <summary>
/// Cost of one Basic Auth password check (<see cref="PasswordPoolIndex.Match"/>) against pools of 1, 100 and
/// 10,000 entries: a matching password (first, middle and last entry of the pool: must cost the same), a wrong
/// one, and a hex-text one (two HMACs). The claim under test: the cost depends on the presented password only.
/// </summary>
[MemoryDiagnoser]
public class BasicAuthCheckBenchmarks
{
    private PasswordPoolIndex _index = null!;
    private byte[] _first = null!;
    private byte[] _middle = null!;
    private byte[] _last = null!;
    private byte[] _wrong = null!;
    private byte[] _hexText = null!;

    [Params(1, 100, 10_000)]
    public int PoolSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var secrets = Enumerable.Range(0, PoolSize)
            .Select(i => new PoolSecret(Guid.NewGuid(), $"station-password-{i:D6}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(8))}", false, PasswordState.Active))
            .ToList();
        _index = new PasswordPoolIndex(key, secrets);
        _first = Encoding.UTF8.GetBytes(secrets[0].Secret);
        _middle = Encoding.UTF8.GetBytes(secrets[PoolSize / 2].Secret);
        _last = Encoding.UTF8.GetBytes(secrets[^1].Secret);
        _wrong = Encoding.UTF8.GetBytes("station-password-999999-0000000000000000");
        _hexText = Encoding.UTF8.GetBytes("00112233445566778899AABBCCDDEEFF");
    }

    [Benchmark(Baseline = true)]
    public PasswordMatch MatchFirst() => _index.Match(_first, HexMatching.Lenient);

    [Benchmark]
    public PasswordMatch MatchMiddle() => _index.Match(_middle, HexMatching.Lenient);

    [Benchmark]
    public PasswordMatch MatchLast() => _index.Match(_last, HexMatching.Lenient);

    [Benchmark]
    public PasswordMatch Mismatch() => _index.Match(_wrong, HexMatching.Lenient);

    [Benchmark]
    public PasswordMatch MismatchHexText() => _index.Match(_hexText, HexMatching.Lenient);
}
