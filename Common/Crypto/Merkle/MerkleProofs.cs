using System.Numerics;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.Common.Crypto.Merkle;

/// <summary>
/// Stateless verifiers for RFC 6962 inclusion and consistency proofs, shared by the security server and
/// the auditor's offline tool. Every input may come from an attacker: bad input gives a failed
/// <see cref="VerificationResult"/> that names what was wrong, never an exception.
/// </summary>
/// <remarks>
/// The checks are those of RFC 9162 §2.1.3.2 and §2.1.4.2 (which fix the verification algorithms that
/// RFC 6962 left implicit). Instead of detecting a wrong proof length inside the hashing loop, as the RFC's
/// step-by-step form does, the expected length is computed first from the index and sizes, so that a
/// malformed proof is reported as such and costs no hashing.
/// </remarks>
public static class MerkleProofs
{
    /// <summary>
    /// Checks that <paramref name="leafHash"/> is leaf <paramref name="index"/> of the tree of
    /// <paramref name="size"/> leaves whose root is <paramref name="root"/> (RFC 9162 §2.1.3.2).
    /// </summary>
    /// <remarks>
    /// The size decides only the proof's shape; it is not hashed into the root. A proof can therefore also
    /// verify for a neighbouring size of the same shape, so <paramref name="size"/> and <paramref name="root"/>
    /// must come together from one signed checkpoint.
    /// </remarks>
    /// <returns>Valid, or <see cref="TrustFailure.ProofInvalid"/> naming the bad index, size, proof length or root.</returns>
    public static VerificationResult VerifyInclusion(
        in MerkleHash leafHash, long index, long size, ReadOnlySpan<MerkleHash> proof, in MerkleHash root)
    {
        var computed = RootFromInclusionProof(leafHash, index, size, proof);
        if (!computed.IsValid)
        {
            return computed.ToResult();
        }

        return computed.Value == root
            ? VerificationResult.Ok
            : VerificationResult.Fail(
                TrustFailure.ProofInvalid,
                $"Root mismatch: the inclusion proof for leaf {index} in a tree of size {size} gives root {computed.Value}, not the expected {root}.");
    }

    /// <summary>
    /// The root that an inclusion proof leads to from <paramref name="leafHash"/> at <paramref name="index"/>
    /// in a tree of <paramref name="size"/> leaves, for callers that look the root up afterwards (for example
    /// among signed checkpoints). The proof is only meaningful once that root is compared with a trusted one.
    /// </summary>
    /// <returns>The computed root, or <see cref="TrustFailure.ProofInvalid"/> when the index, size or proof length is impossible.</returns>
    public static VerificationResult<MerkleHash> RootFromInclusionProof(
        in MerkleHash leafHash, long index, long size, ReadOnlySpan<MerkleHash> proof)
    {
        if (index < 0 || size < 0)
        {
            return VerificationResult<MerkleHash>.Fail(
                TrustFailure.Malformed, $"Negative leaf index ({index}) or tree size ({size}).");
        }

        if (size == 0)
        {
            return VerificationResult<MerkleHash>.Fail(
                TrustFailure.ProofInvalid, $"Wrong size: a tree of size 0 has no leaf {index}.");
        }

        if (index >= size)
        {
            return VerificationResult<MerkleHash>.Fail(
                TrustFailure.ProofInvalid, $"Wrong index: leaf {index} is not in a tree of size {size}.");
        }

        var leaf = (ulong)index;
        var inner = MerkleProofShape.InnerLevels(leaf, (ulong)size);
        var expected = inner + MerkleProofShape.BorderCount(leaf, inner);
        if (proof.Length != expected)
        {
            return VerificationResult<MerkleHash>.Fail(
                TrustFailure.ProofInvalid,
                $"Proof length: the inclusion proof has {proof.Length} hashes, but leaf {index} in a tree of size {size} needs {expected}.");
        }

        // Below the join with the right edge the index bit says on which side the sibling is; above it every
        // sibling is on the left (see MerkleProofShape).
        var hash = leafHash;
        for (var level = 0; level < inner; level++)
        {
            hash = ((leaf >> level) & 1) == 0
                ? MerkleHasher.HashChildren(hash, proof[level])
                : MerkleHasher.HashChildren(proof[level], hash);
        }

        for (var i = inner; i < proof.Length; i++)
        {
            hash = MerkleHasher.HashChildren(proof[i], hash);
        }

        return VerificationResult<MerkleHash>.Ok(hash);
    }

