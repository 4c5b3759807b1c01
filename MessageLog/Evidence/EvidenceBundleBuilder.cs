using ExchangeGateway.Common.Crypto.Batch;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Common.Exchange;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;

namespace ExchangeGateway.MessageLog.Evidence;

/// <summary>
/// Makes an <see cref="EvidenceBundle"/> from what the security server holds: the records (from
/// <see cref="MessageLogStore.Get"/>), their inclusion proofs into one stamped checkpoint (from
/// <see cref="MessageLogProofs.InclusionProof"/>, the checkpoint chosen with
/// <see cref="MessageLogProofs.OldestStampedCheckpointCovering"/>), the trust material of the configuration
/// in force and, when the Central Server witnessed that checkpoint, its statement. It copies and
/// recomputes; it proves nothing (<see cref="EvidenceBundleVerifier"/> does).
/// </summary>
public static class EvidenceBundleBuilder
{
    /// <summary>Builds the bundle.</summary>
    /// <param name="records">One record, or a request and its response.</param>
    /// <param name="proofs">One proof per record (any order), all against the same stamped checkpoint.</param>
    /// <param name="trust">The trust material of the global configuration.</param>
    /// <param name="witness">A Central Server statement for exactly the proofs' checkpoint (same tree size), or null.</param>
    /// <param name="now">When the bundle is made.</param>
    /// <param name="erasedBodies">Sequences whose body retention erased (<see cref="MessageLogProofs.ErasedBodies"/>); a
    /// record without a body that is not listed is marked not logged.</param>
    /// <param name="sealedBodies">Sequences whose body is in an encrypted archive this server cannot open (<see cref="Records.RecordBodyState.Encrypted"/>).</param>
    /// <exception cref="ArgumentException">
    /// Not one or two records, a missing proof, proofs against different or unstamped checkpoints, or a
    /// witness statement that is not for the checkpoint: caller bugs, since the route decides those first.
    /// </exception>
    public static EvidenceBundle Build(
        IReadOnlyList<LoggedRecord> records,
        IReadOnlyList<InclusionProofResult> proofs,
        EvidenceTrust trust,
        (ReadOnlyMemory<byte> Statement, ReadOnlyMemory<byte> Signature)? witness,
        DateTimeOffset now,
        IReadOnlySet<long>? erasedBodies = null,
        IReadOnlySet<long>? sealedBodies = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(proofs);
        ArgumentNullException.ThrowIfNull(trust);
        if (records.Count is < 1 or > 2)
        {
            throw new ArgumentException($"A bundle holds one or two records, not {records.Count}.", nameof(records));
        }

        if (proofs.Count != records.Count)
        {
            throw new ArgumentException($"{records.Count} records need {records.Count} proofs, not {proofs.Count}.", nameof(proofs));
        }

        var stored = proofs[0].Checkpoint;
        if (proofs.Any(p => p.Checkpoint.TreeSize != stored.TreeSize))
        {
            throw new ArgumentException("Every proof must be against the same checkpoint.", nameof(proofs));
        }

        if (stored.Token is not { } token)
        {
            throw new ArgumentException($"Checkpoint {stored.TreeSize} is not time-stamped; a bundle needs a stamped checkpoint.", nameof(proofs));
        }

        var checkpoint = Checkpoint.Parse(stored.Content.Span);
        if (!checkpoint.Success)
        {
            throw new ArgumentException($"Checkpoint {stored.TreeSize} does not parse: {checkpoint.Message}", nameof(proofs));
        }

        EvidenceWitness? witnessed = null;
        if (witness is { } w)
        {
            var statement = WitnessStatement.Parse(w.Statement.Span);
            if (!statement.Success || statement.Value!.TreeSize != stored.TreeSize)
            {
                throw new ArgumentException($"The witness statement is not one for checkpoint {stored.TreeSize}.", nameof(witness));
            }

            witnessed = new EvidenceWitness(w.Statement.ToArray(), w.Signature.ToArray());
        }

        var list = new List<EvidenceRecord>(records.Count);
        foreach (var logged in records.OrderBy(r => r.Sequence))
        {
            var proof = proofs.FirstOrDefault(p => p.Sequence == logged.Sequence)
                ?? throw new ArgumentException($"There is no proof for record {logged.Sequence}.", nameof(proofs));
            var record = logged.Record;
            var state = record.Body is not null
                ? EvidenceBodyState.Present
                : erasedBodies?.Contains(logged.Sequence) == true ? EvidenceBodyState.Erased
                : sealedBodies?.Contains(logged.Sequence) == true ? EvidenceBodyState.Sealed
                : EvidenceBodyState.NotLogged;
            list.Add(new EvidenceRecord(
                logged.Sequence,
                RecordEncoding.Canonical(logged.Sequence, record),
                record.Body is { } body ? body.ToArray() : (ReadOnlyMemory<byte>?)null,
                state,
                SignedContent(record),
                new EvidenceInclusion(stored.TreeSize, proof.LeafIndex, [.. proof.Proof]),
                EvidenceRecordFields.From(record)));
        }

        return new EvidenceBundle(
            now,
            checkpoint.Value!.ServerId,
            list,
            new EvidenceCheckpoint(stored.Content.ToArray(), stored.Signature.ToArray(), token.ToArray(), stored.TsaUrl),
            trust,
            witnessed);
    }

    /// <summary>
    /// The bytes the record's batch CMS covers, recomputed from its head and batch path; empty for an error
    /// record or a signature that does not decode (the verifier reports those).
    /// </summary>
    internal static byte[] SignedContent(MessageRecord record)
    {
        if (record.Head.IsEmpty || record.Signature.IsEmpty)
        {
            return [];
        }

        var decoded = BatchSignatureEncoding.TryDecode(record.Signature.Span);
        if (!decoded.Success)
        {
            return [];
        }

        var batch = decoded.Value!;
        var root = MerkleProofs.RootFromInclusionProof(
            BatchSigner.LeafHash(RequestHash.SigningDigest(record.Head.Span)), batch.LeafIndex, batch.TreeSize, [.. batch.InclusionPath]);
        return root.IsValid ? new BatchRoot(batch.TreeSize, root.Value).ToSignedContent() : [];
    }
}
