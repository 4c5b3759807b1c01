using System.Text;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.MessageLog.Integration;

namespace ExchangeGateway.MessageLog.Tests.Integration;

public sealed class CheckpointTests
{
    private static readonly MerkleHash Root = MerkleHasher.HashLeaf("root"u8);
    private static readonly Checkpoint Sample = new("DEV/GOV/70000001/ss1", 1234, Root, new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1234560));

    [Fact]
    public void Encode_Sample_IsFiveDocumentedLines()
    {
        var text = Encoding.UTF8.GetString(Sample.Encode());

        Assert.Equal($"xgw-message-log-checkpoint/v1\nDEV/GOV/70000001/ss1\n1234\n{Root}\n2026-03-01T12:00:00.123456Z\n", text);
    }

    [Fact]
    public void Parse_Encoded_RoundTrips()
    {
        var parsed = Checkpoint.Parse(Sample.Encode());

        Assert.True(parsed.Success, parsed.Message);
        Assert.Equal(Sample, parsed.Value);
    }

    [Theory]
    [InlineData("xgw-message-log-checkpoint/v1\nDEV/GOV/70000001/ss1\n01234\n{root}\n2026-03-01T12:00:00.123456Z\n")]
    [InlineData("xgw-message-log-checkpoint/v1\nDEV/GOV/70000001/ss1\n+1234\n{root}\n2026-03-01T12:00:00.123456Z\n")]
    [InlineData("xgw-message-log-checkpoint/v1\nDEV/GOV/70000001/ss1\n1234\n{ROOT}\n2026-03-01T12:00:00.123456Z\n")]
    [InlineData("xgw-message-log-checkpoint/v1\nDEV/GOV/70000001/ss1\n1234\n{root}\n2026-03-01T12:00:00.123456Z")]
    [InlineData("xgw-message-log-checkpoint/v1\nDEV/GOV/70000001/ss1\n1234\n{root}\n2026-03-01T12:00:00.123456Z\n\n")]
    [InlineData("xgw-message-log-checkpoint/v1\r\nDEV/GOV/70000001/ss1\n1234\n{root}\n2026-03-01T12:00:00.123456Z\n")]
    [InlineData("xgw-message-log-checkpoint/v2\nDEV/GOV/70000001/ss1\n1234\n{root}\n2026-03-01T12:00:00.123456Z\n")]
    [InlineData("xgw-message-log-checkpoint/v1\nDEV/GOV/70000001/ss1\n1234\n{root}\n2026-03-01T12:00:00.123Z\n")]
    [InlineData("xgw-message-log-checkpoint/v1\nDEV/GOV/70000001/ss1\n1234\n{root}\n2026-03-01 12:00:00.123456Z\n")]
    [InlineData("xgw-message-log-checkpoint/v1\n\n1234\n{root}\n2026-03-01T12:00:00.123456Z\n")]
    public void Parse_NonCanonical_Fails(string template)
    {
        var text = template.Replace("{root}", Root.ToString(), StringComparison.Ordinal).Replace("{ROOT}", Root.ToString().ToUpperInvariant(), StringComparison.Ordinal);

        var parsed = Checkpoint.Parse(Encoding.UTF8.GetBytes(text));

        Assert.False(parsed.Success);
        Assert.Equal(Checkpoint.MalformedCode, parsed.ErrorCode);
    }

    [Fact]
    public void Encode_ServerIdWithNewline_Throws()
    {
        Assert.Throws<ArgumentException>(() => (Sample with { ServerId = "a\nb" }).Encode());
    }
}
