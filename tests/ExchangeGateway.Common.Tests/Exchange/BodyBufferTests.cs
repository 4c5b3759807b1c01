using System.Security.Cryptography;
using ExchangeGateway.Common.Exchange;

namespace ExchangeGateway.Common.Tests.Exchange;

public sealed class BodyBufferTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65_536)]
    [InlineData(300_001)]
    public async Task ReadAsync_UpToTheLimit_KeepsBytesAndDigest(int size)
    {
        var data = RandomNumberGenerator.GetBytes(size);
        using var body = await BodyBuffer.ReadAsync(new MemoryStream(data), size, null, default);
        Assert.NotNull(body);
        Assert.Equal(data, body.Memory.ToArray());
        Assert.Equal(SHA512.HashData(data), body.Digest);
    }

    [Fact]
    public async Task ReadAsync_OneByteOverTheLimit_ReturnsNull() =>
        Assert.Null(await BodyBuffer.ReadAsync(new MemoryStream(new byte[1001]), 1000, null, default));

    [Fact]
    public async Task ReadAsync_ShorterOrLongerThanExpected_ReturnsNull()
    {
        Assert.Null(await BodyBuffer.ReadAsync(new MemoryStream(new byte[9]), 1000, 10, default));
        Assert.Null(await BodyBuffer.ReadAsync(new MemoryStream(new byte[11]), 1000, 10, default));
        Assert.Null(await BodyBuffer.ReadAsync(new MemoryStream(new byte[10]), 5, 10, default));
    }

    [Fact]
    public void HeaderPolicy_DropsHopByHopHostRevealingAndXRoadHeaders()
    {
        foreach (var name in new[] { "Connection", "keep-alive", "TE", "Transfer-Encoding", "Upgrade", "Host", "User-Agent", "Server", "Content-Length", "X-Road-Client", "x-road-id", ":authority" })
        {
            Assert.False(HeaderPolicy.IsForwarded(name), name);
        }

        Assert.True(HeaderPolicy.IsForwarded("Content-Type"));
        Assert.True(HeaderPolicy.IsForwarded("x-custom"));
        Assert.False(HeaderPolicy.IsForwarded("x-secret", HeaderPolicy.ConnectionTokens(["close, X-Secret"])));
        Assert.False(HeaderPolicy.IsSafeValue("a\r\nb"));
        Assert.False(HeaderPolicy.IsSafeValue("a\0"));
        Assert.True(HeaderPolicy.IsSafeValue("a\tb ü"));
    }
}
