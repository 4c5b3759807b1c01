using System.Collections.Immutable;
using System.Text;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.TimeStamping;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.MessageLog.Verification;
using ExchangeGateway.SecurityServer.Admin;
using ExchangeGateway.SecurityServer.Exchange;
using ExchangeGateway.SecurityServer.Hosting;
using ExchangeGateway.SecurityServer.Operations;
using ExchangeGateway.SecurityServer.Registry;
using Microsoft.Extensions.Options;

namespace ExchangeGateway.SecurityServer.Auditing;

/// <summary>
/// Re-verifies the message log while the server runs (issue #7), with <see cref="LogIntegrityVerifier"/>, every
/// <c>SecurityServer:IntegrityCheckInterval</c>, against the trust material of the global configuration in force.
/// </summary>
/// <remarks>
/// <para>
/// Each run has a budget of <see cref="MaxRecordsPerRun"/> records (and the verifier's bounds on checkpoints and
/// body bytes). It first follows the log's growth: from the position verified so far up to the newest checkpoint
/// (after a start, from the stored frontier of the newest checkpoint at least one budget behind, checked against
/// its signed root, so the newest part is re-read and nothing older is assumed). With what is left of the budget
/// it continues a full re-verification from record 1 up to that position, a slice per run, starting over when it
/// gets there: a record changed after it was first verified is found by the next pass of this sweep.
/// </para>
/// <para>
/// A finding (a record that does not hash to its leaf, a missing record, a body that does not match its digest, a
/// checkpoint whose root, signature, signer or time-stamp is wrong, checkpoints that disappeared) sets the state to
/// <see cref="IntegrityState.Failed"/>. A new finding (the state was not failed, or the first bad item or its kind
/// changed) counts once in <c>xgw_messagelog_integrity_failures_total</c>, writes one admin audit entry
/// (<c>message-log.integrity-failure</c>, target the first bad item, outcome the finding's code) and one log line.
/// The state stays failed until a full re-verification that started after the last finding reaches the newest
/// verified record without one (so repairing the log, e.g. restoring it from a copy, clears it; nothing else does),
/// which writes a <c>message-log.integrity-restored</c> audit entry.
/// </para>
/// <para>
/// Runs are skipped (and say why) while the server is not initialised or holds no valid global configuration.
/// Checkpoint signatures must chain to an approved CA, name this server's code, and be made by the owner of the
/// server the checkpoint names; time-stamps must verify against the approved TSAs.
/// </para>
/// </remarks>
public sealed partial class IntegrityMonitor
{
    /// <summary>The most records one run reads (both parts together).</summary>
    public const int MaxRecordsPerRun = LogIntegrityOptions.DefaultMaxRecords;

    /// <summary>The audit action of a new finding.</summary>
    public const string FailureAction = "message-log.integrity-failure";

    /// <summary>The audit action when a full re-verification passes after a finding.</summary>
    public const string RestoredAction = "message-log.integrity-restored";

    /// <summary>The readiness reason while failed (followed by the first bad item and the message).</summary>
    public const string ReadinessReason = "server.messagelog.integrity_failed";

    private readonly MessageLogStore _log;
    private readonly LocalConfigurationStore _local;
    private readonly TrustContextProvider _trust;
    private readonly ExchangeMetrics _metrics;
    private readonly AdminAuditLog _audit;
    private readonly TimeProvider _time;
    private readonly ILogger<IntegrityMonitor> _logger;
    private readonly TimeSpan _interval;
    private readonly Lock _runGate = new();
    private IntegrityStatus _status = new();
    private LogPosition? _head;
    private LogPosition _sweep = LogPosition.Empty;
    private long _stampsVerifiedThrough;
    private long _run;
    private long _sweepStartedRun = 1;
    private long _lastFindingRun;

