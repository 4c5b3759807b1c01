using System.Security.Cryptography;
using System.Text;
using ExchangeGateway.Common.Exchange;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.Common.Tests.Exchange;

public sealed class SoapHeadCodecTests
{
    private static SoapRequestHead Request() => new()
    {
        Service = ServiceId.Parse("DEV/ORG/70000002/provider/getRandom/v1"),
        Client = ClientId.Parse("DEV/GOV/70000001/consumer"),
        MessageId = "msg-1",
        RequestId = Guid.Parse("0b7d2a4e-0000-4000-8000-000000000001"),
        UserId = "EE12345678901",
        Issue = "case-7",
        RepresentedParty = "COM/123",
        ProtocolVersion = "4.0",
        Headers = [new("content-type", "multipart/related; boundary=b; type=\"text/xml\""), new("soapaction", "\"\"")],
        SoapLength = 3,
        SoapDigest = SHA512.HashData("xml"u8),
        Attachments = [new("att1@example", "application/octet-stream", 5, SHA512.HashData("bytes"u8)), new(string.Empty, "text/plain", 0, SHA512.HashData([]))],
        BodyLength = 100,
        BodyDigest = SHA512.HashData("body"u8),
    };

    private static SoapResponseHead Response() => new()
    {
        Status = 200,
        Service = ServiceId.Parse("DEV/ORG/70000002/provider/getRandom/v1"),
        Client = ClientId.Parse("DEV/GOV/70000001/consumer"),
        MessageId = "msg-1",
        RequestId = Guid.Parse("0b7d2a4e-0000-4000-8000-000000000001"),
        RequestHash = "abc=",
        Fault = true,
        Headers = [new("content-type", "text/xml; charset=utf-8")],
        SoapLength = 3,
        SoapDigest = SHA512.HashData("xml"u8),
        BodyLength = 3,
        BodyDigest = SHA512.HashData("xml"u8),
    };

    [Fact]
    public void DecodeSoapRequest_CanonicalBytes_RoundTripsEveryField()
    {
        var bytes = HeadCodec.Encode(Request());
        var decoded = HeadCodec.DecodeSoapRequest(bytes);
        Assert.True(decoded.Success, decoded.Message);
        var head = decoded.Value!;
        Assert.Equal(bytes, HeadCodec.Encode(head));
        Assert.Equal("v1", head.Service.ServiceVersion);
        Assert.Equal("4.0", head.ProtocolVersion);
        Assert.Equal("COM/123", head.RepresentedParty);
        Assert.Equal(2, head.Attachments.Count);
        Assert.Equal("att1@example", head.Attachments[0].ContentId);
        Assert.Equal(SHA512.HashData("bytes"u8), head.Attachments[0].Digest.ToArray());
        Assert.Equal(string.Empty, head.Attachments[1].ContentId);
    }

    [Fact]
    public void DecodeSoapResponse_CanonicalBytes_RoundTrips()
    {
        var bytes = HeadCodec.Encode(Response());
        var decoded = HeadCodec.DecodeSoapResponse(bytes);
        Assert.True(decoded.Success, decoded.Message);
        Assert.True(decoded.Value!.Fault);
        Assert.Equal(bytes, HeadCodec.Encode(decoded.Value));
    }

    [Fact]
    public void Decode_HeadOfAnotherType_IsRefused()
    {
        var soap = HeadCodec.Encode(Request());
        Assert.False(HeadCodec.DecodeRequest(soap).Success);
        Assert.False(HeadCodec.DecodeSoapResponse(soap).Success);
        Assert.Equal("invalid_head", HeadCodec.DecodeSoapResponse(soap).ErrorCode);
        Assert.False(HeadCodec.DecodeSoapRequest(HeadCodec.Encode(Response())).Success);
    }

    [Theory]
    [InlineData("\"attachments\":[[", "\"attachments\":[[1,")]
    [InlineData("\"fault\":true", "\"fault\":\"true\"")]
    [InlineData("\"soapLength\":3", "\"soapLength\":-3")]
    [InlineData("\"soapLength\":3", "\"soapLength\":3,\"soapLength\":3")]
    public void DecodeSoap_NonCanonicalOrMistyped_IsRefused(string from, string to)
    {
        var request = Encoding.UTF8.GetString(HeadCodec.Encode(Request()));
        var response = Encoding.UTF8.GetString(HeadCodec.Encode(Response()));
        if (request.Contains(from, StringComparison.Ordinal))
        {
            Assert.False(HeadCodec.DecodeSoapRequest(Encoding.UTF8.GetBytes(request.Replace(from, to, StringComparison.Ordinal))).Success);
        }

        if (response.Contains(from, StringComparison.Ordinal))
        {
            Assert.False(HeadCodec.DecodeSoapResponse(Encoding.UTF8.GetBytes(response.Replace(from, to, StringComparison.Ordinal))).Success);
        }
    }

    [Fact]
    public void DecodeSoapRequest_AttachmentWithControlCharacter_IsRefused()
    {
        var head = Request() with { Attachments = [new("a\r\nb", "text/plain", 1, SHA512.HashData("x"u8))] };
        Assert.False(HeadCodec.DecodeSoapRequest(HeadCodec.Encode(head)).Success);
    }
}
