using System.Globalization;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.MessageLog.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.MessageLog.Tests.Storage;

/// <summary>
/// Proofs served from the stored log (issue #7): they verify with Common's <see cref="MerkleProofs"/>
/// against the integrator's signed checkpoints, and an auditor holding those checkpoints and the records'
/// leaf hashes finds the first bad item of a tampered copy.
/// </summary>
public sealed class MessageLogProofsTests : IAsyncLifetime
{
    private static readonly long[] CheckpointSizes = [1, 4, 7, 8, 13, 16, 23];
    private readonly LogTestContext _context = new();

    // What the auditor holds from before any tampering: the signed checkpoints and each record's leaf hash.
    private readonly List<Checkpoint> _signed = [];
    private readonly Dictionary<long, MerkleHash> _leaves = [];

    public async Task InitializeAsync()
    {
        await _context.StartTsaAsync();
        var store = _context.OpenStore();
        var integrator = _context.Integrator(store);
        for (var i = 1; i <= 23; i++)
        {
            var record = i % 2 == 1
                ? SampleRecords.Request(i, _context.Time.GetUtcNow(), logBody: i % 3 != 0)
                : SampleRecords.Response(i - 1, _context.Time.GetUtcNow(), logBody: i % 3 != 0);
            var appended = await store.AppendAsync(record);
            Assert.True(appended.IsSuccess, appended.ToString());
            Assert.Equal(i, appended.Sequence);
            _leaves[i] = store.Get(i)!.LeafHash;
            if (CheckpointSizes.Contains(i))
            {
                _context.Time.Advance(TimeSpan.FromSeconds(1));
                var pass = await integrator.IntegrateOnceAsync();
                Assert.Null(pass.Failure);
                Assert.Equal(i, pass.CreatedCheckpoint);
            }
        }

        foreach (var size in CheckpointSizes)
        {
            var stored = store.GetCheckpoint(size)!;
            _signed.Add(Checkpoint.Parse(stored.Content.Span).GetValueOrThrow());
        }

        await store.DisposeAsync();
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public void InclusionProof_EveryRecordAgainstEveryLaterCheckpoint_VerifiesWithIntegratorRoot()
    {
        using var proofs = MessageLogProofs.Open(_context.DatabasePath, TimeSpan.FromSeconds(1));
        var verified = 0;
        foreach (var signed in _signed)
        {
            for (long sequence = 1; sequence <= signed.TreeSize; sequence++)
            {
                var served = proofs.InclusionProof(sequence, signed.TreeSize);
                Assert.True(served.IsSuccess, served.ToString());
                var proof = served.Value!;
                Assert.Equal(_leaves[sequence], proof.LeafHash);
                Assert.Equal(sequence - 1, proof.LeafIndex);
                Assert.Equal(signed.TreeSize, proof.Checkpoint.TreeSize);
                Assert.Equal(signed.RootHash, proof.Checkpoint.RootHash);
                var result = MerkleProofs.VerifyInclusion(proof.LeafHash, proof.LeafIndex, signed.TreeSize, proof.Proof.ToArray(), signed.RootHash);
                Assert.True(result.IsValid, result.ToString());
                verified++;
            }
        }

        Assert.Equal(CheckpointSizes.Sum(), verified);
    }

    [Fact]
    public void InclusionProof_SequenceUsedAsZeroBasedIndex_DoesNotVerify()
    {
        // Guards the numbering: record n is leaf n - 1, so treating the sequence as the index must fail.
        using var proofs = MessageLogProofs.Open(_context.DatabasePath, TimeSpan.FromSeconds(1));
        var proof = proofs.InclusionProof(5, 13).Value!;

        var result = MerkleProofs.VerifyInclusion(proof.LeafHash, 5, 13, proof.Proof.ToArray(), _signed[4].RootHash);

        Assert.False(result.IsValid);
    }

    [Fact]
    public void ConsistencyProof_EveryPairOfCheckpoints_Verifies()
    {
        using var proofs = MessageLogProofs.Open(_context.DatabasePath, TimeSpan.FromSeconds(1));
        var pairs = 0;
        foreach (var older in _signed)
        {
            foreach (var newer in _signed.Where(c => c.TreeSize >= older.TreeSize))
            {
                var served = proofs.ConsistencyProof(older.TreeSize, newer.TreeSize);
                Assert.True(served.IsSuccess, served.ToString());
                Assert.Equal(older.TreeSize, served.Value!.From.TreeSize);
                Assert.Equal(newer.TreeSize, served.Value.To.TreeSize);
                var result = MerkleProofs.VerifyConsistency(older.TreeSize, newer.TreeSize, older.RootHash, newer.RootHash, served.Value.Proof.ToArray());
                Assert.True(result.IsValid, $"{older.TreeSize} -> {newer.TreeSize}: {result}");
                pairs++;
            }
        }

        Assert.Equal(CheckpointSizes.Length * (CheckpointSizes.Length + 1) / 2, pairs);
    }

    [Fact]
    public void Checkpoints_NewestFirstUpToLimit()
    {
        using var proofs = MessageLogProofs.Open(_context.DatabasePath, TimeSpan.FromSeconds(1));

        var newest = proofs.Checkpoints(3);

        Assert.Equal([23L, 16L, 13L], newest.Select(c => c.TreeSize));
        Assert.All(newest, c => Assert.NotNull(c.StampedAt));
        Assert.Equal(CheckpointSizes.Length, proofs.Checkpoints(100).Count);
    }

    [Theory]
    [InlineData(0, 13, MessageLogProofFailure.UnknownSequence, 0)]
    [InlineData(14, 13, MessageLogProofFailure.UnknownSequence, 14)]
    [InlineData(5, 12, MessageLogProofFailure.NotACheckpoint, 12)]
    [InlineData(5, 30, MessageLogProofFailure.NotACheckpoint, 30)]
    [InlineData(1, 0, MessageLogProofFailure.InvalidRange, 0)]
    public void InclusionProof_BadArguments_NamedFailure(long sequence, long treeSize, MessageLogProofFailure failure, long item)
    {
        using var proofs = MessageLogProofs.Open(_context.DatabasePath, TimeSpan.FromSeconds(1));

        var served = proofs.InclusionProof(sequence, treeSize);

        Assert.False(served.IsSuccess);
        Assert.Equal(failure, served.Failure);
        Assert.Equal(item, served.Item);
        Assert.False(string.IsNullOrEmpty(served.Message));
    }

    [Theory]
    [InlineData(13, 7, MessageLogProofFailure.InvalidRange, 13)]
    [InlineData(0, 7, MessageLogProofFailure.InvalidRange, 0)]
    [InlineData(5, 7, MessageLogProofFailure.NotACheckpoint, 5)]
    [InlineData(7, 9, MessageLogProofFailure.NotACheckpoint, 9)]
    public void ConsistencyProof_BadArguments_NamedFailure(long from, long to, MessageLogProofFailure failure, long item)
    {
        using var proofs = MessageLogProofs.Open(_context.DatabasePath, TimeSpan.FromSeconds(1));

        var served = proofs.ConsistencyProof(from, to);

        Assert.False(served.IsSuccess);
        Assert.Equal(failure, served.Failure);
        Assert.Equal(item, served.Item);
    }

    [Fact]
    public void Audit_IntactCopy_FindsNothing()
    {
        var copy = Copy();

        Assert.Null(Audit(copy));
        Assert.Null(Audit(_context.DatabasePath));
    }

    [Fact]
    public void Audit_RewrittenLeafInTheMiddle_NamesThatSequence()
    {
        var copy = Copy();
        LogForgery.ForgeClientIdAndLeaf(copy, 10, "DEV/ORG/99999999/mallory");

        var finding = Audit(copy);

        Assert.NotNull(finding);
        Assert.Equal(("sequence", 10L), (finding.Value.Kind, finding.Value.Item));
        Assert.Null(Audit(_context.DatabasePath));
    }

    [Fact]
    public void Audit_RewrittenLeaf_ProofsAgainstSignedRootFailFromTheFirstCoveringCheckpoint()
    {
        // Without the leaf hashes, the signed roots alone still catch the rewrite, at checkpoint 13.
        var copy = Copy();
        LogForgery.ForgeClientIdAndLeaf(copy, 10, "DEV/ORG/99999999/mallory");

        var finding = Audit(copy, compareLeaves: false);

        Assert.NotNull(finding);
        Assert.Equal(("tree size", 13L), (finding.Value.Kind, finding.Value.Item));
        Assert.Contains("record 1 ", finding.Value.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_DeletedMiddleRecord_NamesThatSequence()
    {
        var copy = Copy();
        Execute(copy, "DELETE FROM record WHERE seq = 10;");

        var finding = Audit(copy);

        Assert.NotNull(finding);
        Assert.Equal(("sequence", 10L), (finding.Value.Kind, finding.Value.Item));
        Assert.Contains("record 10 is missing", finding.Value.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_TwoRecordsSwapped_NamesTheFirst()
    {
        var copy = Copy();
        Execute(copy, "UPDATE record SET seq = -1 WHERE seq = 10; UPDATE record SET seq = 10 WHERE seq = 11; UPDATE record SET seq = 11 WHERE seq = -1;");

        var finding = Audit(copy);

        Assert.NotNull(finding);
        Assert.Equal(("sequence", 10L), (finding.Value.Kind, finding.Value.Item));
    }

    [Fact]
    public void Audit_TruncatedTail_NamesTheFirstMissingSequence()
    {
        var copy = Copy();
        Execute(copy, "DELETE FROM record WHERE seq > 20;");

        var finding = Audit(copy);

        Assert.NotNull(finding);
        Assert.Equal(("sequence", 21L), (finding.Value.Kind, finding.Value.Item));
        Assert.Contains("record 21 is missing", finding.Value.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_ReplacedCheckpointRoot_NamesThatTreeSize()
    {
        var copy = Copy();
        using (var connection = Connect(copy))
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "UPDATE checkpoint SET root_hash = $root WHERE tree_size = 13;";
            cmd.Parameters.AddWithValue("$root", MerkleHasher.HashLeaf("forged"u8).ToArray());
            Assert.Equal(1, cmd.ExecuteNonQuery());
        }

        var finding = Audit(copy);

        Assert.NotNull(finding);
        Assert.Equal(("tree size", 13L), (finding.Value.Kind, finding.Value.Item));
    }

    // The auditor: for each signed checkpoint, oldest first, it asks the server's proofs for every record
    // under it. It checks that the served checkpoint is the signed one, that each served leaf is the leaf
    // it holds (when it holds them), that each proof leads to the signed root, and then that every pair of
    // checkpoints is consistent. Returns the first finding.
    private (string Kind, long Item, string Message)? Audit(string databasePath, bool compareLeaves = true)
    {
        using var proofs = MessageLogProofs.Open(databasePath, TimeSpan.FromSeconds(1));
        foreach (var signed in _signed)
        {
            var served = new List<InclusionProofResult>();
            for (long sequence = 1; sequence <= signed.TreeSize; sequence++)
            {
                var proof = proofs.InclusionProof(sequence, signed.TreeSize);
                if (!proof.IsSuccess)
                {
                    return ("sequence", proof.Item!.Value, proof.Message!);
                }

                if (proof.Value!.Checkpoint.RootHash != signed.RootHash)
                {
                    return ("tree size", signed.TreeSize, $"checkpoint {signed.TreeSize} is served with root {proof.Value.Checkpoint.RootHash}, not the signed {signed.RootHash}");
                }

                if (compareLeaves && proof.Value.LeafHash != _leaves[sequence])
                {
                    return ("sequence", sequence, $"record {sequence} has leaf {proof.Value.LeafHash}, not the logged {_leaves[sequence]}");
                }

                served.Add(proof.Value);
            }

            foreach (var proof in served)
            {
                var result = MerkleProofs.VerifyInclusion(proof.LeafHash, proof.LeafIndex, signed.TreeSize, proof.Proof.ToArray(), signed.RootHash);
                if (!result.IsValid)
                {
                    return ("tree size", signed.TreeSize, $"record {proof.Sequence.ToString(CultureInfo.InvariantCulture)} does not prove into checkpoint {signed.TreeSize}: {result}");
                }
            }
        }

        foreach (var older in _signed)
        {
            foreach (var newer in _signed.Where(c => c.TreeSize > older.TreeSize))
            {
                var proof = proofs.ConsistencyProof(older.TreeSize, newer.TreeSize);
                if (!proof.IsSuccess)
                {
                    return ("tree size", proof.Item!.Value, proof.Message!);
                }

                var result = MerkleProofs.VerifyConsistency(older.TreeSize, newer.TreeSize, older.RootHash, newer.RootHash, proof.Value!.Proof.ToArray());
                if (!result.IsValid)
                {
                    return ("tree size", newer.TreeSize, $"checkpoint {newer.TreeSize} does not extend {older.TreeSize}: {result}");
                }
            }
        }

        return null;
    }

    private string Copy()
    {
        var copy = _context.Directory.File("copy/messagelog.db");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(_context.DatabasePath, copy);
        return copy;
    }

    private static void Execute(string path, string sql)
    {
        using var connection = Connect(path);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        Assert.True(cmd.ExecuteNonQuery() > 0);
    }

    private static SqliteConnection Connect(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        return connection;
    }
}
