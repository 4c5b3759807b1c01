using ExchangeGateway.Common.Crypto.Merkle;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace ExchangeGateway.Common.Tests.Crypto.Merkle;

/// <summary>
/// Random sizes and indices over one shared tree: every generated proof verifies, and flipping one bit in
/// any one element makes it fail. Seeded so that a failure reproduces.
/// </summary>
public sealed class MerkleProofPropertyTests
{
    private const int MaxSize = 3000;
    private const int Cases = 500;
    private const ulong Seed = 0x6962_2013;

    private static readonly MerkleTree Tree = MerkleTreeTests.CreateTree(MerkleTreeTests.CreateLeaves(MaxSize));

    private static readonly Config Seeded = Config.QuickThrowOnFailure
        .WithMaxTest(Cases)
        .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(Seed), FSharpOption<int>.None)));

    // Sizes are drawn across the whole range, old sizes and indices below them, plus the bit to flip.
    private static readonly Gen<(int Size, int Index, int OldSize, int Bit)> ProofCases =
        from size in Gen.Choose(1, MaxSize)
        from index in Gen.Choose(0, size - 1)
        from oldSize in Gen.Choose(0, size)
        from bit in Gen.Choose(0, (8 * MerkleHash.SizeInBytes) - 1)
        select (size, index, oldSize, bit);

    [Fact]
    public void VerifyInclusion_GeneratedProofs_ValidAndFailAfterAnyOneBitFlip()
    {
        var property = Prop.ForAll(ProofCases.ToArbitrary(), c =>
        {
            var leaf = Tree.GetLeafHash(c.Index);
            var root = Tree.RootHashAt(c.Size);
            var proof = Tree.GetInclusionProof(c.Index, c.Size);
            if (!MerkleProofs.VerifyInclusion(leaf, c.Index, c.Size, proof, root).IsValid)
            {
                return false;
            }

            for (var element = 0; element < proof.Length; element++)
            {
                var tampered = (MerkleHash[])proof.Clone();
                tampered[element] = MerkleProofsTests.FlipBit(tampered[element], c.Bit);
                if (MerkleProofs.VerifyInclusion(leaf, c.Index, c.Size, tampered, root).IsValid)
                {
                    return false;
                }
            }

            return true;
        });

        Check.One(Seeded, property);
    }

    [Fact]
    public void VerifyConsistency_GeneratedProofs_ValidAndFailAfterAnyOneBitFlip()
    {
        var property = Prop.ForAll(ProofCases.ToArbitrary(), c =>
        {
            var oldRoot = Tree.RootHashAt(c.OldSize);
            var newRoot = Tree.RootHashAt(c.Size);
            var proof = Tree.GetConsistencyProof(c.OldSize, c.Size);
            if (!MerkleProofs.VerifyConsistency(c.OldSize, c.Size, oldRoot, newRoot, proof).IsValid)
            {
                return false;
            }

            for (var element = 0; element < proof.Length; element++)
            {
                var tampered = (MerkleHash[])proof.Clone();
                tampered[element] = MerkleProofsTests.FlipBit(tampered[element], c.Bit);
                if (MerkleProofs.VerifyConsistency(c.OldSize, c.Size, oldRoot, newRoot, tampered).IsValid)
                {
                    return false;
                }
            }

            return true;
        });

        Check.One(Seeded, property);
    }
}
