using System.Security.Cryptography;
using System.Text;
using ExchangeGateway.Common.Exchange;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.Common.Tests.Exchange;

public sealed class HeadCodecTests
{
    private static RestRequestHead Request(string target = "/a%2Fb/c?x=1&y=%20") => new()
    {
        Method = "POST",
        Service = ServiceId.Parse("DEV/ORG/70000002/provider/echo"),
        Target = target,
        Client = ClientId.Parse("DEV/GOV/70000001/consumer"),
        MessageId = "msg-1",
        RequestId = Guid.Parse("0b7d2a4e-0000-4000-8000-000000000001"),
        UserId = "EE12345678901",
        SecurityServer = SecurityServerId.Parse("DEV/ORG/70000002/ss2"),
        Headers = [new("content-type", "text/plain; charset=ü"), new("x-custom", "1")],
        BodyLength = 2,
        BodyDigest = SHA512.HashData("hi"u8),
    };

    [Fact]
    public void DecodeRequest_CanonicalBytes_RoundTrips()
    {
        var bytes = HeadCodec.Encode(Request());
        var decoded = HeadCodec.DecodeRequest(bytes);
        Assert.True(decoded.Success, decoded.Message);
        Assert.Equal(bytes, HeadCodec.Encode(decoded.Value!));
        Assert.Equal("/a%2Fb/c?x=1&y=%20", decoded.Value!.Target);
        Assert.Equal("text/plain; charset=ü", decoded.Value.Headers[0].Value);
        Assert.Equal("DEV/ORG/70000002/ss2", decoded.Value.SecurityServer!.ToString());
    }

    [Fact]
    public void DecodeResponse_CanonicalBytes_RoundTrips()
    {
        var head = new RestResponseHead
        {
            Status = 302,
            Service = ServiceId.Parse("DEV/ORG/70000002/provider/echo"),
            Client = ClientId.Parse("DEV/GOV/70000001/consumer"),
            MessageId = "m",
            RequestId = Guid.NewGuid(),
            RequestHash = "abc=",
            Headers = [new("location", "/elsewhere")],
            BodyLength = 0,
            BodyDigest = SHA512.HashData([]),
        };
        var bytes = HeadCodec.Encode(head);
        var decoded = HeadCodec.DecodeResponse(bytes);
        Assert.True(decoded.Success, decoded.Message);
        Assert.Equal(302, decoded.Value!.Status);
        Assert.Equal(bytes, HeadCodec.Encode(decoded.Value));
        Assert.False(HeadCodec.DecodeRequest(bytes).Success);
    }

    [Theory]
    [InlineData("\"method\":\"POST\"", "\"method\":\"POST\",\"method\":\"GET\"")]
    [InlineData("\"method\":\"POST\",", "\"method\":\"POST\", ")]
    [InlineData("\"v\":1,", "\"v\":1,\"extra\":\"x\",")]
    [InlineData("\"id\":\"msg-1\"", "\"id\":\"msg\\u002D1\"")]
    [InlineData("\"method\":\"POST\"", "\"method\":\"PO ST\"")]
    [InlineData("\"target\":\"/a%2Fb/c?x=1\\u0026y=%20\"", "\"target\":\"/a\\r\\nb\"")]
    [InlineData("[\"x-custom\",\"1\"]", "[\"X-Custom\",\"1\"]")]
    [InlineData("[\"x-custom\",\"1\"]", "[\"x-custom\",\"1\\r\\nInjected: yes\"]")]
    public void DecodeRequest_NonCanonicalOrUnsafe_Fails(string original, string replacement)
    {
        var text = Encoding.UTF8.GetString(HeadCodec.Encode(Request()));
        Assert.Contains(original, text, StringComparison.Ordinal);
        var tampered = Encoding.UTF8.GetBytes(text.Replace(original, replacement, StringComparison.Ordinal));
        var result = HeadCodec.DecodeRequest(tampered);
        Assert.False(result.Success);
        Assert.Equal("invalid_head", result.ErrorCode);
    }

    [Fact]
    public void DecodeRequest_TooLarge_Fails() =>
        Assert.False(HeadCodec.DecodeRequest(new byte[HeadCodec.MaxHeadBytes + 1]).Success);

    [Fact]
    public void RequestHash_MatchesTheXRoadDefinition()
    {
        var head = HeadCodec.Encode(Request());
        var bodyDigest = SHA512.HashData("hi"u8);
        var expected = Convert.ToBase64String(SHA512.HashData([.. SHA512.HashData(head), .. bodyDigest]));
        Assert.Equal(expected, RequestHash.Compute(head, bodyDigest, 2));
        Assert.Equal(Convert.ToBase64String(SHA512.HashData(head)), RequestHash.Compute(head, default, 0));
    }
}
