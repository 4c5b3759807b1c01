using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Cms;
using ExchangeGateway.Common.Crypto.TimeStamping;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Records;
using static System.FormattableString;

namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>
/// Checks an <see cref="EvidenceBundle"/> with nothing but its own content and, optionally, the auditor's
/// anchor. Every check is made and reported, whatever failed before it (a failure names the first bad item:
/// the record sequence, the tree size, or the certificate), in this order:
/// <c>trust.anchor</c>, <c>trust.configuration</c>, <c>trust.certificates</c>; per record N
/// <c>record.N.encoding</c>, <c>record.N.body</c>, <c>record.N.signature</c>, <c>record.N.ocsp</c>,
/// <c>record.N.inclusion</c>; <c>checkpoint.content</c>, <c>checkpoint.signature</c>,
/// <c>checkpoint.timestamp</c>; <c>pair</c> (two records); <c>witness</c> (when present).
/// MessageLog/README.md ("Evidence bundles") says what each establishes. Stateless.
/// </summary>
public static class EvidenceBundleVerifier
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Verifies <paramref name="bundle"/>.</summary>
    /// <param name="bundle">The bundle, as read by <see cref="EvidenceBundleSerializer"/>.</param>
    /// <param name="auditorAnchor">The auditor's anchor file; null to use the bundle's (its SHA-256 is reported).</param>
    /// <param name="time">The clock that rejects time-stamps from the future; the system clock when null.</param>
    public static EvidenceReport Verify(EvidenceBundle bundle, ReadOnlyMemory<byte>? auditorAnchor = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var checks = new List<EvidenceCheck>();
        var trust = EvidenceTrustVerifier.Verify(bundle.Trust, auditorAnchor, checks);

        var parsed = Checkpoint.Parse(bundle.Checkpoint.Content.Span);
        var checkpoint = parsed.Success ? parsed.Value : null;

        var decoded = new List<(long Sequence, MessageRecord? Record)>();
        foreach (var r in bundle.Records)
        {
            checks.Add(EvidenceRecordChecks.Encoding(r, out var record));
            checks.Add(EvidenceRecordChecks.Body(r, record));
            checks.Add(EvidenceRecordChecks.Signature(r, record, trust, out var chain));
            checks.Add(EvidenceRecordChecks.Ocsp(r, record, trust, chain));
            checks.Add(EvidenceRecordChecks.Inclusion(r, checkpoint));
            decoded.Add((r.Sequence, record));
        }

        checks.Add(CheckContent(bundle, checkpoint, parsed.Message));
        checks.Add(CheckSignature(bundle, checkpoint, trust));
        checks.Add(CheckTimeStamp(bundle, checkpoint, trust, time, decoded));
        if (decoded.Count == 2)
        {
            checks.Add(CheckPair(decoded[0], decoded[1]));
        }

        if (bundle.Witness is { } witness)
        {
            checks.Add(CheckWitness(bundle, witness, checkpoint, trust));
        }

        return new EvidenceReport(bundle.Describe(), checks);
    }

    private static EvidenceCheck CheckContent(EvidenceBundle bundle, Checkpoint? checkpoint, string? problem)
    {
        const string Name = "checkpoint.content";
        if (checkpoint is null)
        {
            return new EvidenceCheck(Name, false, $"checkpoint: {problem}");
        }

        var size = checkpoint.TreeSize;
        if (!string.Equals(checkpoint.ServerId, bundle.Server, StringComparison.Ordinal))
        {
            return Fail(Name, size, $"names server {checkpoint.ServerId}, the bundle {bundle.Server}");
        }

        if (!SecurityServerId.TryParse(checkpoint.ServerId).Success)
        {
            return Fail(Name, size, $"the server id '{checkpoint.ServerId}' is not a security server identifier");
        }

        if (bundle.Records.FirstOrDefault(r => r.Sequence > size) is { } uncovered)
        {
            return Fail(Name, size, Invariant($"does not cover record {uncovered.Sequence}"));
        }

        return Pass(Name, size, Invariant($"server {checkpoint.ServerId}, tree size {size}, root {checkpoint.RootHash}, made {LogTime.Format(checkpoint.CreatedAt)}"));
    }

    private static EvidenceCheck CheckSignature(EvidenceBundle bundle, Checkpoint? checkpoint, ResolvedTrust? trust)
    {
        const string Name = "checkpoint.signature";
        if (checkpoint is null)
        {
            return new EvidenceCheck(Name, false, "checkpoint: not verified: the checkpoint does not parse");
        }

        var size = checkpoint.TreeSize;
        if (trust?.Cms is not { } cms)
        {
            return Fail(Name, size, "not verified: there is no trusted configuration with an approved CA");
        }

        var verified = cms.Verify(bundle.Checkpoint.Signature.Span, bundle.Checkpoint.Content.Span, checkpoint.CreatedAt, CertificatePurpose.Signing);
        if (!verified.IsValid)
        {
            return Fail(Name, size, Invariant($"the signature does not verify at {LogTime.Format(checkpoint.CreatedAt)}: {verified}"));
        }

        var info = verified.Value;
        var server = SecurityServerId.TryParse(checkpoint.ServerId);
        if (!server.Success)
        {
            return Fail(Name, size, $"the server id '{checkpoint.ServerId}' names no owner");
        }

        var member = trust.MemberOf(info.Signer, info.Chain);
        if (!member.Success || member.Value != server.Value!.Owner)
        {
            var who = member.Success ? $"member {member.Value}" : "no member";
            return Fail(Name, size, $"signed by {who} (certificate '{info.Signer.Subject}'), not by {server.Value!.Owner}, the owner of server {checkpoint.ServerId}");
        }

        return Pass(Name, size, $"signed by '{info.Signer.Subject}' of member {member.Value}, the owner of server {checkpoint.ServerId}, chained to the approved CA '{info.Chain[^1].Subject}'");
    }

    private static EvidenceCheck CheckTimeStamp(EvidenceBundle bundle, Checkpoint? checkpoint, ResolvedTrust? trust, TimeProvider? time, List<(long Sequence, MessageRecord? Record)> records)
    {
        const string Name = "checkpoint.timestamp";
        var size = checkpoint?.TreeSize;
        if (trust?.TimeStamps is not { } stamps)
        {
            return Result(Name, false, size, "not verified: there is no trusted configuration with an approved TSA");
        }

        var imprint = SHA256.HashData(bundle.Checkpoint.Signature.Span);
        var verified = new TimeStampVerifier(time).Verify(bundle.Checkpoint.TimeStampToken, imprint, HashAlgorithmName.SHA256, stamps);
        if (!verified.IsValid)
        {
            return Result(Name, false, size, $"the time-stamp over SHA-256 {Convert.ToHexStringLower(imprint)} of the checkpoint's signature does not verify: {verified}");
        }

        var info = verified.Value!;
        if (checkpoint is not null && info.GenTime + ClockSkew < checkpoint.CreatedAt)
        {
            return Result(Name, false, size, $"the time-stamp's time {LogTime.Format(info.GenTime)} is before the checkpoint was made ({LogTime.Format(checkpoint.CreatedAt)})");
        }

        // The stamp is the upper bound of when the records existed: a record dated after it lies about its time.
        if (records.FirstOrDefault(r => r.Record is { } record && record.At > info.GenTime + ClockSkew) is { Record: { } late } dated)
        {
            return Result(Name, false, size, Invariant($"record {dated.Sequence} is dated {LogTime.Format(late.At)}, after the time-stamp's time {LogTime.Format(info.GenTime)}"));
        }

        return Result(Name, true, size, $"time-stamped {LogTime.Format(info.GenTime)} by the approved TSA '{info.TsaCertificate.Subject}' (token serial {info.SerialNumberHex}) over SHA-256 {Convert.ToHexStringLower(imprint)} of the checkpoint's signature: the records existed by then");
    }

    private static EvidenceCheck CheckPair((long Sequence, MessageRecord? Record) first, (long Sequence, MessageRecord? Record) second)
    {
        const string Name = "pair";
        var where = Invariant($"records {first.Sequence} and {second.Sequence}");
        if (first.Record is not { } a || second.Record is not { } b)
        {
            return new EvidenceCheck(Name, false, Invariant($"{where}: not checked: record {(first.Record is null ? first.Sequence : second.Sequence)} does not decode"));
        }

        string? problem = null;
        if (a.RequestId != b.RequestId)
        {
            problem = Invariant($"their request ids differ ({a.RequestId:D}, {b.RequestId:D})");
        }
        else if (!string.Equals(a.MessageId, b.MessageId, StringComparison.Ordinal))
        {
            problem = $"their message ids differ ('{a.MessageId}', '{b.MessageId}')";
        }
        else if (a.Kind != RecordKind.Request || b.Kind != RecordKind.Response)
        {
            problem = "they are not a request followed by its response";
        }
        else if (a.Side != b.Side)
        {
            problem = "they were logged by different proxies of the server (client side and server side)";
        }
        else if (!string.Equals(a.ClientId, b.ClientId, StringComparison.Ordinal) || !string.Equals(a.ServiceId, b.ServiceId, StringComparison.Ordinal))
        {
            problem = "they name different clients or services";
        }

        return problem is null
            ? new EvidenceCheck(Name, true, Invariant($"{where}: request and response of exchange {a.RequestId:D} (message id '{a.MessageId}')"))
            : new EvidenceCheck(Name, false, $"{where}: {problem}");
    }

    private static EvidenceCheck CheckWitness(EvidenceBundle bundle, EvidenceWitness witness, Checkpoint? checkpoint, ResolvedTrust? trust)
    {
        const string Name = "witness";
        var size = checkpoint?.TreeSize;
        var parsed = WitnessStatement.Parse(witness.Statement.Span);
        if (!parsed.Success)
        {
            return Result(Name, false, size, parsed.Message!);
        }

        var statement = parsed.Value!;
        if (trust is null)
        {
            return Result(Name, false, size, "not verified: there is no trusted anchor");
        }

        // The Central Server signs statements with its configuration-signing key: the signer must be a
        // certificate of the anchor itself, as for the configuration.
        var anchors = trust.Anchor.LoadCertificates();
        try
        {
            var verified = new CmsSignatureVerifier(new CertificateValidator(anchors, clockSkew: ClockSkew))
                .Verify(witness.Signature.Span, witness.Statement.Span, statement.WitnessedAt, CertificatePurpose.Signing, anchors);
            if (!verified.IsValid)
            {
                return Result(Name, false, size, $"the statement's signature does not verify to the anchor: {verified}");
            }

            if (!anchors.Any(c => c.RawDataMemory.Span.SequenceEqual(verified.Value.Signer.RawDataMemory.Span)))
            {
                return Result(Name, false, size, $"the statement is signed by '{verified.Value.Signer.Subject}', which is not a certificate of the anchor");
            }

            if (checkpoint is null
                || !string.Equals(statement.InstanceId, trust.Configuration.InstanceId, StringComparison.Ordinal)
                || !string.Equals(statement.ServerId, checkpoint.ServerId, StringComparison.Ordinal)
                || statement.TreeSize != checkpoint.TreeSize
                || statement.RootHash != checkpoint.RootHash
                || statement.CheckpointCreatedAt != checkpoint.CreatedAt)
            {
                return Result(Name, false, size, Invariant($"the statement is for {statement.ServerId} tree size {statement.TreeSize} root {statement.RootHash} in instance {statement.InstanceId}, not for the bundle's checkpoint"));
            }

            return Result(Name, true, size, $"the Central Server ('{verified.Value.Signer.Subject}') witnessed this checkpoint at {LogTime.Format(statement.WitnessedAt)}");
        }
        finally
        {
            foreach (var c in anchors)
            {
                c.Dispose();
            }
        }
    }

    private static EvidenceCheck Pass(string name, long size, string message) => Result(name, true, size, message);

    private static EvidenceCheck Fail(string name, long size, string message) => Result(name, false, size, message);

    private static EvidenceCheck Result(string name, bool passed, long? size, string message) =>
        new(name, passed, size is { } s ? Invariant($"checkpoint {s}: {message}") : $"checkpoint: {message}", size);
}
