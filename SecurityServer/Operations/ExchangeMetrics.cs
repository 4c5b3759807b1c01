using System.Diagnostics.Metrics;

namespace ExchangeGateway.SecurityServer.Operations;

/// <summary>
/// The security server's metrics on <c>System.Diagnostics.Metrics</c> (meter
/// <c>ExchangeGateway.SecurityServer</c>), named as Prometheus shows them. The proxies record one exchange
/// and its stages per message; the message log and the configuration client feed the gauges through
/// delegates. Recording is lock-free and allocation-free; <see cref="PrometheusTextExporter"/> aggregates.
/// </summary>
/// <remarks>
/// Keep label values bounded: <c>side</c> and <c>outcome</c> from the constants here, <c>code</c> an error
/// code from the catalogue (or <see cref="CodeNone"/>), <c>stage</c> a fixed stage name. The exporter caps
/// the number of series per instrument anyway, so a peer cannot grow memory by inventing codes.
/// </remarks>
public sealed class ExchangeMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "ExchangeGateway.SecurityServer";

    /// <summary>Counter: exchanges finished, labelled <c>side</c>, <c>outcome</c>, <c>code</c>.</summary>
    public const string ExchangesTotal = "xgw_exchanges_total";

    /// <summary>Histogram: seconds spent per stage, labelled <c>stage</c>.</summary>
    public const string StageDurationSeconds = "xgw_stage_duration_seconds";

    /// <summary>Gauge: message-log records not yet covered by a time-stamped checkpoint.</summary>
    public const string MessageLogBacklog = "xgw_messagelog_backlog";

    /// <summary>Gauge: seconds since the last time-stamped message-log checkpoint.</summary>
    public const string CheckpointAgeSeconds = "xgw_checkpoint_age_seconds";

    /// <summary>Gauge: serial of the global configuration in use.</summary>
    public const string GlobalConfSerial = "xgw_globalconf_serial";

    /// <summary>Counter: new findings of the message-log integrity monitor (the status turned failed, or its first bad item changed).</summary>
    public const string IntegrityFailuresTotal = "xgw_messagelog_integrity_failures_total";

    /// <summary>Gauge: 1 while the integrity monitor finds the message log intact, 0 while it reports a finding; absent before its first run.</summary>
    public const string IntegrityOk = "xgw_messagelog_integrity_ok";

    /// <summary>Side label: the client proxy (consumer's server).</summary>
    public const string SideClient = "client";

    /// <summary>Side label: the server proxy (provider's server).</summary>
    public const string SideServer = "server";

    /// <summary>Outcome label: the exchange completed (whatever the provider's HTTP status).</summary>
    public const string OutcomeSuccess = "success";

    /// <summary>Outcome label: the gateway answered with an error.</summary>
    public const string OutcomeError = "error";

    /// <summary>Code label of a successful exchange.</summary>
    public const string CodeNone = "none";

    private readonly Meter? _ownedMeter;
    private readonly Counter<long> _exchanges;
    private readonly Histogram<double> _stages;
    private readonly Counter<long> _integrityFailures;
    private Func<long?>? _backlog;
    private Func<double?>? _checkpointAge;
    private Func<long?>? _globalConfSerial;
    private Func<long?>? _integrityOk;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/> (the host's; disposed with it).</summary>
    public ExchangeMetrics(IMeterFactory meterFactory)
        : this(CreateMeter(meterFactory), owned: false)
    {
    }

    /// <summary>Creates the instruments on a meter of its own, disposed with this object (tools and tests).</summary>
    public ExchangeMetrics()
        : this(new Meter(MeterName), owned: true)
    {
    }

    private ExchangeMetrics(Meter meter, bool owned)
    {
        Meter = meter;
        _ownedMeter = owned ? meter : null;
        _exchanges = meter.CreateCounter<long>(ExchangesTotal, unit: null, description: "Exchanges finished, by proxy side, outcome and error code.");
        _stages = meter.CreateHistogram(
            StageDurationSeconds,
            unit: "s",
            description: "Time spent in each stage of an exchange, in seconds.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = StageBuckets });
        meter.CreateObservableGauge(MessageLogBacklog, () => Observe(Volatile.Read(ref _backlog)), unit: null, description: "Message-log records not yet covered by a time-stamped checkpoint.");
        meter.CreateObservableGauge(CheckpointAgeSeconds, () => Observe(Volatile.Read(ref _checkpointAge)), unit: "s", description: "Seconds since the last time-stamped message-log checkpoint.");
        meter.CreateObservableGauge(GlobalConfSerial, () => Observe(Volatile.Read(ref _globalConfSerial)), unit: null, description: "Serial of the global configuration in use.");
        _integrityFailures = meter.CreateCounter<long>(IntegrityFailuresTotal, unit: null, description: "New findings of the message-log integrity monitor.");
        meter.CreateObservableGauge(IntegrityOk, () => Observe(Volatile.Read(ref _integrityOk)), unit: null, description: "1 while the message-log integrity monitor finds the log intact, 0 after a finding.");
    }

    /// <summary>Bucket bounds of <see cref="StageDurationSeconds"/>: 0.5 ms to 60 s.</summary>
    public static IReadOnlyList<double> StageBuckets { get; } = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    /// <summary>The meter the instruments live on.</summary>
    public Meter Meter { get; }

    /// <summary>Counts one finished exchange.</summary>
    /// <param name="side"><see cref="SideClient"/> or <see cref="SideServer"/>.</param>
    /// <param name="outcome"><see cref="OutcomeSuccess"/> or <see cref="OutcomeError"/>.</param>
    /// <param name="code">The error code, e.g. <c>server.serverproxy.access_denied</c>, or <see cref="CodeNone"/>.</param>
    public void RecordExchange(string side, string outcome, string code) =>
        _exchanges.Add(
            1,
            new KeyValuePair<string, object?>("side", side),
            new KeyValuePair<string, object?>("outcome", outcome),
            new KeyValuePair<string, object?>("code", code));

    /// <summary>Records how long one stage took, e.g. <c>client_parse</c>, <c>sign</c>, <c>log_request</c>, <c>send</c>, <c>verify</c>, <c>forward</c>, <c>log_response</c>, <c>total</c>.</summary>
    public void RecordStage(string stage, TimeSpan duration) => RecordStage(stage, duration.TotalSeconds);

    /// <summary>Records how long one stage took, in seconds.</summary>
    public void RecordStage(string stage, double seconds) =>
        _stages.Record(seconds, new KeyValuePair<string, object?>("stage", stage));

    /// <summary>Feeds <see cref="MessageLogBacklog"/>; the delegate runs at each scrape, null reports nothing.</summary>
    public void ObserveMessageLogBacklog(Func<long?> source) => Volatile.Write(ref _backlog, source);

    /// <summary>Feeds <see cref="CheckpointAgeSeconds"/>; the delegate runs at each scrape, null reports nothing.</summary>
    public void ObserveCheckpointAge(Func<double?> source) => Volatile.Write(ref _checkpointAge, source);

    /// <summary>Feeds <see cref="GlobalConfSerial"/>; the delegate runs at each scrape, null reports nothing.</summary>
    public void ObserveGlobalConfSerial(Func<long?> source) => Volatile.Write(ref _globalConfSerial, source);

    /// <summary>Counts one new finding of the integrity monitor.</summary>
    public void RecordIntegrityFailure() => _integrityFailures.Add(1);

    /// <summary>Feeds <see cref="IntegrityOk"/>; the delegate runs at each scrape, null reports nothing.</summary>
    public void ObserveIntegrityOk(Func<long?> source) => Volatile.Write(ref _integrityOk, source);

    /// <inheritdoc />
    public void Dispose() => _ownedMeter?.Dispose();

    private static Meter CreateMeter(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        return meterFactory.Create(MeterName);
    }

    private static IEnumerable<Measurement<T>> Observe<T>(Func<T?>? source)
        where T : struct =>
        source?.Invoke() is { } value ? [new Measurement<T>(value)] : [];
}
