using System.Security.Cryptography;
using System.Text;
using ExchangeGateway.Common.Exchange;
using ExchangeGateway.Common.Identifiers;

namespace ExchangeGateway.Common.Tests.Exchange;

/// <summary>The optional log receipt in signed response heads: its canonical position and form, strict reading, and old heads without it.</summary>
public sealed class LogReceiptHeadCodecTests
{
    private static readonly LogReceipt Receipt = new(
        SecurityServerId.Parse("DEV/ORG/70000002/ss2"), 17, new DateTimeOffset(2026, 3, 1, 12, 0, 12, 345, 678, TimeSpan.Zero).AddTicks(9));

    private static RestResponseHead Rest(LogReceipt? receipt) => new()
    {
        Status = 200,
        Service = ServiceId.Parse("DEV/ORG/70000002/provider/echo"),
        Client = ClientId.Parse("DEV/GOV/70000001/consumer"),
        MessageId = "m-1",
        RequestId = Guid.Parse("0b7d2a4e-0000-4000-8000-000000000001"),
        RequestHash = "abc=",
        Headers = [new("content-type", "text/plain")],
        LogReceipt = receipt,
        BodyLength = 2,
        BodyDigest = SHA512.HashData("hi"u8),
    };

    private static SoapResponseHead Soap(LogReceipt? receipt) => new()
    {
        Status = 200,
        Service = ServiceId.Parse("DEV/ORG/70000002/provider/getRandom/v1"),
        Client = ClientId.Parse("DEV/GOV/70000001/consumer"),
        MessageId = "m-1",
        RequestId = Guid.Parse("0b7d2a4e-0000-4000-8000-000000000001"),
        RequestHash = "abc=",
        Fault = false,
        Headers = [new("content-type", "text/xml")],
        LogReceipt = receipt,
        SoapLength = 3,
        SoapDigest = SHA512.HashData("xml"u8),
        BodyLength = 3,
        BodyDigest = SHA512.HashData("xml"u8),
    };

    private const string ReceiptJson = "\"logReceipt\":{\"server\":\"DEV/ORG/70000002/ss2\",\"sequence\":17,\"promisedBy\":\"2026-03-01T12:00:12.345678Z\"}";

    [Fact]
    public void EncodeRest_WithReceipt_PutsItRightAfterHeadersInItsOneForm()
    {
        var text = Encoding.UTF8.GetString(HeadCodec.Encode(Rest(Receipt)));

        Assert.Contains("\"headers\":[[\"content-type\",\"text/plain\"]]," + ReceiptJson + ",\"bodyLength\":2,", text, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeRest_WithReceipt_RoundTrips()
    {
        var bytes = HeadCodec.Encode(Rest(Receipt));

        var decoded = HeadCodec.DecodeResponse(bytes);

        Assert.True(decoded.Success, decoded.Message);
        var receipt = decoded.Value!.LogReceipt!;
        Assert.Equal(SecurityServerId.Parse("DEV/ORG/70000002/ss2"), receipt.Server);
        Assert.Equal(17, receipt.Sequence);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 0, 12, 345, 678, TimeSpan.Zero), receipt.PromisedBy);
        Assert.Equal(bytes, HeadCodec.Encode(decoded.Value));
    }

    [Fact]
    public void DecodeSoap_WithReceipt_RoundTripsAfterHeaders()
    {
        var bytes = HeadCodec.Encode(Soap(Receipt));
        Assert.Contains("\"headers\":[[\"content-type\",\"text/xml\"]]," + ReceiptJson + ",\"soapLength\":3,", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);

        var decoded = HeadCodec.DecodeSoapResponse(bytes);

        Assert.True(decoded.Success, decoded.Message);
        Assert.Equal(17, decoded.Value!.LogReceipt!.Sequence);
        Assert.Equal(bytes, HeadCodec.Encode(decoded.Value));
    }

    [Fact]
    public void DecodeRestAndSoap_OldHeadWithoutReceipt_StillParses()
    {
        var rest = HeadCodec.Encode(Rest(null));
        var soap = HeadCodec.Encode(Soap(null));
        Assert.DoesNotContain("logReceipt", Encoding.UTF8.GetString(rest), StringComparison.Ordinal);

        Assert.Null(HeadCodec.DecodeResponse(rest).Value!.LogReceipt);
        Assert.Null(HeadCodec.DecodeSoapResponse(soap).Value!.LogReceipt);
    }

