using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.Config.Client;
using ExchangeGateway.MessageLog.Evidence;
using ExchangeGateway.MessageLog.Storage;

namespace ExchangeGateway.SecurityServer.Evidence;

/// <summary>
/// The witnessing job: every <see cref="Interval"/> it shows the Central Server this server's newest
/// time-stamped checkpoint, so that the server cannot later show a different history. One pass asks the
/// Central Server for the statement it last signed for this server (<c>GET /witness/v1/servers/{id}/latest</c>),
/// checks that this log still holds that checkpoint and builds the consistency proof from it
/// (<see cref="MessageLogProofs.ConsistencyProof"/>), posts checkpoint, signature, time-stamp and proof
/// (<c>POST /witness/v1/checkpoints</c>), verifies the returned statement with the configuration anchor and
/// stores it in the message log's <c>witness</c> table. The witness endpoints live beside the management
/// service named in the global configuration.
/// </summary>
/// <remarks>
/// When this log does not hold the witnessed checkpoint (another root, no checkpoint of that size, no proof),
/// the log is not the history that was witnessed: that is reported at once
/// (<see cref="WitnessingCodes.HistoryMismatch"/>) and the checkpoint is submitted anyway, so that the Central
/// Server records the refusal (<c>witness.inconsistent</c>) with its evidence. Failures are values: a pass never
/// throws for a Central Server that is down or answers nonsense.
/// </remarks>
public sealed class Witnessing
{
    /// <summary>The largest answer read from the Central Server.</summary>
    public const int MaxResponseBytes = 64 * 1024;

    /// <summary>How soon a pass that found nothing to witness is repeated (when shorter than the interval).</summary>
    public static readonly TimeSpan IdleRetry = TimeSpan.FromSeconds(10);

    private readonly MessageLogStore _log;
    private readonly ConfigurationClient _configuration;
    private readonly Func<SecurityServerId?> _serverId;
    private readonly HttpClient _http;
    private readonly WitnessingMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _witnessedSize = -1;

