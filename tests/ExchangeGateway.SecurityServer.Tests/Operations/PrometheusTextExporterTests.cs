using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using ExchangeGateway.SecurityServer.Operations;
using ExchangeGateway.SecurityServer.Tests.Admin;
using ExchangeGateway.Testing.Tools;
using Microsoft.Extensions.DependencyInjection;

namespace ExchangeGateway.SecurityServer.Tests.Operations;

public sealed class PrometheusTextExporterTests : IDisposable
{
    private readonly ExchangeMetrics _metrics = new();
    private readonly PrometheusTextExporter _exporter;

    public PrometheusTextExporterTests() => _exporter = new PrometheusTextExporter(_metrics.Meter);

    public void Dispose()
    {
        _exporter.Dispose();
        _metrics.Dispose();
    }

    [Fact]
    public void Render_NothingRecorded_IsValidAndDeclaresEveryMetric()
    {
        var (types, samples) = PrometheusText.Parse(_exporter.Render());

        Assert.Equal("counter", types[ExchangeMetrics.ExchangesTotal]);
        Assert.Equal("histogram", types[ExchangeMetrics.StageDurationSeconds]);
        Assert.Equal("gauge", types[ExchangeMetrics.MessageLogBacklog]);
        Assert.Equal("gauge", types[ExchangeMetrics.CheckpointAgeSeconds]);
        Assert.Equal("gauge", types[ExchangeMetrics.GlobalConfSerial]);
        Assert.Empty(samples);
    }

    [Fact]
    public void Render_Exchanges_CountsEachLabelSet()
    {
        for (var i = 0; i < 3; i++)
        {
            _metrics.RecordExchange(ExchangeMetrics.SideClient, ExchangeMetrics.OutcomeSuccess, ExchangeMetrics.CodeNone);
        }

        _metrics.RecordExchange(ExchangeMetrics.SideServer, ExchangeMetrics.OutcomeError, "server.serverproxy.access_denied");

        var text = _exporter.Render();
        var (_, samples) = PrometheusText.Parse(text);

        Assert.Contains("xgw_exchanges_total{code=\"none\",outcome=\"success\",side=\"client\"} 3\n", text, StringComparison.Ordinal);
        Assert.Equal(3, samples.Single(s => s.Name == ExchangeMetrics.ExchangesTotal && s.Label("side") == "client").Value);
        Assert.Equal(1, samples.Single(s => s.Name == ExchangeMetrics.ExchangesTotal && s.Label("code") == "server.serverproxy.access_denied").Value);
    }

