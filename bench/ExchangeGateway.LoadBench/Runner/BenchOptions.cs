using System.Globalization;
using ExchangeGateway.LoadBench.Load;

namespace ExchangeGateway.LoadBench.Runner;

/// <summary>The orchestrator's options (see <see cref="Usage"/>).</summary>
internal sealed record BenchOptions(
    TimeSpan Duration,
    TimeSpan Warmup,
    int Concurrency,
    IReadOnlyList<int> Sizes,
    string Cases,
    int Runs,
    string ResultsDirectory,
    string StateDirectory,
    IReadOnlyList<BenchProtocol> Protocols,
    IReadOnlyList<int> SoapSizes)
{
    public const string Usage = """
        usage: LoadBench [run] [--duration S] [--warmup S] [--concurrency N] [--sizes 1k,100k] [--cases abc] [--runs N]
                               [--protocols rest,soap] [--soap-sizes 1k,1m] [--out DIR] [--state-dir DIR]
               LoadBench load --url URL [--concurrency N] [--warmup S] [--duration S] [--size BYTES] [--header 'Name: value']...
                              [--soap-service ID --soap-client ID]
               LoadBench hop --listen URL --target URL

          run (default)   (a) direct, (b) two plain hops, (c) the quickstart federation, side by side; a Markdown table
                          to stdout and to DIR/load-<timestamp>.md (default bench/results)
          --duration      measured seconds per case and size (default 10); --warmup seconds before it (default 2)
          --concurrency   closed-loop connections (default 32)
          --sizes         REST request body sizes; the echo provider sends the same back (default 1k,100k)
          --protocols     rest, soap or both (default rest,soap); SOAP is the quickstart's echoData operation through
                          the same three paths (a: the provider's /soap, b: the hops, c: ss1's client proxy)
          --soap-sizes    SOAP echoData payload sizes (the data text; the envelope adds about 1 KiB) (default 1k,1m)
          --cases         any of a, b, c (default abc); --runs: repeat and report medians (default 3)
          --state-dir     the federation's state for (c) (default .xgw/loadbench; wiped on every run)
        """;

    public static BenchOptions? Parse(string[] args, TextWriter error)
    {
        var options = new BenchOptions(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), 32, [1024, 100 * 1024], "abc", 3, Path.Combine("bench", "results"), Path.Combine(".xgw", "loadbench"), [BenchProtocol.REST, BenchProtocol.SOAP], [1024, 1024 * 1024]);
        for (var i = args is ["run", ..] ? 1 : 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--duration" when LoadOptions.TryParseSeconds(value, out var d) && d > TimeSpan.Zero:
                    options = options with { Duration = d };
                    break;
                case "--warmup" when LoadOptions.TryParseSeconds(value, out var w):
                    options = options with { Warmup = w };
                    break;
                case "--concurrency" when int.TryParse(value, CultureInfo.InvariantCulture, out var c) && c is > 0 and <= 4096:
                    options = options with { Concurrency = c };
                    break;
                case "--sizes" when TryParseSizes(value, out var sizes):
                    options = options with { Sizes = sizes };
                    break;
                case "--cases" when value is { Length: > 0 } && value.All(ch => ch is 'a' or 'b' or 'c'):
                    options = options with { Cases = new string([.. value.Distinct().Order()]) };
                    break;
                case "--runs" when int.TryParse(value, CultureInfo.InvariantCulture, out var r) && r is > 0 and <= 100:
                    options = options with { Runs = r };
                    break;
                case "--protocols" when TryParseProtocols(value, out var protocols):
                    options = options with { Protocols = protocols };
                    break;
                case "--soap-sizes" when TryParseSizes(value, out var soapSizes):
                    options = options with { SoapSizes = soapSizes };
                    break;
                case "--out" when value is { Length: > 0 }:
                    options = options with { ResultsDirectory = value };
                    break;
                case "--state-dir" when value is { Length: > 0 }:
                    options = options with { StateDirectory = value };
                    break;
                default:
                    error.WriteLine($"LoadBench: bad or incomplete option '{args[i]}'");
                    error.WriteLine(Usage);
                    return null;
            }

            i++;
        }

        return options;
    }

    /// <summary>"rest", "soap" or "rest,soap", in that order whatever the order given.</summary>
    private static bool TryParseProtocols(string? text, out List<BenchProtocol> protocols)
    {
        var parts = (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        protocols = [.. Enum.GetValues<BenchProtocol>().Where(p => parts.Contains(p.ToString(), StringComparer.OrdinalIgnoreCase))];
        return parts.Length > 0 && protocols.Count == parts.Distinct(StringComparer.OrdinalIgnoreCase).Count();
    }

    /// <summary>The body sizes to run for <paramref name="protocol"/>.</summary>
    public IReadOnlyList<int> SizesFor(BenchProtocol protocol) => protocol == BenchProtocol.SOAP ? SoapSizes : Sizes;

    /// <summary>"1k,100k,1m" or plain bytes.</summary>
    private static bool TryParseSizes(string? text, out List<int> sizes)
    {
        sizes = [];
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var lower = part.ToLowerInvariant();
            var multiplier = lower.EndsWith('k') ? 1024 : lower.EndsWith('m') ? 1024 * 1024 : 1;
            var digits = multiplier == 1 ? lower : lower[..^1];
            if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 64 * 1024 * 1024 / multiplier)
            {
                return false;
            }

            sizes.Add(n * multiplier);
        }

        return sizes.Count > 0;
    }
}