    /// <summary>Creates the monitor; nothing runs until <see cref="RunAsync"/> or <see cref="RunOnce"/>.</summary>
    public IntegrityMonitor(
        MessageLogStore log,
        LocalConfigurationStore local,
        TrustContextProvider trust,
        ExchangeMetrics metrics,
        AdminAuditLog audit,
        IOptions<SecurityServerOptions> options,
        TimeProvider time,
        ILogger<IntegrityMonitor> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _log = log;
        _local = local;
        _trust = trust;
        _metrics = metrics;
        _audit = audit;
        _time = time;
        _logger = logger;
        _interval = options.Value.IntegrityCheckInterval;
        metrics.ObserveIntegrityOk(() => Volatile.Read(ref _status).State switch
        {
            IntegrityState.Ok => 1,
            IntegrityState.Failed => 0,
            _ => null,
        });
    }

    /// <summary>The latest snapshot.</summary>
    public IntegrityStatus Status => Volatile.Read(ref _status);

    /// <summary>Runs every interval until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_interval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            RunOnce();
        }
    }

    /// <summary>One run (see the remarks); returns the new snapshot.</summary>
    public IntegrityStatus RunOnce()
    {
        lock (_runGate)
        {
            _run++;
            var status = Run();
            Volatile.Write(ref _status, status);
            return status;
        }
    }

    private IntegrityStatus Run()
    {
        var now = _time.GetUtcNow();
        if (_local.Current is not { } local)
        {
            return Skipped(now, "the server is not initialised");
        }

        if (!_trust.TryGet(out var trust) || trust.Cms is null)
        {
            return Skipped(now, "no valid global configuration (or no approved CA) to verify signatures with");
        }

        var options = Options(trust, local.ServerId);
        var path = _log.DatabasePath;
        if (_head is null)
        {
            var newest = _log.GetLatestCheckpoint()?.TreeSize ?? 0;
            var start = LogIntegrityVerifier.Resume(path, newest - MaxRecordsPerRun, options);
            if (!start.IsValid)
            {
                return Found(now, start);
            }

            _head = start.Position;
        }

        var head = LogIntegrityVerifier.Verify(path, _head, options, _stampsVerifiedThrough);
        if (!head.IsValid)
        {
            return Found(now, head);
        }

        _head = head.Position;
        _stampsVerifiedThrough = Math.Max(_stampsVerifiedThrough, head.StampedTreeSize);
        var budget = MaxRecordsPerRun - head.Records;
        DateTimeOffset? fullPass = null;
        var restored = false;
        if (budget > 0 && _sweep.TreeSize < _head.TreeSize)
        {
            // long.MaxValue: the sweep checks the tokens of the checkpoints it passes, not the newest one again.
            var sweep = LogIntegrityVerifier.Verify(path, _sweep, options with { UpTo = _head.TreeSize, MaxRecords = (int)budget }, long.MaxValue);
            if (!sweep.IsValid)
            {
                return Found(now, sweep);
            }

            _sweep = sweep.Position;
        }

        if (_sweep.TreeSize >= _head.TreeSize)
        {
            if (_sweep.RootHash != _head.RootHash)
            {
                return Found(now, new LogIntegrityResult
                {
                    Failure = LogVerificationFailure.RootMismatch,
                    Message = $"records 1 to {_head.TreeSize} now have the root {_sweep.RootHash}, not {_head.RootHash} as when they were verified: a record changed together with its leaf",
                    Position = _sweep,
                });
            }

            fullPass = now;
            _sweep = LogPosition.Empty;

            // Only a pass that began after the last finding clears it: it read every record since.
            restored = _sweepStartedRun > _lastFindingRun && _status.State == IntegrityState.Failed;
            _sweepStartedRun = _run + 1;
            if (restored)
            {
                Restored(now, _status.Finding!);
            }
        }

        var previous = _status;
        var stillFailed = previous.State == IntegrityState.Failed && !restored;
        return previous with
        {
            State = stillFailed ? IntegrityState.Failed : IntegrityState.Ok,
            LastRunAt = now,
            LastRunResult = "ok",
            LastRunMessage = stillFailed ? "no new finding; the log stays failed until a full re-verification passes" : null,
            VerifiedTreeSize = _head.TreeSize,
            FullVerificationPosition = _sweep.TreeSize,
            LastFullVerificationAt = fullPass ?? previous.LastFullVerificationAt,
            Finding = stillFailed ? previous.Finding : null,
        };
    }

    private LogIntegrityOptions Options(TrustContext trust, SecurityServerId server)
    {
        var configuration = trust.Configuration;
        var tsas = configuration.ApprovedTsas.Select(t => t.LoadCertificate()).ToList();
        return new LogIntegrityOptions
        {
            Signatures = trust.Cms!,
            CheckSigner = (checkpoint, signer) => CheckSigner(trust, server, checkpoint, signer),
            TimeStamps = tsas.Count > 0 ? new TimeStampTrust(new CertificateValidator(tsas), tsas) : null,
            MaxRecords = MaxRecordsPerRun,
            Time = _time,
        };
    }

    // The integrator signs each checkpoint with the owner's key under the server id of its time: an owner change
    // keeps the server code and changes the owner, so older checkpoints name the old owner.
    private static string? CheckSigner(TrustContext trust, SecurityServerId server, Checkpoint checkpoint, CmsSignatureInfo signer)
    {
        var named = SecurityServerId.TryParse(checkpoint.ServerId);
        if (!named.Success || !string.Equals(named.Value!.ServerCode, server.ServerCode, StringComparison.Ordinal))
        {
            return $"the checkpoint names server {checkpoint.ServerId}, not this server ({server})";
        }

        var member = trust.MemberOf(signer.Signer, signer.Chain);
        return !member.Success ? $"the signer's member cannot be read: {member.Message}"
            : member.Value != named.Value.Owner ? $"signed by {member.Value}, not by {named.Value.Owner}, the owner of {named.Value}"
            : null;
    }

    private IntegrityStatus Skipped(DateTimeOffset now, string why) => _status with
    {
        LastRunAt = now,
        LastRunResult = "skipped",
        LastRunMessage = why,
    };

    private IntegrityStatus Found(DateTimeOffset now, LogIntegrityResult result)
    {
        _lastFindingRun = _run;
        _sweep = LogPosition.Empty;
        _sweepStartedRun = _run + 1;
        var code = "messagelog.integrity." + SnakeCase(result.Failure.ToString());
        var previous = _status;
        var same = previous.Finding is { } known && known.Code == code && known.Item == result.Item;
        var finding = same ? previous.Finding! : new IntegrityFinding(code, result.Item, result.Sequence, result.CheckpointTreeSize, result.Message!, now);
        if (!same)
        {
            _metrics.RecordIntegrityFailure();
            LogFinding(_logger, code, result.Item, result.Message!);
            Audit(now, FailureAction, result.Item, code);
        }

        return previous with
        {
            State = IntegrityState.Failed,
            LastRunAt = now,
            LastRunResult = "failed",
            LastRunMessage = $"{result.Item}: {result.Message}",
            VerifiedTreeSize = _head?.TreeSize ?? 0,
            FullVerificationPosition = 0,
            Finding = finding,
            Findings = previous.Findings + (same ? 0 : 1),
        };
    }

    private void Restored(DateTimeOffset now, IntegrityFinding finding)
    {
        LogRestored(_logger, finding.Code, finding.Item);
        Audit(now, RestoredAction, "log", AdminAuditEntry.Ok);
    }

    private void Audit(DateTimeOffset now, string action, string target, string outcome)
    {
        try
        {
            _audit.Append(new AdminAuditEntry(now, null, null, ImmutableArray<string>.Empty, action, target, outcome, 0, "-"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogAuditFailed(_logger, action, ex.Message);
        }
    }

    private static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 8);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }

    [LoggerMessage(EventId = 4710, Level = LogLevel.Critical, Message = "Message-log integrity: {Code} at {Item}: {Detail}")]
    private static partial void LogFinding(ILogger logger, string code, string item, string detail);

    [LoggerMessage(EventId = 4711, Level = LogLevel.Warning, Message = "Message-log integrity restored: a full re-verification passed after {Code} at {Item}")]
    private static partial void LogRestored(ILogger logger, string code, string item);

    [LoggerMessage(EventId = 4712, Level = LogLevel.Error, Message = "The integrity monitor could not write the admin audit entry {Action}: {Problem}")]
    private static partial void LogAuditFailed(ILogger logger, string action, string problem);
}
