using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace ExchangeGateway.LoadBench.Runner;

/// <summary>The bench's output: one table of medians per case and body size, the ratios c/b and c/a, and every error.</summary>
internal static class MarkdownReport
{
    public static string Write(BenchOptions options, string commandLine, IReadOnlyList<BenchCase> cases, IReadOnlyList<Measurement> measurements, DateTimeOffset now, string? loadBefore)
    {
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');
        string F(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

        Line(F($"## Load bench, {now:yyyy-MM-dd HH:mm} UTC"));
        Line();
        Line($"`{commandLine}`");
        Line();
        Line(F($"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}. ") +
             F($"C# load client in its own process: {options.Concurrency} connections, closed loop, POST of the body, the echoed body read back ") +
             "(SOAP: an X-Road 4.0 `echoData` request whose `data` is the body size, its own `xrd:id` each time, the `echoDataResponse` read back); " +
             F($"{options.Warmup.TotalSeconds:0.#} s warm-up, then {options.Duration.TotalSeconds:0.#} s measured; ") +
             (options.Runs > 1 ? F($"medians of {options.Runs} runs, cases alternating within each run.") : "one run.") +
             (loadBefore is { } load ? $" Load average before the run (other work on the machine): {load}." : string.Empty));
        Line();
        foreach (var c in cases)
        {
            Line($"- **{c.Title}**, {c.Protocol}: `{c.Url}`{(c.SoapService is null ? string.Empty : $" (service {c.SoapService})")}; server side: {c.ServerProcesses}.");
        }

        Line();
        Line("CPU per exchange is the server-side processes' CPU time over the measured period divided by the completed exchanges; " +
             "peak RSS is their summed resident memory, sampled every 100 ms. Errors are every non-200 answer, wrong body length, " +
             "timeout or connection failure in the measured period (never in the latencies).");
        Line();
        Line("| case | protocol | body | exchanges/s | p50 ms | p99 ms | p99.9 ms | CPU µs/exchange | peak RSS MiB | errors |");
        Line("|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
        var groups = measurements.Select(m => (Protocol: cases.First(c => c.Id == m.Case).Protocol, m.Size)).Distinct().OrderBy(g => g.Protocol).ToList();
        var medians = new Dictionary<(string, int), Summary>();
        foreach (var (protocol, size) in groups)
        {
            foreach (var c in cases.Where(c => c.Protocol == protocol))
            {
                var runs = measurements.Where(m => m.Case == c.Id && m.Size == size).ToList();
                if (runs.Count == 0)
                {
                    continue;
                }

                var s = new Summary(
                    Median(runs.Select(m => m.Load.ExchangesPerSecond)),
                    Median(runs.Select(m => m.Load.P50 / 1000.0)),
                    Median(runs.Select(m => m.Load.P99 / 1000.0)),
                    Median(runs.Select(m => m.Load.P999 / 1000.0)),
                    Median(runs.Select(m => m.CpuMicrosPerExchange)),
                    Median(runs.Select(m => m.PeakRssBytes / (1024.0 * 1024.0))),
                    runs.Sum(m => m.Load.ErrorCount));
                medians[(c.Id, size)] = s;
                Line(F($"| {c.Title} | {protocol} | {SizeText(size)} | {s.Throughput:N0} | {s.P50:0.00} | {s.P99:0.00} | {s.P999:0.00} | {Number(s.CpuMicros)} | {s.RssMiB:N0} | {s.Errors:N0} |"));
            }
        }

        if (cases.Any(c => c.Key == 'c') && cases.Any(c => c.Key is 'a' or 'b'))
        {
            Line();
            Line("| ratio | protocol | body | throughput | CPU per exchange | p50 latency | p50 added over (a), ms |");
            Line("|---|---|---|---:|---:|---:|---:|");
            foreach (var (protocol, size) in groups)
            {
                foreach (var other in new[] { 'b', 'a' })
                {
                    if (medians.TryGetValue(($"c-{protocol}", size), out var c) && medians.TryGetValue(($"{other}-{protocol}", size), out var o))
                    {
                        var added = medians.TryGetValue(($"a-{protocol}", size), out var a) ? F($"{c.P50 - a.P50:0.00}") : "–";
                        Line(F($"| c/{other} | {protocol} | {SizeText(size)} | {Ratio(c.Throughput, o.Throughput)} | {Ratio(c.CpuMicros, o.CpuMicros)} | {Ratio(c.P50, o.P50)} | {added} |"));
                    }
                }
            }

            Line();
            Line("Target (PERFORMANCE.md): c/b throughput ≥ 0.5; X-Road's community figure is about 0.11 of direct.");
        }

        Line();
        Line("Server-side CPU per exchange by process (µs, median):");
        Line();
        foreach (var (protocol, size) in groups)
        {
            foreach (var c in cases.Where(c => c.Protocol == protocol))
            {
                var runs = measurements.Where(m => m.Case == c.Id && m.Size == size).ToList();
                if (runs.Count > 0)
                {
                    Line($"- {c.Title}, {protocol}, {SizeText(size)}: " + string.Join(", ", c.Servers.Select(s => $"{s.Key} {Number(Median(runs.Select(m => m.CpuMicrosPerExchangeOf(s.Key))))}")));
                }
            }
        }

        var errors = measurements.Where(m => m.Load.ErrorCount > 0).ToList();
        if (errors.Count > 0)
        {
            Line();
            Line("Errors:");
            foreach (var m in errors)
            {
                var c = cases.First(c => c.Id == m.Case);
                Line(F($"- {c.Title}, {c.Protocol}, {SizeText(m.Size)}, run {m.Run}: ") + string.Join("; ", m.Load.Errors.Select(e => F($"{e.Value:N0} × {e.Key}"))));
            }
        }

        return text.ToString();
    }

    /// <summary>The machine's 1/5/15-minute load averages (Linux), to judge how noisy the run was.</summary>
    public static string? LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static string Ratio(double numerator, double denominator) =>
        double.IsNaN(numerator) || double.IsNaN(denominator) || denominator == 0
            ? "–"
            : (numerator / denominator).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Number(double value) => double.IsNaN(value) ? "–" : value.ToString("N0", CultureInfo.InvariantCulture);

    private static string SizeText(int bytes) =>
        bytes > 0 && bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB"
        : bytes > 0 && bytes % 1024 == 0 ? $"{bytes / 1024} KiB"
        : $"{bytes} B";

    private sealed record Summary(double Throughput, double P50, double P99, double P999, double CpuMicros, double RssMiB, long Errors);
}
