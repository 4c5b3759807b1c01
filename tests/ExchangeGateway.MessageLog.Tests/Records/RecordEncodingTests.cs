using System.Buffers.Binary;
using System.Security.Cryptography;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Tests.Support;

namespace ExchangeGateway.MessageLog.Tests.Records;

public sealed class RecordEncodingTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Canonical_SameRecordTwice_SameBytes()
    {
        var record = SampleRecords.Request(1, At);

        Assert.Equal(RecordEncoding.Canonical(7, record), RecordEncoding.Canonical(7, record with { }));
    }

    [Fact]
    public void Canonical_Layout_StartsWithLabelThenBigEndianSequence()
    {
        var bytes = RecordEncoding.Canonical(0x0102030405, SampleRecords.Request(1, At));

        Assert.True(bytes.AsSpan().StartsWith("xgw-msg-log-record-v1:"u8));
        Assert.Equal(0x0102030405, BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(22)));
        Assert.Equal((byte)RecordSide.Client, bytes[30]);
        Assert.Equal((byte)RecordKind.Request, bytes[31]);
    }

    [Fact]
    public void Canonical_BodyRemoved_SameBytes()
    {
        var record = SampleRecords.Request(1, At);

        Assert.Equal(RecordEncoding.Canonical(1, record), RecordEncoding.Canonical(1, record with { Body = null }));
    }

    [Fact]
    public void Canonical_AnyCoveredFieldChanged_DifferentBytes()
    {
        var record = SampleRecords.Request(1, At);
        var original = RecordEncoding.Canonical(1, record);
        MessageRecord[] changed =
        [
            record with { Side = RecordSide.Server },
            record with { Kind = RecordKind.Response },
            record with { MessageId = "msg-2" },
            record with { RequestId = Guid.Empty },
            record with { ClientId = "DEV/ORG/70000002/other" },
            record with { ServiceId = "DEV/GOV/70000001/consumer/other" },
            record with { At = At.AddTicks(10) },
            record with { UserId = null },
            record with { UserId = string.Empty },
            record with { HttpStatus = 200 },
            record with { ErrorCode = "server.service_failed" },
            record with { Head = record.Head.ToArray().Append((byte)0).ToArray() },
            record with { Signature = Array.Empty<byte>() },
            record with { Ocsp = Array.Empty<byte>() },
            record with { BodyDigest = new byte[64], Body = null },
            record with { BodyLength = record.BodyLength + 1, Body = null },
        ];

        var encodings = changed.Select(r => Convert.ToHexString(RecordEncoding.Canonical(1, r))).Append(Convert.ToHexString(original)).ToList();

        Assert.Equal(encodings.Count, encodings.Distinct(StringComparer.Ordinal).Count());
        Assert.NotEqual(original, RecordEncoding.Canonical(2, record));
    }

    [Fact]
    public void Canonical_FieldBoundariesShifted_DifferentBytes()
    {
        // Length prefixes: moving a character from one text field to the next must change the encoding.
        var record = SampleRecords.Request(1, At);
        var a = record with { ClientId = "DEV/ORG/7000000", ServiceId = "2/x" };
        var b = record with { ClientId = "DEV/ORG/70000002", ServiceId = "/x" };

        Assert.NotEqual(RecordEncoding.Canonical(1, a), RecordEncoding.Canonical(1, b));
    }

    [Fact]
    public void LeafHash_IsRfc6962LeafOfCanonicalBytes()
    {
        var record = SampleRecords.Request(3, At);
        var canonical = RecordEncoding.Canonical(3, record);
        var expected = SHA256.HashData([0x00, .. canonical]);

        Assert.Equal(new MerkleHash(expected), RecordEncoding.LeafHash(3, record));
    }

    [Fact]
    public void Canonical_SubMicrosecondTime_Truncated()
    {
        var record = SampleRecords.Request(1, At);

        Assert.Equal(RecordEncoding.Canonical(1, record), RecordEncoding.Canonical(1, record with { At = At.AddTicks(9) }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(256)]
    public void Canonical_MessageIdOutOfRange_Throws(int length)
    {
        var record = SampleRecords.Request(1, At) with { MessageId = new string('x', length) };

        Assert.ThrowsAny<ArgumentException>(() => RecordEncoding.Canonical(1, record));
    }

    [Fact]
    public void Canonical_DigestNotSha512_Throws()
    {
        var record = SampleRecords.Request(1, At) with { BodyDigest = new byte[32] };

        Assert.Throws<ArgumentException>(() => RecordEncoding.Canonical(1, record));
    }

    [Fact]
    public void Canonical_BodyLengthDisagrees_Throws()
    {
        var record = SampleRecords.Request(1, At) with { BodyLength = 5 };

        Assert.Throws<ArgumentException>(() => RecordEncoding.Canonical(1, record));
    }

    [Fact]
    public void Canonical_LoneSurrogate_Throws()
    {
        var record = SampleRecords.Request(1, At) with { UserId = "\ud800" };

        Assert.ThrowsAny<ArgumentException>(() => RecordEncoding.Canonical(1, record));
    }

    [Theory]
    [InlineData("2026-03-01T12:00:00.000000Z")]
    [InlineData("1969-12-31T23:59:59.999999Z")]
    [InlineData("2026-03-01T12:00:00.123456Z")]
    public void LogTime_FormatParse_RoundTrips(string text)
    {
        Assert.True(LogTime.TryParse(text, out var value));
        Assert.Equal(text, LogTime.Format(value));
        Assert.Equal(value, LogTime.FromUnixMicroseconds(LogTime.ToUnixMicroseconds(value)));
    }

    [Fact]
    public void LogTime_BeforeEpoch_TruncatesTowardPast()
    {
        var value = DateTimeOffset.UnixEpoch.AddTicks(-1);

        Assert.Equal(-1, LogTime.ToUnixMicroseconds(value));
    }
}
