using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExchangeGateway.Common.Crypto.Batch;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Common.Crypto.X509;
using ExchangeGateway.Common.Exchange;
using ExchangeGateway.Common.Identifiers;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Records;
using static System.FormattableString;

namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>The five checks of one record of a bundle (<see cref="EvidenceBundleVerifier"/>).</summary>
internal static class EvidenceRecordChecks
{
    /// <summary>record.N.encoding: the canonical bytes decode, hold the sequence, agree with the readable copy and the signed head.</summary>
    public static EvidenceCheck Encoding(EvidenceRecord r, out MessageRecord? record)
    {
        record = null;
        var name = Name(r, "encoding");
        var decoded = RecordDecoding.TryDecode(r.Canonical.Span);
        if (!decoded.Success)
        {
            return Fail(r, name, decoded.Message!);
        }

        var (sequence, value) = decoded.Value;
        if (sequence != r.Sequence)
        {
            return Fail(r, name, Invariant($"the canonical bytes hold sequence {sequence}"));
        }

        // The other checks go on with what the canonical bytes hold: they are what the leaf and the signature cover.
        record = value;
        if (r.Fields is { } fields && FirstDifference(fields, EvidenceRecordFields.From(value)) is { } field)
        {
            return Fail(r, name, $"the readable field '{field}' is not what the canonical bytes hold");
        }

        var what = Invariant($"{Side(value)} {Kind(value)} '{value.MessageId}' (request id {value.RequestId:D}) of {value.ClientId} to {value.ServiceId} at {LogTime.Format(value.At)}");
        if (value.Head.IsEmpty)
        {
            return Pass(r, name, $"{what}, HTTP status {Text(value.HttpStatus)}, error code {value.ErrorCode ?? "(none)"}; no signed head");
        }

        var head = SignedHeadView.Decode(value.Head.Span, value.Kind);
        if (!head.Success)
        {
            return Fail(r, name, head.Message!);
        }

        return head.Value!.Disagreement(value) is { } disagreement
            ? Fail(r, name, disagreement)
            : Pass(r, name, $"{what}; its signed {head.Value.Type} head agrees");
    }

    /// <summary>record.N.body: the body, when present, hashes to the logged digest and has the logged length.</summary>
    public static EvidenceCheck Body(EvidenceRecord r, MessageRecord? record)
    {
        var name = Name(r, "body");
        if (record is null)
        {
            return Fail(r, name, "not checked: the canonical bytes do not decode");
        }

        var digest = Convert.ToHexStringLower(record.BodyDigest.Span);
        switch (r.BodyState)
        {
            case EvidenceBodyState.Present when r.Body is not { } body:
                return Fail(r, name, "the body state is 'present' but the bundle holds no body");
            case EvidenceBodyState.Present:
                var bytes = r.Body.Value.Span;
                if (bytes.Length != record.BodyLength)
                {
                    return Fail(r, name, Invariant($"the body is {bytes.Length} bytes, the record says {record.BodyLength}"));
                }

                var actual = SHA512.HashData(bytes);
                return CryptographicOperations.FixedTimeEquals(actual, record.BodyDigest.Span)
                    ? Pass(r, name, Invariant($"body of {bytes.Length} bytes; its SHA-512 is the logged digest {digest}"))
                    : Fail(r, name, $"the body's SHA-512 {Convert.ToHexStringLower(actual)} is not the logged digest {digest}");
            case var state when r.Body is not null:
                return Fail(r, name, $"the body state is '{LogExportJson.StateText(state)}' but the bundle holds a body");
            case EvidenceBodyState.Sealed:
                return Pass(r, name, Invariant($"body kept in an encrypted archive this evidence does not open; the record keeps its SHA-512 {digest} and length {record.BodyLength}"));
            case EvidenceBodyState.Erased:
                return Pass(r, name, Invariant($"body erased by retention; the record keeps its SHA-512 {digest} and length {record.BodyLength}"));
            default:
                return Pass(r, name, Invariant($"body not logged; the record keeps its SHA-512 {digest} and length {record.BodyLength}"));
        }
    }

