using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ExchangeGateway.MessageLog.Records;

namespace ExchangeGateway.MessageLog.Tests.Support;

/// <summary>Realistic records: a few hundred bytes of head, a signature blob, an OCSP blob and a body.</summary>
internal static class SampleRecords
{
    private static readonly byte[] Signature = RandomNumberGenerator.GetBytes(700);
    private static readonly byte[] Ocsp = RandomNumberGenerator.GetBytes(500);

    public static MessageRecord Request(int i, DateTimeOffset at, bool logBody = true, int bodySize = 1024, RecordSide side = RecordSide.Client)
    {
        var body = Body(i, bodySize);
        return new MessageRecord
        {
            Side = side,
            Kind = RecordKind.Request,
            MessageId = "msg-" + i.ToString(CultureInfo.InvariantCulture),
            RequestId = RequestIdOf(i),
            ClientId = "DEV/ORG/70000002/clinic",
            ServiceId = "DEV/GOV/70000001/consumer/echo",
            At = at,
            UserId = "EE12345678901",
            Head = Encoding.UTF8.GetBytes($"POST /r1/DEV/GOV/70000001/consumer/echo\nx-road-id: msg-{i}\nx-road-client: DEV/ORG/70000002/clinic\ndigest: {Convert.ToBase64String(SHA512.HashData(body))}\n"),
            Signature = Signature,
            Ocsp = Ocsp,
            BodyDigest = SHA512.HashData(body),
            BodyLength = body.Length,
            Body = logBody ? body : (ReadOnlyMemory<byte>?)null,
        };
    }

    public static MessageRecord Response(int i, DateTimeOffset at, bool logBody = true, RecordSide side = RecordSide.Client) =>
        Request(i, at, logBody, 512, side) with { Kind = RecordKind.Response, HttpStatus = 200, UserId = null };

    public static Guid RequestIdOf(int i) => new(i, 0x4d4c, 0x4000, 0x80, 0, 0, 0, 0, 0, 0, 1);

    public static byte[] Body(int i, int size)
    {
        var body = new byte[size];
        new Random(i).NextBytes(body);
        return body;
    }
}
