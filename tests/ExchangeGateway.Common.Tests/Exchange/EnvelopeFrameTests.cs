using System.Security.Cryptography;
using ExchangeGateway.Common.Exchange;

namespace ExchangeGateway.Common.Tests.Exchange;

public sealed class EnvelopeFrameTests
{
    [Fact]
    public async Task ReadPrefixAsync_WrittenPrefix_RoundTripsAndLeavesBody()
    {
        var prefix = new EnvelopePrefix([1, 2, 3], [4], [], [5, 6]);
        using var stream = new MemoryStream([.. EnvelopeFrame.WritePrefix(prefix), .. "body"u8.ToArray()]);
        var read = await EnvelopeFrame.ReadPrefixAsync(stream, default);
        Assert.True(read.Success, read.Message);
        Assert.Equal(prefix.Head, read.Value!.Head);
        Assert.Equal(prefix.AuthenticationOcsp, read.Value.AuthenticationOcsp);
        using var body = await BodyBuffer.ReadAsync(stream, 100, 4, default);
        Assert.Equal("body"u8.ToArray(), body!.Memory.ToArray());
    }

    [Fact]
    public async Task ReadPrefixAsync_Truncated_Fails()
    {
        var bytes = EnvelopeFrame.WritePrefix(new EnvelopePrefix([1, 2, 3], [4], [7], [5, 6]));
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            using var stream = new MemoryStream(bytes[..cut]);
            Assert.False((await EnvelopeFrame.ReadPrefixAsync(stream, default)).Success);
        }
    }

    [Fact]
    public async Task ReadPrefixAsync_PartOverLimit_FailsWithoutAllocatingIt()
    {
        using var stream = new MemoryStream([.. "XGW1"u8.ToArray(), 0xFF, 0xFF, 0xFF, 0xFF]);
        var read = await EnvelopeFrame.ReadPrefixAsync(stream, default);
        Assert.Equal("invalid_envelope", read.ErrorCode);
    }

    [Fact]
    public async Task ReadPrefixAsync_WrongMagic_Fails()
    {
        using var stream = new MemoryStream("GET / HTTP/1.1"u8.ToArray());
        Assert.Equal("invalid_envelope", (await EnvelopeFrame.ReadPrefixAsync(stream, default)).ErrorCode);
    }
}