    /// <summary>Creates the job.</summary>
    /// <param name="log">This server's message log.</param>
    /// <param name="configuration">The global configuration (management service address) and the anchor (statement signers).</param>
    /// <param name="serverId">This server's id; null until <c>serverconf.json</c> exists.</param>
    /// <param name="http">The client for the Central Server.</param>
    /// <param name="metrics">Where failures are counted.</param>
    /// <param name="interval">Time between passes.</param>
    /// <param name="requestTimeout">The longest one request to the Central Server may take.</param>
    /// <param name="time">The clock for the interval.</param>
    /// <param name="logger">Where outcomes are logged.</param>
    public Witnessing(
        MessageLogStore log,
        ConfigurationClient configuration,
        Func<SecurityServerId?> serverId,
        HttpClient http,
        WitnessingMetrics metrics,
        TimeSpan interval,
        TimeSpan requestTimeout,
        TimeProvider time,
        ILogger<Witnessing> logger)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(serverId);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(requestTimeout, TimeSpan.Zero);
        _log = log;
        _configuration = configuration;
        _serverId = serverId;
        _http = http;
        _metrics = metrics;
        Interval = interval;
        RequestTimeout = requestTimeout;
        _time = time;
        _logger = logger;
        metrics.ObserveWitnessedSize(() => Interlocked.Read(ref _witnessedSize) is var size and >= 0 ? size : null);
    }

    /// <summary>Time between passes.</summary>
    public TimeSpan Interval { get; }

    /// <summary>The longest one request to the Central Server may take.</summary>
    public TimeSpan RequestTimeout { get; }

    /// <summary>The witness endpoints' base (<c>{origin}/witness/v1/</c>) for a management service address.</summary>
    /// <exception cref="UriFormatException">The address is not an absolute URL.</exception>
    public static Uri WitnessBase(string managementServiceAddress) => new(new Uri(managementServiceAddress, UriKind.Absolute), "/witness/v1/");

    /// <summary>
    /// Runs a pass at once and then every <see cref="Interval"/> until cancelled. While there is nothing to
    /// witness yet (no server id, configuration or stamped checkpoint) it looks again after at most
    /// <see cref="IdleRetry"/>, which costs no request.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _witnessedSize, _log.LatestWitness()?.TreeSize ?? -1);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var outcome = await RunOnceAsync(cancellationToken).ConfigureAwait(false);
                var idle = outcome.Code is null && !outcome.Witnessed;
                await Task.Delay(idle && IdleRetry < Interval ? IdleRetry : Interval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One pass: submit the newest time-stamped checkpoint and store the statement.</summary>
    public async Task<WitnessingOutcome> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (_serverId() is not { } server)
        {
            return Skip("serverconf.json does not exist yet");
        }

        if (!_configuration.TryGetValid(out var configuration))
        {
            return Skip("no valid global configuration");
        }

        if (_log.LastStampedCheckpoint is not { } stamped || _log.GetCheckpoint(stamped.TreeSize) is not { Token: { } token } checkpoint)
        {
            return Skip("no time-stamped checkpoint yet");
        }

        Uri witness;
        try
        {
            witness = WitnessBase(configuration.ManagementServiceAddress);
        }
        catch (UriFormatException ex)
        {
            return Fail(WitnessingCodes.Unreachable, $"The management service address is not a URL: {ex.Message}", checkpoint.TreeSize);
        }

        var anchor = _configuration.Anchor;
        var anchorCertificates = anchor.LoadCertificates();
        try
        {
            var latestUrl = new Uri(witness, $"servers/{Uri.EscapeDataString(server.ToString())}/latest");
            var latest = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, latestUrl), cancellationToken).ConfigureAwait(false);
            WitnessStatement? last = null;
            if (latest.Status == HttpStatusCode.OK)
            {
                var statement = ReadStatement(latest, anchorCertificates, anchor.InstanceId, server);
                if (statement.Failure is { } invalid)
                {
                    return Fail(WitnessingCodes.InvalidStatement, $"The latest statement from {latestUrl}: {invalid}", checkpoint.TreeSize);
                }

                last = statement.Statement;
            }
            else if (!(latest.Status == HttpStatusCode.NotFound && latest.Code == "witness.none"))
            {
                return Fail(latest.Code ?? WitnessingCodes.Unreachable, $"GET {latestUrl}: {latest.Problem}", checkpoint.TreeSize);
            }

            var (proof, mismatch) = ProofFrom(last, checkpoint.TreeSize);
            if (mismatch is not null)
            {
                _metrics.Failed(WitnessingCodes.HistoryMismatch);
                WitnessingLog.HistoryChanged(_logger, WitnessingCodes.HistoryMismatch, mismatch);
            }

            var submitUrl = new Uri(witness, "checkpoints");
            var body = new
            {
                server = server.ToString(),
                checkpoint = Convert.ToBase64String(checkpoint.Content.Span),
                signature = Convert.ToBase64String(checkpoint.Signature.Span),
                timeStampToken = Convert.ToBase64String(token.Span),
                fromSize = last?.TreeSize ?? 0,
                consistency = proof.Select(h => h.ToString()).ToArray(),
            };
            var answer = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, submitUrl) { Content = JsonContent.Create(body) }, cancellationToken).ConfigureAwait(false);
            if (answer.Status != HttpStatusCode.OK)
            {
                var code = answer.Code ?? WitnessingCodes.Unreachable;
                var detail = $"POST {submitUrl} for the checkpoint of {Text(checkpoint.TreeSize)} records: {answer.Problem}";
                return code is "witness.inconsistent" or "witness.rollback"
                    ? Fail(code, mismatch is null ? detail : $"{detail} ({mismatch})", checkpoint.TreeSize, historyChanged: true)
                    : Fail(code, detail, checkpoint.TreeSize);
            }

            var witnessed = ReadStatement(answer, anchorCertificates, anchor.InstanceId, server);
            if (witnessed.Failure is { } refused)
            {
                return Fail(WitnessingCodes.InvalidStatement, $"The statement from {submitUrl}: {refused}", checkpoint.TreeSize);
            }

            var signed = witnessed.Statement!;
            if (signed.TreeSize != checkpoint.TreeSize || signed.RootHash != checkpoint.RootHash)
            {
                return Fail(WitnessingCodes.InvalidStatement, $"The statement from {submitUrl} is about {Text(signed.TreeSize)} records (root {signed.RootHash}), not the checkpoint submitted.", checkpoint.TreeSize);
            }

            var saved = await _log.SaveWitnessAsync(new StoredWitness(signed.TreeSize, signed.WitnessedAt, submitUrl.ToString(), witnessed.Bytes!, witnessed.Signature!), cancellationToken).ConfigureAwait(false);
            if (!saved.IsSuccess)
            {
                return Fail(WitnessingCodes.Unreachable, $"The statement could not be stored: {saved.Message}", checkpoint.TreeSize);
            }

            InterlockedMax(ref _witnessedSize, signed.TreeSize);
            WitnessingLog.Witnessed(_logger, signed.TreeSize, submitUrl.ToString());
            return new WitnessingOutcome(null, $"Witnessed the checkpoint of {Text(signed.TreeSize)} records.", signed.TreeSize) { Witnessed = true };
        }
        finally
        {
            foreach (var certificate in anchorCertificates)
            {
                certificate.Dispose();
            }
        }
    }

    // The proof from what was witnessed to the checkpoint now submitted, and why this log is not the history that
    // was witnessed, if it is not. A log whose checkpoint of the witnessed size has another root still gives its own
    // proof: it is valid for that root, not for the witnessed one, and the Central Server's check says so.
    private (IReadOnlyList<MerkleHash> Proof, string? Mismatch) ProofFrom(WitnessStatement? last, long size)
    {
        if (last is null)
        {
            return ([], null);
        }

        var local = _log.GetCheckpoint(last.TreeSize);
        var mismatch = local is null
            ? $"the Central Server witnessed a checkpoint of {Text(last.TreeSize)} records and this log has none of that size"
            : local.RootHash != last.RootHash
                ? $"the Central Server witnessed root {last.RootHash} for {Text(last.TreeSize)} records and this log's checkpoint of that size has root {local.RootHash}"
                : null;
        if (local is null || last.TreeSize >= size)
        {
            // Equal sizes need no proof; a smaller checkpoint than witnessed has none (the Central Server refuses it as a rollback).
            return ([], mismatch);
        }

        var proof = _log.Proofs.ConsistencyProof(last.TreeSize, size);
        return proof.IsSuccess
            ? (proof.Value!.Proof, mismatch)
            : (Array.Empty<MerkleHash>(), mismatch ?? $"no consistency proof from the witnessed {Text(last.TreeSize)} records to {Text(size)}: {proof.Message}");
    }

    private static (WitnessStatement? Statement, byte[]? Bytes, byte[]? Signature, string? Failure) ReadStatement(
        Answer answer, X509Certificate2[] anchorCertificates, string instanceId, SecurityServerId server)
    {
        byte[] statement;
        byte[] signature;
        try
        {
            using var document = JsonDocument.Parse(answer.Body);
            var root = document.RootElement;
            statement = root.GetProperty("statement").GetBytesFromBase64();
            signature = root.GetProperty("signature").GetBytesFromBase64();
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return (null, null, null, "the answer is not {\"statement\": base64, \"signature\": base64}");
        }

        var verified = WitnessStatementVerifier.Verify(statement, signature, anchorCertificates);
        if (!verified.IsValid)
        {
            return (null, null, null, verified.Message);
        }

        var parsed = verified.Value!;
        if (!string.Equals(parsed.InstanceId, instanceId, StringComparison.Ordinal) || !string.Equals(parsed.ServerId, server.ToString(), StringComparison.Ordinal))
        {
            return (null, null, null, $"the statement is about {parsed.ServerId} in {parsed.InstanceId}, not {server}");
        }

        return (parsed, statement, signature, null);
    }

    private async Task<Answer> SendAsync(Func<HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            using var request = create();
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var body = await ReadBoundedAsync(response.Content, timeout.Token).ConfigureAwait(false);
            if (body is null)
            {
                return new Answer(response.StatusCode, [], null, $"the answer ({(int)response.StatusCode}) is larger than {MaxResponseBytes} bytes");
            }

            if (response.StatusCode == HttpStatusCode.OK)
            {
                return new Answer(response.StatusCode, body, null, null);
            }

            var (code, detail) = Problem(body);
            return new Answer(response.StatusCode, body, code, $"{(int)response.StatusCode} {code ?? "(no code)"}: {detail}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Answer(0, [], null, $"no answer within {RequestTimeout}");
        }
        catch (HttpRequestException ex)
        {
            return new Answer(0, [], null, $"cannot be reached: {ex.Message}");
        }
        catch (IOException ex)
        {
            return new Answer(0, [], null, $"the connection broke: {ex.Message}");
        }
    }

    private static async Task<byte[]?> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxResponseBytes + 1];
            var total = 0;
            while (total < buffer.Length)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer[..total];
                }

                total += read;
            }

            return null;
        }
    }

    // A problem-details body's stable code (only witness.* codes are taken as the Central Server's word) and detail.
    private static (string? Code, string Detail) Problem(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var code = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            var detail = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            return (code is not null && code.StartsWith("witness.", StringComparison.Ordinal) && code.Length <= 64 ? code : null, detail ?? "(no detail)");
        }
        catch (JsonException)
        {
            return (null, "the answer is not a problem document");
        }
    }

    private WitnessingOutcome Skip(string reason)
    {
        WitnessingLog.Skipped(_logger, reason);
        return new WitnessingOutcome(null, reason, null);
    }

    private WitnessingOutcome Fail(string code, string message, long treeSize, bool historyChanged = false)
    {
        _metrics.Failed(code);
        if (historyChanged)
        {
            WitnessingLog.HistoryChanged(_logger, code, message);
        }
        else
        {
            WitnessingLog.Failed(_logger, code, message);
        }

        return new WitnessingOutcome(code, message, treeSize);
    }

    private static void InterlockedMax(ref long location, long value)
    {
        var current = Interlocked.Read(ref location);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record Answer(HttpStatusCode Status, byte[] Body, string? Code, string? Problem);
}
