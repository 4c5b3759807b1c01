using System.Diagnostics;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.MessageLog.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace ExchangeGateway.MessageLog.Tests.Storage;

/// <summary>
/// The cost of proofs over 100 000 stored leaves (MessageLog/README.md quotes the output): the first proof
/// loads the cache, later ones are lookups. Checked against the in-memory <see cref="MerkleTree"/>.
/// </summary>
public sealed class MessageLogProofsScaleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Records = 100_000;
    private readonly LogTestContext _context = new();
    private readonly MerkleTree _model = new();

    public async Task InitializeAsync()
    {
        await _context.OpenStore().DisposeAsync();

        // Rows written directly: only seq and leaf_hash matter to the proofs, and the store's real
        // appends are covered by MessageLogProofsTests.
        using var connection = new SqliteConnection($"Data Source={_context.DatabasePath};Pooling=False");
        connection.Open();
        using var tx = connection.BeginTransaction();
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO record (seq, leaf_hash, logged_at, side, kind, at, request_id, message_id, client_id, service_id, body_length, body_digest, head, signature, ocsp)
            VALUES ($seq, $leaf, 0, 1, 1, 0, x'00', 'm', 'c', 's', 0, x'00', x'00', x'00', x'00');
            """;
        var seq = cmd.Parameters.Add("$seq", SqliteType.Integer);
        var leaf = cmd.Parameters.Add("$leaf", SqliteType.Blob);
        for (long i = 1; i <= Records; i++)
        {
            var hash = MerkleHasher.HashLeaf(BitConverter.GetBytes(i));
            _model.AppendLeafHash(hash);
            seq.Value = i;
            leaf.Value = hash.ToArray();
            cmd.ExecuteNonQuery();
        }

        foreach (var size in new long[] { Records / 2, Records })
        {
            using var checkpoint = connection.CreateCommand();
            checkpoint.Transaction = tx;
            checkpoint.CommandText = "INSERT INTO checkpoint (tree_size, root_hash, created_at, content, signature, frontier) VALUES ($size, $root, 0, x'00', x'00', x'00');";
            checkpoint.Parameters.AddWithValue("$size", size);
            checkpoint.Parameters.AddWithValue("$root", _model.RootHashAt(size).ToArray());
            checkpoint.ExecuteNonQuery();
        }

        tx.Commit();
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public void Proofs_HundredThousandRecords_MatchTheInMemoryTreeAndAreCheapOnceCached()
    {
        using var proofs = MessageLogProofs.Open(_context.DatabasePath, TimeSpan.FromSeconds(1));

        var first = Stopwatch.StartNew();
        var served = proofs.InclusionProof(1, Records);
        first.Stop();
        Assert.True(served.IsSuccess, served.ToString());
        Assert.Equal(_model.GetInclusionProof(0, Records), served.Value!.Proof);

        const int Samples = 1000;
        var later = Stopwatch.StartNew();
        for (var i = 0; i < Samples; i++)
        {
            var sequence = 1 + ((long)i * 7919 % Records);
            var proof = proofs.InclusionProof(sequence, Records).Value!;
            Assert.True(MerkleProofs.VerifyInclusion(proof.LeafHash, sequence - 1, Records, proof.Proof.ToArray(), _model.RootHash).IsValid);
        }

        later.Stop();
        var consistency = proofs.ConsistencyProof(Records / 2, Records);
        Assert.Equal(_model.GetConsistencyProof(Records / 2, Records), consistency.Value!.Proof);

        output.WriteLine($"first proof (loads {Records} leaves): {first.Elapsed.TotalMilliseconds:F0} ms; later: {later.Elapsed.TotalMilliseconds * 1000 / Samples:F0} µs per proof incl. verification; managed heap {GC.GetTotalMemory(false) / 1_000_000} MB");
    }
}
