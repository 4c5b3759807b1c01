using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ExchangeGateway.LoadBench.Load;

/// <summary>
/// The load generator, run as its own process: a fixed number of workers, each sending one request after
/// another (closed loop) for a warm-up and then a measured period. Every measured exchange's latency goes
/// into a histogram; every failure is counted by its kind and reported, never dropped.
/// Protocol on standard output, for the orchestrator: <c>MEASURE-START</c> when the measured period begins,
/// <c>MEASURE-END</c> when the last worker is done, then <c>RESULT {json}</c>.
/// </summary>
internal static class LoadClient
{
    public const string MeasureStart = "MEASURE-START";
    public const string MeasureEnd = "MEASURE-END";
    public const string ResultPrefix = "RESULT ";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(LoadOptions options, TextWriter output)
    {
        var soap = options.SoapService is null ? null : new SoapLoadRequest(options.SoapClient!, options.SoapService, options.Size);
        var body = new byte[soap is null ? options.Size : 0];
        for (var i = 0; i < body.Length; i++)
        {
            body[i] = (byte)('a' + (i % 26));
        }

        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            MaxConnectionsPerServer = options.Concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        using var http = new HttpClient(handler) { Timeout = RequestTimeout };
        var frequency = (double)Stopwatch.Frequency;
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(options.Warmup.TotalSeconds * frequency);
        var measureUntil = measureFrom + (long)(options.Duration.TotalSeconds * frequency);
        var cpuBefore = TimeSpan.Zero;

        var workers = new Worker[options.Concurrency];
        var tasks = new Task[options.Concurrency];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = new Worker(http, options, body, soap, measureFrom, measureUntil);
            tasks[i] = Task.Run(workers[i].RunAsync);
        }

        var untilMeasure = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), measureFrom);
        if (untilMeasure > TimeSpan.Zero)
        {
            await Task.Delay(untilMeasure);
        }

        cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        output.WriteLine(MeasureStart);
        output.Flush();

        // Bounded: every request has its own timeout, so the workers end at most that long after the period.
        var all = Task.WhenAll(tasks);
        var hardStop = Task.Delay(options.Duration + RequestTimeout + TimeSpan.FromSeconds(10));
        if (await Task.WhenAny(all, hardStop) != all)
        {
            output.WriteLine("load: workers did not finish in time; giving up");
            return 1;
        }

        await all;
        var end = Stopwatch.GetTimestamp();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        output.WriteLine(MeasureEnd);

        var histogram = new LatencyHistogram();
        var errors = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var worker in workers)
        {
            histogram.Add(worker.Histogram);
            foreach (var (kind, count) in worker.Errors)
            {
                errors[kind] = errors.GetValueOrDefault(kind) + count;
            }
        }

        var seconds = (end - measureFrom) / frequency;
        var result = new LoadResult(
            histogram.Count,
            errors.Values.Sum(),
            errors,
            seconds,
            histogram.Count / seconds,
            histogram.ValueAtPercentile(50),
            histogram.ValueAtPercentile(90),
            histogram.ValueAtPercentile(99),
            histogram.ValueAtPercentile(99.9),
            histogram.Max,
            histogram.Count == 0 ? 0 : histogram.Sum / histogram.Count,
            cpu.TotalMilliseconds);
        output.WriteLine(ResultPrefix + JsonSerializer.Serialize(result));
        output.Flush();
        return 0;
    }

    /// <summary>One closed-loop worker with its own histogram and error counts (no sharing on the hot path).</summary>
    private sealed class Worker(HttpClient http, LoadOptions options, byte[] body, SoapLoadRequest? soap, long measureFrom, long measureUntil)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];

        // The first bytes of a SOAP answer: enough to tell an echoDataResponse from a fault.
        private readonly byte[] _head = new byte[8 * 1024];

        public LatencyHistogram Histogram { get; } = new();

        public Dictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

        public async Task RunAsync()
        {
            while (true)
            {
                var started = Stopwatch.GetTimestamp();
                if (started >= measureUntil)
                {
                    return;
                }

                var error = await ExchangeAsync();
                if (started < measureFrom)
                {
                    continue;
                }

                if (error is null)
                {
                    Histogram.Record((long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                }
                else
                {
                    Errors[error] = Errors.GetValueOrDefault(error) + 1;
                }
            }
        }

        private async Task<string?> ExchangeAsync()
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, options.Url);
                if (soap is not null)
                {
                    request.Content = soap.CreateContent();
                }
                else
                {
                    var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    request.Content = content;
                }

                foreach (var (name, value) in options.Headers)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }

                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                await using var stream = await response.Content.ReadAsStreamAsync();
                long received = 0;
                var head = 0;
                int read;
                while ((read = await stream.ReadAsync(_buffer)) > 0)
                {
                    if (soap is not null && head < _head.Length)
                    {
                        var n = Math.Min(read, _head.Length - head);
                        _buffer.AsSpan(0, n).CopyTo(_head.AsSpan(head));
                        head += n;
                    }

                    received += read;
                }

                if ((int)response.StatusCode != 200)
                {
                    var code = response.Headers.TryGetValues("X-Road-Error", out var values) ? " " + string.Join(",", values) : string.Empty;
                    return string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}{code}");
                }

                if (soap is not null)
                {
                    return soap.Check(_head.AsSpan(0, head), received);
                }

                return received == body.Length
                    ? null
                    : string.Create(CultureInfo.InvariantCulture, $"body of {received} bytes, expected {body.Length}");
            }
            catch (TaskCanceledException)
            {
                return $"timeout ({RequestTimeout.TotalSeconds:0} s)";
            }
            catch (HttpRequestException ex)
            {
                return $"{nameof(HttpRequestException)}: {ex.HttpRequestError}";
            }
            catch (IOException ex)
            {
                return $"{nameof(IOException)}: {ex.Message}";
            }
        }
    }
}