    [Fact]
    public void Render_StageDurations_AreCumulativeBucketsWithSumAndCount()
    {
        double[] signs = [0.0001, 0.0005, 0.003, 0.003, 0.2, 100];
        foreach (var seconds in signs)
        {
            _metrics.RecordStage("sign", seconds);
        }

        _metrics.RecordStage("send", TimeSpan.FromMilliseconds(20));

        var text = _exporter.Render();
        var (_, samples) = PrometheusText.Parse(text);
        var buckets = samples.Where(s => s.Name == "xgw_stage_duration_seconds_bucket" && s.Label("stage") == "sign").ToDictionary(s => s.Label("le"), s => s.Value);

        Assert.Equal(ExchangeMetrics.StageBuckets.Count + 1, buckets.Count);
        Assert.Equal(2, buckets["0.0005"]);
        Assert.Equal(2, buckets["0.001"]);
        Assert.Equal(4, buckets["0.005"]);
        Assert.Equal(5, buckets["0.25"]);
        Assert.Equal(5, buckets["60"]);
        Assert.Equal(6, buckets["+Inf"]);
        Assert.Equal(6, samples.Single(s => s.Name == "xgw_stage_duration_seconds_count" && s.Label("stage") == "sign").Value);
        Assert.Equal(signs.Sum(), samples.Single(s => s.Name == "xgw_stage_duration_seconds_sum" && s.Label("stage") == "sign").Value, 9);
        Assert.Equal(1, samples.Single(s => s.Name == "xgw_stage_duration_seconds_count" && s.Label("stage") == "send").Value);
        Assert.Contains("xgw_stage_duration_seconds_bucket{stage=\"sign\",le=\"+Inf\"} 6\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Gauges_ComeFromDelegatesAndDisappearWhenTheyReportNothing()
    {
        long? backlog = 17;
        _metrics.ObserveMessageLogBacklog(() => backlog);
        _metrics.ObserveCheckpointAge(() => 12.5);
        _metrics.ObserveGlobalConfSerial(() => 42);

        var first = PrometheusText.Parse(_exporter.Render()).Samples;
        backlog = null;
        var second = PrometheusText.Parse(_exporter.Render()).Samples;

        Assert.Equal(17, first.Single(s => s.Name == ExchangeMetrics.MessageLogBacklog).Value);
        Assert.Equal(12.5, first.Single(s => s.Name == ExchangeMetrics.CheckpointAgeSeconds).Value);
        Assert.Equal(42, first.Single(s => s.Name == ExchangeMetrics.GlobalConfSerial).Value);
        Assert.DoesNotContain(second, s => s.Name == ExchangeMetrics.MessageLogBacklog);
        Assert.Equal(42, second.Single(s => s.Name == ExchangeMetrics.GlobalConfSerial).Value);
    }

    [Fact]
    public void Render_LabelValues_AreEscaped()
    {
        _metrics.RecordExchange("client", "error", "a\"b\\c\nd");

        var text = _exporter.Render();
        var sample = PrometheusText.Parse(text).Samples.Single(s => s.Name == ExchangeMetrics.ExchangesTotal);

        Assert.Contains("code=\"a\\\"b\\\\c\\nd\"", text, StringComparison.Ordinal);
        Assert.Equal("a\"b\\c\nd", sample.Label("code"));
    }

    [Fact]
    public void Render_TooManyLabelSets_FoldIntoOneOverflowSeries()
    {
        using var metrics = new ExchangeMetrics();
        using var exporter = new PrometheusTextExporter(metrics.Meter, maxSeriesPerInstrument: 5);
        for (var i = 0; i < 50; i++)
        {
            metrics.RecordExchange("server", "error", "peer.code" + i.ToString(CultureInfo.InvariantCulture));
        }

        var samples = PrometheusText.Parse(exporter.Render()).Samples.Where(s => s.Name == ExchangeMetrics.ExchangesTotal).ToList();

        Assert.Equal(6, samples.Count);
        Assert.Equal(45, samples.Single(s => s.Label("overflow") == "true").Value);
        Assert.Equal(50, samples.Sum(s => s.Value));
    }

    [Fact]
    public async Task Record_FromManyThreads_LosesNothing()
    {
        const int threads = 8;
        const int perThread = 20_000;

        await Task.WhenAll(Enumerable.Range(0, threads).Select(t => Task.Run(() =>
        {
            var side = t % 2 == 0 ? ExchangeMetrics.SideClient : ExchangeMetrics.SideServer;
            for (var i = 0; i < perThread; i++)
            {
                _metrics.RecordExchange(side, ExchangeMetrics.OutcomeSuccess, ExchangeMetrics.CodeNone);
                _metrics.RecordStage("total", 0.001);
            }
        })));

        var samples = PrometheusText.Parse(_exporter.Render()).Samples;
        Assert.Equal(threads / 2 * perThread, samples.Single(s => s.Name == ExchangeMetrics.ExchangesTotal && s.Label("side") == "client").Value);
        Assert.Equal(threads / 2 * perThread, samples.Single(s => s.Name == ExchangeMetrics.ExchangesTotal && s.Label("side") == "server").Value);
        Assert.Equal(threads * perThread, samples.Single(s => s.Name == "xgw_stage_duration_seconds_count").Value);
        Assert.Equal(threads * perThread * 0.001, samples.Single(s => s.Name == "xgw_stage_duration_seconds_sum").Value, 6);
    }

    [Fact]
    public void Exporter_SeesOnlyItsOwnMeter()
    {
        using var other = new ExchangeMetrics();
        other.RecordExchange("client", "success", "none");
        using var foreign = new Meter(ExchangeMetrics.MeterName);
        foreign.CreateCounter<long>(ExchangeMetrics.ExchangesTotal).Add(5);

        var samples = PrometheusText.Parse(_exporter.Render()).Samples;

        Assert.DoesNotContain(samples, s => s.Name == ExchangeMetrics.ExchangesTotal);
    }

    [Fact]
    public void Render_OtherInstrumentKinds_RenderWithSanitisedNames()
    {
        using var meter = new Meter("test");
        using var exporter = new PrometheusTextExporter(meter);
        meter.CreateCounter<double>("requests.bytes-in", description: "Bytes\\in\nbody").Add(2.5, new KeyValuePair<string, object?>("http.method", "GET"));
        meter.CreateHistogram<long>("sizes").Record(3);
        meter.CreateGauge<int>("temperature").Record(-4);
        meter.CreateObservableCounter("ticks", () => 99L);
        meter.CreateUpDownCounter<int>("ignored").Add(1);

        var text = exporter.Render();
        var (types, samples) = PrometheusText.Parse(text);

        Assert.Contains("# HELP requests_bytes_in Bytes\\\\in\\nbody\n", text, StringComparison.Ordinal);
        Assert.Equal(2.5, samples.Single(s => s.Name == "requests_bytes_in" && s.Label("http_method") == "GET").Value);
        Assert.Equal("histogram", types["sizes"]);
        Assert.Equal(0, samples.Single(s => s.Name == "sizes_bucket" && s.Label("le") == "2.5").Value);
        Assert.Equal(1, samples.Single(s => s.Name == "sizes_bucket" && s.Label("le") == "5").Value);
        Assert.Equal(-4, samples.Single(s => s.Name == "temperature").Value);
        Assert.Equal(("counter", 99.0), (types["ticks"], samples.Single(s => s.Name == "ticks").Value));
        Assert.False(types.ContainsKey("ignored"));
    }

    [Fact]
    public async Task MetricsEndpoint_ServesTheHostsMetricsAsPrometheusText()
    {
        using var dir = new TempDirectory();
        await using var host = await AdminTestHost.StartAsync(dir.Path);
        var metrics = host.Host.App.Services.GetRequiredService<ExchangeMetrics>();
        metrics.RecordExchange(ExchangeMetrics.SideServer, ExchangeMetrics.OutcomeError, "server.serverproxy.access_denied");
        metrics.RecordStage("verify", 0.002);
        metrics.ObserveMessageLogBacklog(() => 3);
        using var http = host.Client(null);

        var response = await http.GetAsync("metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var (types, samples) = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(1, samples.Single(s => s.Name == ExchangeMetrics.ExchangesTotal).Value);
        Assert.Equal(1, samples.Single(s => s.Name == "xgw_stage_duration_seconds_count" && s.Label("stage") == "verify").Value);
        Assert.Equal(3, samples.Single(s => s.Name == ExchangeMetrics.MessageLogBacklog).Value);
        Assert.Equal("gauge", types[ExchangeMetrics.GlobalConfSerial]);
        Assert.DoesNotContain(samples, s => s.Name == ExchangeMetrics.GlobalConfSerial);
    }

    [Fact]
    public void FormatValue_SpecialValues()
    {
        Assert.Equal("+Inf", PrometheusTextExporter.FormatValue(double.PositiveInfinity));
        Assert.Equal("-Inf", PrometheusTextExporter.FormatValue(double.NegativeInfinity));
        Assert.Equal("NaN", PrometheusTextExporter.FormatValue(double.NaN));
        Assert.Equal("0.0005", PrometheusTextExporter.FormatValue(0.0005));
        Assert.Equal("12", PrometheusTextExporter.FormatValue(12));
    }
}