    /// <summary>
    /// record.N.signature: the batch path and CMS verify over the head, the signer chains to an approved CA at
    /// the record's time, and the signer is the member that must sign this message; returns the signer's
    /// chain when the CMS verified (even when the member is the wrong one).
    /// </summary>
    public static EvidenceCheck Signature(EvidenceRecord r, MessageRecord? record, ResolvedTrust? trust, out IReadOnlyList<X509Certificate2>? chain)
    {
        chain = null;
        var name = Name(r, "signature");
        if (record is null)
        {
            return Fail(r, name, "not checked: the canonical bytes do not decode");
        }

        if (record.Head.IsEmpty && record.Signature.IsEmpty)
        {
            return ErrorRecord(r, name, record);
        }

        if (record.Head.IsEmpty || record.Signature.IsEmpty)
        {
            return Fail(r, name, record.Head.IsEmpty ? "the record has a signature but no head" : "the record has a head but no signature");
        }

        if (trust?.Batch is not { } batches)
        {
            return Fail(r, name, "not verified: there is no trusted configuration with an approved CA");
        }

        var decoded = BatchSignatureEncoding.TryDecode(record.Signature.Span);
        if (!decoded.Success)
        {
            return Fail(r, name, decoded.Message!);
        }

        var batch = decoded.Value!;
        if (!r.SignedContent.Span.SequenceEqual(EvidenceBundleBuilder.SignedContent(record)))
        {
            return Fail(r, name, "signedContent is not the batch root that the head and the batch path lead to");
        }

        var verified = batches.Verify(RequestHash.SigningDigest(record.Head.Span), batch, record.At, CertificatePurpose.Signing);
        if (!verified.IsValid)
        {
            return Fail(r, name, Invariant($"the batch signature (leaf {batch.LeafIndex} of {batch.TreeSize}) does not verify at {LogTime.Format(record.At)}: {verified}"));
        }

        var info = verified.Value!;
        chain = info.Chain;
        var expected = ExpectedSigner(record);
        if (!expected.Success)
        {
            return Fail(r, name, $"the record names no member that must sign it: {expected.Message}");
        }

        var member = trust.MemberOf(info.Signer, info.Chain);
        if (!member.Success)
        {
            return Fail(r, name, $"the signer certificate '{info.Signer.Subject}' names no member: {member.Message}");
        }

        if (member.Value != expected.Value)
        {
            return Fail(r, name, $"signed by member {member.Value} (certificate '{info.Signer.Subject}'), not by {expected.Value}, which signs a {Kind(record)} of this exchange");
        }

        return Pass(r, name, Invariant($"batch signature (leaf {batch.LeafIndex} of {batch.TreeSize}) by '{info.Signer.Subject}' of member {member.Value}, chained to the approved CA '{info.Chain[^1].Subject}', valid at {LogTime.Format(record.At)}"));
    }

    /// <summary>record.N.ocsp: the stapled OCSP response is for exactly the signer certificate, by an approved responder, fresh at the record's time, and good.</summary>
    public static EvidenceCheck Ocsp(EvidenceRecord r, MessageRecord? record, ResolvedTrust? trust, IReadOnlyList<X509Certificate2>? chain)
    {
        var name = Name(r, "ocsp");
        if (record is null)
        {
            return Fail(r, name, "not checked: the canonical bytes do not decode");
        }

        if (record.Head.IsEmpty && record.Signature.IsEmpty)
        {
            return ErrorRecord(r, name, record);
        }

        if (trust is null || chain is null)
        {
            return Fail(r, name, "not verified: the signer certificate did not validate");
        }

        var status = trust.CheckOcsp(record.Ocsp.Span, chain, record.At);
        if (!status.IsValid)
        {
            return Fail(r, name, $"the OCSP response for '{chain[0].Subject}' (serial {chain[0].SerialNumber}): {status}");
        }

        var s = status.Value!;
        return Pass(r, name, Invariant($"good for '{chain[0].Subject}' (serial {chain[0].SerialNumber}), by '{s.ResponderSubject}', produced {LogTime.Format(s.ProducedAt)}, thisUpdate {LogTime.Format(s.ThisUpdate)}, fresh at the record's time {LogTime.Format(record.At)}"));
    }

