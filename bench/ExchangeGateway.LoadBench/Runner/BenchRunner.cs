using System.Globalization;
using System.Text;
using System.Text.Json;
using ExchangeGateway.LoadBench.Load;

namespace ExchangeGateway.LoadBench.Runner;

/// <summary>
/// Runs the three cases side by side in one run: starts the echo provider, the two hops and the quickstart
/// federation once, then for each run, body size and case starts a load process and meters the case's
/// server-side processes over the measured period. Cases alternate within each run so machine noise
/// spreads over all of them.
/// </summary>
internal sealed class BenchRunner(BenchOptions options, string commandLine, TextWriter output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan FederationTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);
    private readonly List<BenchProcess> _servers = [];

    // The identifiers a SOAP request to the provider directly (cases a and b) carries: the quickstart's own,
    // so the three paths send byte-for-byte the same request shape.
    private const string SoapBenchClient = "DEV/GOV/70000001/consumer";
    private const string SoapBenchService = "DEV/ORG/70000002/provider/echoData/v1";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var repository = FindRepository();
        var loadBenchDll = Path.Combine(AppContext.BaseDirectory, "ExchangeGateway.LoadBench.dll");
        var quickstartDll = QuickstartDll(repository);
        var cases = new List<BenchCase>();
        var loadBefore = MarkdownReport.LoadAverage();
        try
        {
            output.WriteLine($"LoadBench: cases {options.Cases}, protocols {string.Join(", ", options.Protocols)}, REST sizes {string.Join(", ", options.Sizes.Select(Size))}, SOAP sizes {string.Join(", ", options.SoapSizes.Select(Size))}, concurrency {options.Concurrency}, {options.Warmup.TotalSeconds:0.#} s warm-up + {options.Duration.TotalSeconds:0.#} s measured, {options.Runs} run(s)");
            var provider = Start("echo provider", quickstartDll, ["echo", "--urls", "http://127.0.0.1:0", "--headless"], repository);
            var providerUrl = UrlFrom(await provider.WaitForLineAsync(l => l.StartsWith("echo provider listening on ", StringComparison.Ordinal), StartTimeout, cancellationToken));
            output.WriteLine($"  provider {providerUrl} (pid {provider.Id})");
            if (options.Cases.Contains('a', StringComparison.Ordinal))
            {
                AddCases(cases, 'a', "(a) direct", providerUrl, [new("echo provider", provider.Id)]);
            }

            if (options.Cases.Contains('b', StringComparison.Ordinal))
            {
                var hop2 = Start("hop 2", loadBenchDll, ["hop", "--listen", "http://127.0.0.1:0", "--target", providerUrl], repository);
                var hop2Url = UrlFrom(await hop2.WaitForLineAsync(l => l.StartsWith("hop listening on ", StringComparison.Ordinal), StartTimeout, cancellationToken));
                var hop1 = Start("hop 1", loadBenchDll, ["hop", "--listen", "http://127.0.0.1:0", "--target", hop2Url], repository);
                var hop1Url = UrlFrom(await hop1.WaitForLineAsync(l => l.StartsWith("hop listening on ", StringComparison.Ordinal), StartTimeout, cancellationToken));
                output.WriteLine($"  hops {hop1Url} (pid {hop1.Id}) -> {hop2Url} (pid {hop2.Id})");
                AddCases(cases, 'b', "(b) two plain hops", hop1Url, [new("hop 1", hop1.Id), new("hop 2", hop2.Id), new("echo provider", provider.Id)]);
            }

            if (options.Cases.Contains('c', StringComparison.Ordinal))
            {
                cases.AddRange(await StartFederationAsync(quickstartDll, repository, cancellationToken));
            }

            foreach (var benchCase in cases)
            {
                await PreflightAsync(benchCase, cancellationToken);
            }

            var measurements = new List<Measurement>();
            for (var run = 1; run <= options.Runs; run++)
            {
                foreach (var protocol in options.Protocols)
                {
                    foreach (var size in options.SizesFor(protocol))
                    {
                        foreach (var benchCase in cases.Where(c => c.Protocol == protocol))
                        {
                            var measurement = await MeasureAsync(benchCase, size, run, loadBenchDll, repository, cancellationToken);
                            measurements.Add(measurement);
                            var l = measurement.Load;
                            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                                $"  run {run} {benchCase.Title,-20} {protocol,-4} {Size(size),7}: {l.ExchangesPerSecond,9:N0}/s  p50 {l.P50 / 1000.0:0.00} ms  p99 {l.P99 / 1000.0:0.00} ms  CPU {measurement.CpuMicrosPerExchange:N0} µs/exchange  errors {l.ErrorCount}"));
                        }
                    }
                }
            }

            var report = MarkdownReport.Write(options, commandLine, cases, measurements, TimeProvider.System.GetUtcNow(), loadBefore);
            Directory.CreateDirectory(options.ResultsDirectory);
            var path = Path.Combine(options.ResultsDirectory, $"load-{TimeProvider.System.GetUtcNow():yyyyMMdd-HHmmss}.md");
            await File.WriteAllTextAsync(path, report, cancellationToken);
            output.WriteLine();
            output.WriteLine(report);
            output.WriteLine($"Written to {path}");
            return 0;
        }
        finally
        {
            // The federation first: closing its standard input makes the quickstart stop its own children.
            foreach (var server in Enumerable.Reverse(_servers))
            {
                await server.DisposeAsync();
            }
        }
    }

    private static string Size(int bytes) =>
        bytes % (1024 * 1024) == 0 && bytes > 0 ? $"{bytes / (1024 * 1024)} MiB"
        : bytes % 1024 == 0 && bytes > 0 ? $"{bytes / 1024} KiB"
        : $"{bytes} B";

    private static string UrlFrom(string line) => line[(line.LastIndexOf(' ') + 1)..].TrimEnd('/');

    /// <summary>Case (a) or (b) for each protocol: REST to <c>/bench</c>, SOAP to the provider's <c>/soap</c> (the hops pass the path on).</summary>
    private void AddCases(List<BenchCase> cases, char key, string title, string baseUrl, KeyValuePair<string, int>[] servers)
    {
        foreach (var protocol in options.Protocols)
        {
            cases.Add(protocol == BenchProtocol.SOAP
                ? new BenchCase(key, protocol, title, new Uri(baseUrl + "/soap"), [], servers, SoapBenchClient, SoapBenchService)
                : new BenchCase(key, protocol, title, new Uri(baseUrl + "/bench"), [], servers));
        }
    }

    private static string FindRepository()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ExchangeGateway.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new BenchException($"Cannot find the repository (ExchangeGateway.sln) above {AppContext.BaseDirectory}.");
    }

    private static string QuickstartDll(string repository)
    {
        // Built with the same configuration and framework as this exe (the csproj references it).
        var self = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = Path.Combine(repository, "installer", "ExchangeGateway.Quickstart", "bin", self.Parent!.Name, self.Name, "ExchangeGateway.Quickstart.dll");
        return File.Exists(path) ? path : throw new BenchException($"{path} is missing; build bench/ExchangeGateway.LoadBench (it builds the quickstart too).");
    }

    private BenchProcess Start(string name, string dll, string[] arguments, string workingDirectory)
    {
        var process = BenchProcess.Start(name, dll, arguments, workingDirectory);
        _servers.Add(process);
        return process;
    }

    private async Task<IReadOnlyList<BenchCase>> StartFederationAsync(string quickstartDll, string repository, CancellationToken cancellationToken)
    {
        output.WriteLine($"  starting the quickstart federation (state {options.StateDirectory}) ...");
        var quickstart = Start("quickstart", quickstartDll, ["--headless", "--state-dir", Path.GetFullPath(options.StateDirectory)], repository);
        var ready = await quickstart.WaitForLineAsync(l => l.StartsWith("READY ", StringComparison.Ordinal), FederationTimeout, cancellationToken);
        var federationPath = ready["READY ".Length..].Trim();
        using var federation = JsonDocument.Parse(await File.ReadAllBytesAsync(federationPath, cancellationToken));
        var root = federation.RootElement;
        var processes = root.GetProperty("processes").EnumerateArray().Select(p => new KeyValuePair<string, int>(
            p.GetProperty("name").GetString() is "quickstart" ? "quickstart (echo provider)" : p.GetProperty("name").GetString()!,
            p.GetProperty("pid").GetInt32())).ToList();
        var services = root.GetProperty("services").EnumerateArray().ToList();
        var cases = new List<BenchCase>();
        foreach (var protocol in options.Protocols)
        {
            // Services without "type" predate SOAP: REST.
            var service = services.FirstOrDefault(s => protocol == BenchProtocol.SOAP
                ? Type(s) == "soap" && s.GetProperty("id").GetString()!.Split('/') is [_, _, _, _, "echoData", ..]
                : Type(s) == "rest");
            if (service.ValueKind != JsonValueKind.Object)
            {
                output.WriteLine($"  WARNING (c) security servers: {federationPath} lists no {(protocol == BenchProtocol.SOAP ? "SOAP echoData" : "REST")} service; (c) {protocol} is not measured");
                continue;
            }

            var serviceId = service.GetProperty("id").GetString()!;
            var providerServer = service.GetProperty("securityServer").GetString()!;
            var client = root.GetProperty("clients").EnumerateArray().First(c => c.GetProperty("securityServer").GetString() != providerServer);
            var clientId = client.GetProperty("id").GetString()!;
            var clientServer = client.GetProperty("securityServer").GetString()!;
            var clientProxy = root.GetProperty("securityServers").EnumerateArray().First(s => s.GetProperty("id").GetString() == clientServer).GetProperty("clientProxyUrl").GetString()!;
            output.WriteLine($"  federation {federationPath}: {protocol} {clientProxy} as {clientId} -> {serviceId}");
            cases.Add(protocol == BenchProtocol.SOAP
                ? new BenchCase('c', protocol, "(c) security servers", new Uri(clientProxy + "/"), [], processes, clientId, serviceId)
                : new BenchCase('c', protocol, "(c) security servers", new Uri($"{clientProxy}/r1/{serviceId}/bench"), [new("X-Road-Client", clientId)], processes));
        }

        return cases;

        static string Type(JsonElement service) => service.TryGetProperty("type", out var type) ? type.GetString() ?? "rest" : "rest";
    }

    /// <summary>One exchange per case before measuring, so a broken path is named up front (its load run still counts every error).</summary>
    private async Task PreflightAsync(BenchCase benchCase, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var soap = benchCase.SoapService is null ? null : new SoapLoadRequest(benchCase.SoapClient!, benchCase.SoapService, "preflight".Length);
        using var request = new HttpRequestMessage(HttpMethod.Post, benchCase.Url) { Content = soap?.CreateContent() ?? new ByteArrayContent("preflight"u8.ToArray()) };
        foreach (var (name, value) in benchCase.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var problem = soap is null ? (body == "preflight" ? null : "not echoed") : soap.Check(Encoding.UTF8.GetBytes(body), Encoding.UTF8.GetByteCount(body));
            if ((int)response.StatusCode != 200 || problem is not null)
            {
                output.WriteLine($"  WARNING {benchCase.Title} {benchCase.Protocol}: preflight {problem}: answered {(int)response.StatusCode} {(response.Headers.TryGetValues("X-Road-Error", out var e) ? string.Join(",", e) : string.Empty)} {body[..Math.Min(body.Length, 300)]}");
            }
        }
        catch (HttpRequestException ex)
        {
            output.WriteLine($"  WARNING {benchCase.Title} {benchCase.Protocol}: preflight failed: {ex.Message}");
        }
    }

    private async Task<Measurement> MeasureAsync(BenchCase benchCase, int size, int run, string loadBenchDll, string repository, CancellationToken cancellationToken)
    {
        var arguments = new List<string>
        {
            "load",
            "--url", benchCase.Url.ToString(),
            "--concurrency", options.Concurrency.ToString(CultureInfo.InvariantCulture),
            "--warmup", options.Warmup.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--duration", options.Duration.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--size", size.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in benchCase.Headers)
        {
            arguments.Add("--header");
            arguments.Add($"{name}: {value}");
        }

        if (benchCase.SoapService is not null)
        {
            arguments.AddRange(["--soap-service", benchCase.SoapService, "--soap-client", benchCase.SoapClient!]);
        }

        using var meter = new ProcessMeter(benchCase.Servers);
        await using var load = BenchProcess.Start($"load {benchCase.Id} {Size(size)}", loadBenchDll, arguments, repository);
        await load.WaitForLineAsync(l => l == LoadClient.MeasureStart, options.Warmup + StartTimeout, cancellationToken);
        var cpuBefore = meter.CpuByProcess();
        meter.StartSampling();
        await load.WaitForLineAsync(l => l == LoadClient.MeasureEnd, options.Duration + TimeSpan.FromSeconds(90), cancellationToken);
        var cpu = meter.CpuByProcess().ToDictionary(p => p.Key, p => p.Value - cpuBefore.GetValueOrDefault(p.Key), StringComparer.Ordinal);
        var peak = await meter.StopSamplingAsync();
        var line = await load.WaitForLineAsync(l => l.StartsWith(LoadClient.ResultPrefix, StringComparison.Ordinal), StartTimeout, cancellationToken);
        var result = JsonSerializer.Deserialize<LoadResult>(line[LoadClient.ResultPrefix.Length..])
            ?? throw new BenchException($"The load client's result is unreadable: {line}");
        return new Measurement(benchCase.Id, size, run, result, cpu, peak);
    }
}
