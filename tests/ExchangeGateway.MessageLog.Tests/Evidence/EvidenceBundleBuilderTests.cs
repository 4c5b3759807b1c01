using ExchangeGateway.MessageLog.Evidence;
using ExchangeGateway.MessageLog.Integration;
using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.MessageLog.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ExchangeGateway.MessageLog.Tests.Evidence;

public sealed class EvidenceBundleBuilderTests : IAsyncLifetime
{
    private EvidenceWorld _world = null!;

    public async Task InitializeAsync()
    {
        _world = await EvidenceWorld.CreateAsync();
        await _world.LogExchangeAsync();
        await _world.CheckpointAsync();
        await _world.LogExchangeAsync(error: true);
        await _world.CheckpointAsync();
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Theory]
    [InlineData(1, 2L)]
    [InlineData(2, 2L)]
    [InlineData(3, 4L)]
    [InlineData(4, 4L)]
    [InlineData(5, null)]
    public void OldestStampedCheckpointCovering_PicksTheSmallestStampedTreeAtOrAboveTheSequence(long sequence, long? expected)
    {
        using var proofs = MessageLogProofs.Open(_world.DatabasePath, TimeSpan.FromSeconds(1));

        Assert.Equal(expected, proofs.OldestStampedCheckpointCovering(sequence)?.TreeSize);
    }

    [Fact]
    public void OldestStampedCheckpointCovering_SkipsUnstampedCheckpoints()
    {
        Execute("UPDATE checkpoint SET token = NULL, stamped_at = NULL WHERE tree_size = 2;");
        using var proofs = MessageLogProofs.Open(_world.DatabasePath, TimeSpan.FromSeconds(1));

        var found = proofs.OldestStampedCheckpointCovering(1);

        Assert.Equal(4, found?.TreeSize);
        Assert.NotNull(found?.Token);
    }

    [Fact]
    public void ErasedBodies_ListsOnlyBodyState1()
    {
        _world.EraseBody(3);
        using var proofs = MessageLogProofs.Open(_world.DatabasePath, TimeSpan.FromSeconds(1));

        Assert.Equal([3L], proofs.ErasedBodies([1, 2, 3, 4, 99]));
    }

    [Fact]
    public void Build_ErrorRecord_HasNoSignedContentAndTheFieldsOfTheRecord()
    {
        var bundle = _world.Bundle(4, 3);

        Assert.Equal([3L, 4L], bundle.Records.Select(r => r.Sequence));
        var error = bundle.Records[1];
        Assert.True(error.SignedContent.IsEmpty);
        Assert.Equal(502, error.Fields!.HttpStatus);
        Assert.Equal("server.service_failed", error.Fields.ErrorCode);
        Assert.Equal(EvidenceBodyState.NotLogged, error.BodyState);
        Assert.Null(error.Body);
        Assert.Equal(56, bundle.Records[0].SignedContent.Length);
        Assert.Equal(4, error.Inclusion.TreeSize);
        Assert.Equal(3, error.Inclusion.LeafIndex);
    }

    [Fact]
    public void Build_UnstampedCheckpoint_Refused()
    {
        Execute("UPDATE checkpoint SET token = NULL, stamped_at = NULL WHERE tree_size = 2;");
        using var proofs = MessageLogProofs.Open(_world.DatabasePath, TimeSpan.FromSeconds(1));
        var proof = proofs.InclusionProof(1, 2).Value!;

        var ex = Assert.Throws<ArgumentException>(() => EvidenceBundleBuilder.Build([_world.Store.Get(1)!], [proof], _world.Trust(), null, _world.Time.GetUtcNow()));

        Assert.StartsWith("Checkpoint 2 is not time-stamped", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ProofsAgainstDifferentCheckpoints_Refused()
    {
        using var proofs = MessageLogProofs.Open(_world.DatabasePath, TimeSpan.FromSeconds(1));

        var ex = Assert.Throws<ArgumentException>(() => EvidenceBundleBuilder.Build(
            [_world.Store.Get(1)!, _world.Store.Get(2)!], [proofs.InclusionProof(1, 2).Value!, proofs.InclusionProof(2, 4).Value!], _world.Trust(), null, _world.Time.GetUtcNow()));

        Assert.StartsWith("Every proof must be against the same checkpoint.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ThreeRecords_Refused()
    {
        using var proofs = MessageLogProofs.Open(_world.DatabasePath, TimeSpan.FromSeconds(1));
        var records = new[] { 1L, 2L, 3L }.Select(s => _world.Store.Get(s)!).ToList();
        var inclusion = new[] { 1L, 2L, 3L }.Select(s => proofs.InclusionProof(s, 4).Value!).ToList();

        Assert.Throws<ArgumentException>(() => EvidenceBundleBuilder.Build(records, inclusion, _world.Trust(), null, _world.Time.GetUtcNow()));
    }

    [Fact]
    public void Build_WitnessForAnotherTreeSize_Refused()
    {
        using var proofs = MessageLogProofs.Open(_world.DatabasePath, TimeSpan.FromSeconds(1));
        var checkpoint = Checkpoint.Parse(proofs.InclusionProof(1, 4).Value!.Checkpoint.Content.Span).Value!;
        var statement = new WitnessStatement(EvidenceWorld.Instance, checkpoint.ServerId, 4, checkpoint.RootHash, checkpoint.CreatedAt, _world.Time.GetUtcNow()).Encode();

        var ex = Assert.Throws<ArgumentException>(() => EvidenceBundleBuilder.Build(
            [_world.Store.Get(1)!], [proofs.InclusionProof(1, 2).Value!], _world.Trust(), (statement, new byte[] { 1 }), _world.Time.GetUtcNow()));

        Assert.StartsWith("The witness statement is not one for checkpoint 2.", ex.Message, StringComparison.Ordinal);
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _world.DatabasePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