    /// <summary>record.N.inclusion: the leaf hash of the canonical bytes and the path lead to the checkpoint's root.</summary>
    public static EvidenceCheck Inclusion(EvidenceRecord r, Checkpoint? checkpoint)
    {
        var name = Name(r, "inclusion");
        if (checkpoint is null)
        {
            return Fail(r, name, "not verified: the checkpoint does not parse");
        }

        var proof = r.Inclusion;
        if (proof.TreeSize != checkpoint.TreeSize)
        {
            return Fail(r, name, Invariant($"the proof is for tree size {proof.TreeSize}, the checkpoint's is {checkpoint.TreeSize}"));
        }

        if (proof.LeafIndex != r.Sequence - 1)
        {
            return Fail(r, name, Invariant($"the proof is for leaf {proof.LeafIndex}; record {r.Sequence} is leaf {r.Sequence - 1}"));
        }

        var leaf = MerkleHasher.HashLeaf(r.Canonical.Span);
        var verified = MerkleProofs.VerifyInclusion(leaf, proof.LeafIndex, proof.TreeSize, [.. proof.Path], checkpoint.RootHash);
        return verified.IsValid
            ? Pass(r, name, Invariant($"leaf {leaf} is leaf {proof.LeafIndex} of the checkpoint's tree of {checkpoint.TreeSize} (root {checkpoint.RootHash})"))
            : Fail(r, name, verified.Message!);
    }

    private static EvidenceCheck ErrorRecord(EvidenceRecord r, string name, MessageRecord record)
    {
        if (record.Kind == RecordKind.Response && record.HttpStatus is { } status && !string.IsNullOrEmpty(record.ErrorCode)
            && record.Ocsp.IsEmpty && r.SignedContent.IsEmpty)
        {
            return Pass(r, name, Invariant($"not applicable: error record (HTTP {status}, {record.ErrorCode}); no signed message exists"));
        }

        return Fail(r, name, "the record has no signed head, but it is not an error record (a response with an HTTP status, an error code, and no OCSP response or signed content)");
    }

    private static Common.Results.ParseResult<MemberId> ExpectedSigner(MessageRecord record)
    {
        // A request is signed by the client's member (through the client's security server), a response by
        // the member providing the service.
        if (record.Kind == RecordKind.Request)
        {
            var client = ClientId.TryParse(record.ClientId);
            return client.Success ? Common.Results.ParseResult<MemberId>.Ok(client.Value!.Member) : Common.Results.ParseResult<MemberId>.Fail(client.ErrorCode!, client.Message!);
        }

        var service = ServiceId.TryParse(record.ServiceId);
        return service.Success ? Common.Results.ParseResult<MemberId>.Ok(service.Value!.Client.Member) : Common.Results.ParseResult<MemberId>.Fail(service.ErrorCode!, service.Message!);
    }

    private static string? FirstDifference(EvidenceRecordFields a, EvidenceRecordFields b)
    {
        (string Name, bool Same)[] fields =
        [
            ("side", a.Side == b.Side),
            ("kind", a.Kind == b.Kind),
            ("messageId", a.MessageId == b.MessageId),
            ("requestId", a.RequestId == b.RequestId),
            ("client", a.Client == b.Client),
            ("service", a.Service == b.Service),
            ("at", a.At == b.At),
            ("userId", a.UserId == b.UserId),
            ("httpStatus", a.HttpStatus == b.HttpStatus),
            ("errorCode", a.ErrorCode == b.ErrorCode),
            ("bodyLength", a.BodyLength == b.BodyLength),
            ("bodyDigest", a.BodyDigest == b.BodyDigest),
        ];
        return fields.FirstOrDefault(f => !f.Same).Name;
    }

    private static string Side(MessageRecord record) => record.Side == RecordSide.Client ? "client-side" : "server-side";

    private static string Kind(MessageRecord record) => record.Kind == RecordKind.Request ? "request" : "response";

    private static string Text(int? value) => value is { } v ? Invariant($"{v}") : "(none)";

    private static string Name(EvidenceRecord r, string check) => Invariant($"record.{r.Sequence}.{check}");

    private static EvidenceCheck Pass(EvidenceRecord r, string name, string message) =>
        new(name, true, Invariant($"record {r.Sequence}: {message}"), r.Sequence);

    private static EvidenceCheck Fail(EvidenceRecord r, string name, string message) =>
        new(name, false, Invariant($"record {r.Sequence}: {message}"), r.Sequence);
}
