using ExchangeGateway.MessageLog.Storage;
using ExchangeGateway.MessageLog.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExchangeGateway.MessageLog.Tests.Storage;

/// <summary>The <c>witness</c> table through the store: saved through the writer, read back, replaced per size, kept across a reopen.</summary>
public sealed class WitnessStorageTests
{
    [Fact]
    public async Task SaveWitnessAsync_SeveralSizes_LatestIsTheLargestAndAllAreListedInOrder()
    {
        await using var context = new LogTestContext();
        var store = context.OpenStore();
        Assert.Null(store.LatestWitness());
        Assert.Empty(store.Witnesses());

        var at = context.Time.GetUtcNow();
        Assert.True((await store.SaveWitnessAsync(Witness(12, at, 0x12))).IsSuccess);
        Assert.True((await store.SaveWitnessAsync(Witness(5, at.AddMinutes(-5), 0x05))).IsSuccess);

        var latest = store.LatestWitness()!;
        Assert.Equal(12, latest.TreeSize);
        Assert.Equal(at, latest.WitnessedAt);
        Assert.Equal("http://cs.example/witness/v1/checkpoints", latest.WitnessUrl);
        Assert.Equal([0x12, 1], latest.Statement.ToArray());
        Assert.Equal([0x12, 2], latest.Signature.ToArray());
        Assert.Equal([5L, 12L], store.Witnesses().Select(w => w.TreeSize));
    }

    [Fact]
    public async Task SaveWitnessAsync_SameSizeAgain_ReplacesAndSurvivesReopen()
    {
        await using var context = new LogTestContext();
        var store = context.OpenStore();
        var at = context.Time.GetUtcNow();
        await store.SaveWitnessAsync(Witness(7, at, 0x01));
        await store.SaveWitnessAsync(Witness(7, at.AddMinutes(5), 0x02));
        await store.DisposeAsync();

        await using var reopened = MessageLogStore.Open(context.Options(), context.Time, NullLogger.Instance);
        var only = Assert.Single(reopened.Witnesses());
        Assert.Equal(at.AddMinutes(5), only.WitnessedAt);
        Assert.Equal([0x02, 1], only.Statement.ToArray());
    }

    [Fact]
    public async Task SaveWitnessAsync_EmptyStatementOrSize_IsACallerBug()
    {
        await using var context = new LogTestContext();
        var store = context.OpenStore();
        var at = context.Time.GetUtcNow();
        await Assert.ThrowsAsync<ArgumentException>(() => store.SaveWitnessAsync(Witness(3, at, 0x01) with { Statement = ReadOnlyMemory<byte>.Empty }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.SaveWitnessAsync(Witness(0, at, 0x01)));
        Assert.Empty(store.Witnesses());
    }

    private static StoredWitness Witness(long size, DateTimeOffset at, byte tag) =>
        new(size, at, "http://cs.example/witness/v1/checkpoints", new byte[] { tag, 1 }, new byte[] { tag, 2 });
}
