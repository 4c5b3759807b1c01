using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.CentralServer.Errors;
using ExchangeGateway.CentralServer.Publication;
using ExchangeGateway.CentralServer.Registration;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Common.Crypto.TimeStamping;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.MessageLog.Evidence;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Records;

namespace ExchangeGateway.CentralServer.Witnessing;

/// <summary>
/// Witnesses security servers' message-log checkpoints. A submission is checked in this order, each refusal
/// with its code: every part decodes, the checkpoint parses, names the submitted server and is not empty
/// (<c>witness.invalid_checkpoint</c>); the server is registered (<c>witness.unknown_server</c>); the
/// time-stamp token covers SHA-256 of the signature and is signed by an approved TSA, and the signature
/// verifies with a signing certificate that chained to an approved CA at the token's time and names the
/// server's owner under that CA's profile (<c>witness.invalid_signature</c>); then, against the last
/// witnessed checkpoint: the submission starts from its size (<c>witness.invalid_checkpoint</c>), is not
/// smaller (<c>witness.rollback</c>) and its consistency proof from the last (size, root) verifies
/// (<c>witness.inconsistent</c>). An accepted checkpoint gets a <see cref="WitnessStatement"/> signed with the
/// active configuration-signing key, so the configuration anchor verifies it offline.
/// </summary>
internal sealed class WitnessService
{
    /// <summary>The most hashes a consistency proof may have (2 × 63 covers any 63-bit tree size).</summary>
    public const int MaxProofHashes = 128;

    private const int MaxServerIdLength = 255;

    private readonly Registry _registry;
    private readonly WitnessStore _store;
    private readonly SigningKeyManager _keys;
    private readonly WitnessMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly TimeStampVerifier _stamps;
    private readonly ILogger _log;

