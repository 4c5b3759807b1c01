using BenchmarkDotNet.Attributes;
using ExchangeGateway.Common.Crypto.Merkle;

namespace ExchangeGateway.Benchmarks;

/// <summary>
/// RFC 6962 tree operations at message-log scale: appends to, and proofs from, a tree of about a million
/// leaves. Run with <c>--filter '*Merkle*' --job short</c>.
/// </summary>
/// <remarks>
/// The append benchmarks grow the tree with every invocation, so the invocation count is fixed: with the
/// default count BenchmarkDotNet would append tens of millions of leaves and hold gigabytes.
/// </remarks>
[MemoryDiagnoser]
[InvocationCount(InvocationsPerIteration)]
public class MerkleBenchmarks
{
    private const int InvocationsPerIteration = 1 << 16;

    // Not a power of two, so roots and proofs include the ragged right edge.
    private const int TreeSize = 1_000_000;
    private const long OldSize = 737_913;
    private const long LeafIndex = 271_829;

    private readonly byte[] _leafData = new byte[32];
    private MerkleTree _tree = null!;
    private MerkleHash _leafHash;
    private MerkleHash _root;
    private MerkleHash _oldRoot;
    private MerkleHash[] _inclusionProof = null!;
    private MerkleHash[] _consistencyProof = null!;

    [GlobalSetup]
    public void Setup()
    {
        _tree = new MerkleTree();
        Span<byte> data = stackalloc byte[sizeof(int)];
        for (var i = 0; i < TreeSize; i++)
        {
            BitConverter.TryWriteBytes(data, i);
            _tree.Append(data);
        }

        _leafHash = _tree.GetLeafHash(LeafIndex);
        _root = _tree.RootHashAt(TreeSize);
        _oldRoot = _tree.RootHashAt(OldSize);
        _inclusionProof = _tree.GetInclusionProof(LeafIndex, TreeSize);
        _consistencyProof = _tree.GetConsistencyProof(OldSize, TreeSize);
    }

    /// <summary>One leaf of 32 bytes of data (a record digest): leaf hash plus the nodes it completes.</summary>
    [Benchmark]
    public long Append() => _tree.Append(_leafData);

    /// <summary>One precomputed leaf hash: only the nodes it completes.</summary>
    [Benchmark]
    public long AppendLeafHash() => _tree.AppendLeafHash(_leafHash);

    [Benchmark]
    public MerkleHash RootHashAt() => _tree.RootHashAt(TreeSize);

    [Benchmark]
    public MerkleHash[] GetInclusionProof() => _tree.GetInclusionProof(LeafIndex, TreeSize);

    [Benchmark]
    public bool VerifyInclusion() =>
        MerkleProofs.VerifyInclusion(_leafHash, LeafIndex, TreeSize, _inclusionProof, _root).IsValid;

    [Benchmark]
    public MerkleHash[] GetConsistencyProof() => _tree.GetConsistencyProof(OldSize, TreeSize);

    [Benchmark]
    public bool VerifyConsistency() =>
        MerkleProofs.VerifyConsistency(OldSize, TreeSize, _oldRoot, _root, _consistencyProof).IsValid;
}