    /// <summary>
    /// Checks that the tree of <paramref name="newSize"/> leaves with root <paramref name="newRoot"/> extends
    /// the tree of <paramref name="oldSize"/> leaves with root <paramref name="oldRoot"/>: nothing removed or
    /// rewritten (RFC 9162 §2.1.4.2).
    /// </summary>
    /// <remarks>
    /// Equal sizes need an empty proof and equal roots. An old size of 0 needs an empty proof and the
    /// empty-tree root as the old root: every tree extends the empty tree, but a checkpoint of size 0 with
    /// any other root is not a tree head.
    /// </remarks>
    /// <returns>Valid, or <see cref="TrustFailure.ProofInvalid"/> naming the bad size, proof length or root.</returns>
    public static VerificationResult VerifyConsistency(
        long oldSize, long newSize, in MerkleHash oldRoot, in MerkleHash newRoot, ReadOnlySpan<MerkleHash> proof)
    {
        if (oldSize < 0 || newSize < 0)
        {
            return VerificationResult.Fail(
                TrustFailure.Malformed, $"Negative tree size (old {oldSize}, new {newSize}).");
        }

        if (oldSize > newSize)
        {
            return VerificationResult.Fail(
                TrustFailure.ProofInvalid, $"Wrong size: the old size {oldSize} is larger than the new size {newSize}; a log never shrinks.");
        }

        if (oldSize == 0 || oldSize == newSize)
        {
            return VerifyTrivialConsistency(oldSize, newSize, oldRoot, newRoot, proof);
        }

        var old = (ulong)oldSize;
        var expected = MerkleProofShape.ConsistencyLength(old, (ulong)newSize);
        if (proof.Length != expected)
        {
            return VerificationResult.Fail(
                TrustFailure.ProofInvalid,
                $"Proof length: the consistency proof has {proof.Length} hashes, but sizes {oldSize} to {newSize} need {expected}.");
        }

        // Start from the old tree's rightmost complete subtree (given first, or the old root itself when the
        // old size is a power of two) and climb its path in the new tree. Every sibling contributes to the
        // new root; only left siblings also belong to the old tree, so they alone rebuild the old root.
        var last = old - 1;
        var shift = BitOperations.TrailingZeroCount(old);
        var inner = MerkleProofShape.InnerLevels(last, (ulong)newSize);
        var next = 0;
        var seed = BitOperations.IsPow2(old) ? oldRoot : proof[next++];
        var oldHash = seed;
        var newHash = seed;
        for (var level = shift; level < inner; level++)
        {
            var sibling = proof[next++];
            if (((last >> level) & 1) == 1)
            {
                oldHash = MerkleHasher.HashChildren(sibling, oldHash);
                newHash = MerkleHasher.HashChildren(sibling, newHash);
            }
            else
            {
                newHash = MerkleHasher.HashChildren(newHash, sibling);
            }
        }

        for (; next < proof.Length; next++)
        {
            oldHash = MerkleHasher.HashChildren(proof[next], oldHash);
            newHash = MerkleHasher.HashChildren(proof[next], newHash);
        }

        if (oldHash != oldRoot)
        {
            return VerificationResult.Fail(
                TrustFailure.ProofInvalid,
                $"Old root mismatch: the consistency proof from size {oldSize} to {newSize} gives old root {oldHash}, not the expected {oldRoot}.");
        }

        if (newHash != newRoot)
        {
            return VerificationResult.Fail(
                TrustFailure.ProofInvalid,
                $"New root mismatch: the consistency proof from size {oldSize} to {newSize} gives new root {newHash}, not the expected {newRoot}.");
        }

        return VerificationResult.Ok;
    }

    private static VerificationResult VerifyTrivialConsistency(
        long oldSize, long newSize, in MerkleHash oldRoot, in MerkleHash newRoot, ReadOnlySpan<MerkleHash> proof)
    {
        if (proof.Length != 0)
        {
            return VerificationResult.Fail(
                TrustFailure.ProofInvalid,
                $"Proof length: the consistency proof has {proof.Length} hashes, but sizes {oldSize} to {newSize} need none.");
        }

        if (oldSize == 0 && oldRoot != MerkleHasher.EmptyRoot)
        {
            return VerificationResult.Fail(
                TrustFailure.ProofInvalid,
                $"Old root mismatch: a tree of size 0 has root {MerkleHasher.EmptyRoot}, not {oldRoot}.");
        }

        if (oldSize == newSize && oldRoot != newRoot)
        {
            return VerificationResult.Fail(
                TrustFailure.ProofInvalid,
                $"Root mismatch: two trees of size {oldSize} have different roots {oldRoot} and {newRoot}.");
        }

        return VerificationResult.Ok;
    }
}