    [Theory]
    [InlineData("\"sequence\":17,\"promisedBy\"", "\"sequence\":17,\"sequence\":17,\"promisedBy\"", "logReceipt must be an object of server, sequence and promisedBy.")]
    [InlineData("\"sequence\":17,", "\"sequence\":17,\"extra\":\"x\",", "logReceipt must be an object of server, sequence and promisedBy.")]
    [InlineData("\"sequence\":17,", "", "logReceipt must be an object of server, sequence and promisedBy.")]
    [InlineData("\"sequence\":17", "\"sequence\":\"17\"", "logReceipt must be an object of server, sequence and promisedBy.")]
    [InlineData("\"sequence\":17", "\"sequence\":0", "logReceipt sequence must be at least 1.")]
    [InlineData("\"sequence\":17", "\"sequence\":17.5", "logReceipt must be an object of server, sequence and promisedBy.")]
    [InlineData("2026-03-01T12:00:12.345678Z", "2026-03-01T12:00:12.345Z", "logReceipt: promisedBy must be UTC in the form yyyy-MM-ddTHH:mm:ss.ffffffZ.")]
    [InlineData("2026-03-01T12:00:12.345678Z", "2026-03-01T13:00:12.345678+01:00", "logReceipt: promisedBy must be UTC in the form yyyy-MM-ddTHH:mm:ss.ffffffZ.")]
    [InlineData("\"DEV/ORG/70000002/ss2\"", "\"DEV/ORG/70000002\"", "logReceipt server: ")]
    [InlineData(ReceiptJson, "\"logReceipt\":null", "logReceipt must be an object of server, sequence and promisedBy.")]
    [InlineData(ReceiptJson, ReceiptJson + "," + ReceiptJson, "logReceipt is allowed once, in response heads only.")]
    public void DecodeRest_MalformedReceipt_FailsAsInvalidHead(string original, string replacement, string message)
    {
        var text = Encoding.UTF8.GetString(HeadCodec.Encode(Rest(Receipt)));
        Assert.Contains(original, text, StringComparison.Ordinal);

        var result = HeadCodec.DecodeResponse(Encoding.UTF8.GetBytes(text.Replace(original, replacement, StringComparison.Ordinal)));

        Assert.False(result.Success);
        Assert.Equal("invalid_head", result.ErrorCode);
        Assert.StartsWith(message, result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"sequence\":17,\"server\":\"DEV/ORG/70000002/ss2\",\"promisedBy\":\"2026-03-01T12:00:12.345678Z\"}")]
    [InlineData("{\"server\":\"DEV/ORG/70000002/ss2\", \"sequence\":17,\"promisedBy\":\"2026-03-01T12:00:12.345678Z\"}")]
    [InlineData("{\"server\":\"DEV/ORG/70000002/ss2\",\"sequence\":017,\"promisedBy\":\"2026-03-01T12:00:12.345678Z\"}")]
    [InlineData("{\"server\":\"DEV\\/ORG/70000002/ss2\",\"sequence\":17,\"promisedBy\":\"2026-03-01T12:00:12.345678Z\"}")]
    public void DecodeRest_ReceiptNotInCanonicalForm_Fails(string receipt)
    {
        var text = Encoding.UTF8.GetString(HeadCodec.Encode(Rest(Receipt)));
        var tampered = text.Replace(ReceiptJson, "\"logReceipt\":" + receipt, StringComparison.Ordinal);
        Assert.NotEqual(text, tampered);

        var result = HeadCodec.DecodeResponse(Encoding.UTF8.GetBytes(tampered));

        Assert.False(result.Success);
        Assert.Equal("invalid_head", result.ErrorCode);
    }

    [Fact]
    public void DecodeRest_ReceiptMovedToTheEnd_FailsAsNonCanonical()
    {
        var text = Encoding.UTF8.GetString(HeadCodec.Encode(Rest(Receipt)));
        var moved = text.Replace("," + ReceiptJson, string.Empty, StringComparison.Ordinal).TrimEnd('}') + "," + ReceiptJson + "}";

        var result = HeadCodec.DecodeResponse(Encoding.UTF8.GetBytes(moved));

        Assert.False(result.Success);
        Assert.Equal("the head is not in canonical form (order, duplicates, spacing or escaping differ).", result.Message);
    }

    [Fact]
    public void DecodeRequest_WithAReceipt_Fails()
    {
        var request = new RestRequestHead
        {
            Method = "GET",
            Service = ServiceId.Parse("DEV/ORG/70000002/provider/echo"),
            Target = "/x",
            Client = ClientId.Parse("DEV/GOV/70000001/consumer"),
            MessageId = "m-1",
            RequestId = Guid.Parse("0b7d2a4e-0000-4000-8000-000000000001"),
            BodyLength = 0,
            BodyDigest = SHA512.HashData([]),
        };
        var text = Encoding.UTF8.GetString(HeadCodec.Encode(request)).Replace("\"headers\":[]", "\"headers\":[]," + ReceiptJson, StringComparison.Ordinal);

        var result = HeadCodec.DecodeRequest(Encoding.UTF8.GetBytes(text));

        Assert.False(result.Success);
        Assert.Equal("logReceipt is allowed once, in response heads only.", result.Message);
    }

    [Fact]
    public void HeaderValue_NamesServerSequenceAndPromise()
    {
        Assert.Equal("server=DEV/ORG/70000002/ss2; sequence=17; promisedBy=2026-03-01T12:00:12.345678Z", Receipt.ToHeaderValue());
    }

    [Fact]
    public void Create_SequenceBelowOne_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogReceipt(SecurityServerId.Parse("DEV/ORG/70000002/ss2"), 0, DateTimeOffset.UnixEpoch));
}