    public WitnessService(Registry registry, WitnessStore store, SigningKeyManager keys, WitnessMetrics metrics, TimeProvider time, ILogger<WitnessService> log)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(time);
        _registry = registry;
        _store = store;
        _keys = keys;
        _metrics = metrics;
        _time = time;
        _stamps = new TimeStampVerifier(time);
        _log = log;
    }

    /// <summary>The actor audit entries name for witnessing.</summary>
    public static Actor Actor { get; } = new(null, "witness-service");

    /// <summary>
    /// Checks <paramref name="submission"/> and, when it is accepted, stores and returns the signed statement.
    /// Every refusal is recorded with what was submitted; nothing else changes. The outcome is logged and
    /// counted here, once.
    /// </summary>
    internal Result<SignedStatement> Submit(CheckpointSubmission submission, string remoteAddress)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var decoded = Decode(submission);
        var submitted = decoded.Submitted;
        var checkedSignature = decoded.Failure ?? CheckRegisteredAndSigned(submitted);
        Result<SignedStatement> outcome;
        if (checkedSignature is not null)
        {
            _store.Refuse(submitted, checkedSignature, Actor);
            outcome = checkedSignature;
        }
        else
        {
            // Loaded before the transaction: reading the key touches another database and a file.
            using var signer = _keys.LoadActive();
            outcome = _store.Decide(submitted, last => Decide(submitted, last, signer), Actor);
        }

        Report(submitted, outcome.Failure, remoteAddress);
        return outcome;
    }

    /// <summary>The newest statement for <paramref name="server"/>, or <c>witness.none</c>.</summary>
    internal Result<SignedStatement> Latest(SecurityServerId server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return _store.Latest(server.ToString()) is { } statement
            ? statement
            : new Failure(FailureKind.WitnessNone, $"Nothing has been witnessed for {server}.");
    }

    /// <summary>Every server with a statement or a refusal.</summary>
    internal IReadOnlyList<WitnessedServer> List() => _store.List();

    /// <summary>Refuses a JSON body that is not a submission (<c>witness.invalid_checkpoint</c>); it is recorded like any refusal.</summary>
    internal Failure RefuseUnreadable(string message, string remoteAddress)
    {
        var failure = Invalid(message);
        var submitted = new SubmittedCheckpoint("-");
        _store.Refuse(submitted, failure, Actor);
        Report(submitted, failure, remoteAddress);
        return failure;
    }

    private void Report(SubmittedCheckpoint submitted, Failure? failure, string remoteAddress)
    {
        _metrics.Submitted(failure?.Code);
        if (failure is null)
        {
            WitnessLog.Witnessed(_log, submitted.Server, submitted.Checkpoint!.TreeSize);
        }
        else if (failure.Kind is FailureKind.WitnessInconsistent or FailureKind.WitnessRollback)
        {
            WitnessLog.HistoryChanged(_log, submitted.Server, failure.Code, failure.Message);
        }
        else
        {
            WitnessLog.Refused(_log, submitted.Server, remoteAddress, failure.Code);
        }
    }

    private (SubmittedCheckpoint Submitted, Failure? Failure) Decode(CheckpointSubmission s)
    {
        var submitted = new SubmittedCheckpoint(s.Server.Length > MaxServerIdLength ? s.Server[..MaxServerIdLength] : s.Server)
        {
            FromSize = s.FromSize,
            ConsistencyText = string.Join(',', s.Consistency.Take(MaxProofHashes + 1)),
        };
        var content = Base64(s.Checkpoint);
        var signature = Base64(s.Signature);
        var token = Base64(s.TimeStampToken);
        submitted = submitted with { Content = content, Signature = signature, TimeStampToken = token };
        if (content is null || signature is null || token is null)
        {
            return (submitted, Invalid("checkpoint, signature and timeStampToken must be non-empty base64."));
        }

        var parsed = Checkpoint.Parse(content);
        if (!parsed.Success)
        {
            return (submitted, Invalid($"The checkpoint does not parse: {parsed.Message}."));
        }

        var checkpoint = parsed.Value!;
        submitted = submitted with { Checkpoint = checkpoint };
        if (!string.Equals(checkpoint.ServerId, s.Server, StringComparison.Ordinal))
        {
            return (submitted, Invalid($"The checkpoint names {checkpoint.ServerId}, not {submitted.Server}."));
        }

        if (checkpoint.TreeSize == 0)
        {
            return (submitted, Invalid("An empty checkpoint witnesses nothing."));
        }

        if (s.FromSize < 0)
        {
            return (submitted, Invalid("fromSize must not be negative."));
        }

        if (s.Consistency.Count > MaxProofHashes)
        {
            return (submitted, Invalid($"A consistency proof has at most {MaxProofHashes} hashes."));
        }

        var proof = new MerkleHash[s.Consistency.Count];
        for (var i = 0; i < proof.Length; i++)
        {
            if (!TryHash(s.Consistency[i], out proof[i]))
            {
                return (submitted, Invalid($"consistency[{Text(i)}] is not 64 lower-case hex digits."));
            }
        }

        return (submitted with { Consistency = proof }, null);
    }

    private Failure? CheckRegisteredAndSigned(SubmittedCheckpoint submitted)
    {
        var checkpoint = submitted.Checkpoint!;
        var instance = _registry.InstanceId;
        var parsedId = SecurityServerId.TryParse(checkpoint.ServerId);
        var serverId = parsedId.Success ? parsedId.Value! : null;
        if (serverId is null
            || !string.Equals(serverId.ToString(), checkpoint.ServerId, StringComparison.Ordinal)
            || !string.Equals(serverId.Owner.Instance, instance, StringComparison.Ordinal))
        {
            return new Failure(FailureKind.WitnessUnknownServer, $"{checkpoint.ServerId} is not the canonical id of a security server of instance {instance}.");
        }

        var (registered, cas, tsas) = _registry.Read(r => (r.SecurityServer(serverId) is not null, r.CertificationAuthorities(), r.TimestampingAuthorities()));
        if (!registered)
        {
            return new Failure(FailureKind.WitnessUnknownServer, $"{serverId} is not a registered security server.");
        }

        // The token first: its genTime is when the signature demonstrably existed, so the signer's
        // certificate is judged at that time, as an auditor would years later.
        var stamped = VerifyTimeStamp(submitted.Signature!, submitted.TimeStampToken!, tsas);
        if (!stamped.Success)
        {
            return stamped.Failure;
        }

        using var trust = ApprovedCaTrust.Create(cas);
        if (trust is null)
        {
            return new Failure(FailureKind.WitnessInvalidSignature, "No certification authority is approved; no signature can be trusted.");
        }

        var signed = trust.VerifyMemberSignature(submitted.Signature!, submitted.Content!, stamped.Value, instance, "The checkpoint signature");
        if (!signed.Success)
        {
            return new Failure(FailureKind.WitnessInvalidSignature, signed.Failure.Message);
        }

        return signed.Value.Member == serverId.Owner
            ? null
            : new Failure(FailureKind.WitnessInvalidSignature, $"The checkpoint's signing certificate does not name {serverId.Owner}, the owner of {serverId}.");
    }

    private Result<DateTimeOffset> VerifyTimeStamp(byte[] signature, byte[] token, System.Collections.Immutable.ImmutableArray<ApprovedTsa> tsas)
    {
        if (tsas.IsEmpty)
        {
            return new Failure(FailureKind.WitnessInvalidSignature, "No time-stamping authority is approved; no time-stamp can be trusted.");
        }

        // Approved TSA certificates are trusted as listed, as security servers trust them (MessageLog/README.md).
        X509Certificate2[] certificates = [.. tsas.Select(t => X509CertificateLoader.LoadCertificate(t.Certificate.AsSpan()))];
        try
        {
            var trust = new TimeStampTrust(new CertificateValidator(certificates), certificates);
            var verified = _stamps.Verify(token, SHA256.HashData(signature), HashAlgorithmName.SHA256, trust);
            return verified.IsValid
                ? verified.Value!.GenTime
                : new Failure(FailureKind.WitnessInvalidSignature, $"The time-stamp token does not verify over SHA-256 of the checkpoint signature with an approved TSA: {verified.Message}");
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }

    private Result<SignedStatement> Decide(SubmittedCheckpoint submitted, LastWitness? last, X509Certificate2 signer)
    {
        var checkpoint = submitted.Checkpoint!;
        var fromSize = submitted.FromSize!.Value;
        var proof = submitted.Consistency!;
        var lastSize = last?.TreeSize ?? 0;
        if (fromSize != lastSize)
        {
            // Not evidence of anything: the server asked before another submission was accepted. It asks again.
            return Invalid($"fromSize {Text(fromSize)} is not the size last witnessed for {checkpoint.ServerId} ({Text(lastSize)}); fetch the latest statement and submit again.");
        }

        if (checkpoint.TreeSize < lastSize)
        {
            return new Failure(FailureKind.WitnessRollback, $"The checkpoint has {Text(checkpoint.TreeSize)} records, fewer than the {Text(lastSize)} witnessed for {checkpoint.ServerId}: a log never shrinks.");
        }

        if (last is { } previous)
        {
            var consistent = MerkleProofs.VerifyConsistency(previous.TreeSize, checkpoint.TreeSize, previous.RootHash, checkpoint.RootHash, proof);
            if (!consistent.IsValid)
            {
                return new Failure(
                    FailureKind.WitnessInconsistent,
                    $"The checkpoint of {Text(checkpoint.TreeSize)} records (root {checkpoint.RootHash}) does not extend the witnessed checkpoint of {Text(previous.TreeSize)} records (root {previous.RootHash}): {consistent.Message}");
            }
        }
        else if (proof.Length != 0)
        {
            return Invalid("Nothing was witnessed for this server yet: the consistency proof must be empty.");
        }

        var now = LogTime.Truncate(_time.GetUtcNow());
        var statement = new WitnessStatement(_registry.InstanceId, checkpoint.ServerId, checkpoint.TreeSize, checkpoint.RootHash, checkpoint.CreatedAt, now).Encode();
        return new SignedStatement(statement, CmsDetachedSigner.Sign(statement, signer, now)) { WitnessedAt = now };
    }

    private static byte[]? Base64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) && written > 0 ? buffer[..written] : null;
    }

    private static bool TryHash(string text, out MerkleHash hash)
    {
        hash = default;
        if (text.Length != 2 * MerkleHash.SizeInBytes || text.Any(c => c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f'))))
        {
            return false;
        }

        hash = new MerkleHash(Convert.FromHexString(text));
        return true;
    }

    private static Failure Invalid(string message) => new(FailureKind.WitnessInvalidCheckpoint, message);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
