using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Tests.Support;

namespace ExchangeGateway.MessageLog.Tests.Records;

public sealed class RecordEncodingDecodeTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryDecode_CanonicalBytes_GivesBackTheRecordWithoutBody()
    {
        MessageRecord[] records =
        [
            SampleRecords.Request(1, At.AddTicks(17)),
            SampleRecords.Response(2, At, logBody: false) with { ErrorCode = "server.service_failed", HttpStatus = 502 },
            SampleRecords.Request(3, At) with { UserId = null, Ocsp = Array.Empty<byte>(), Head = Array.Empty<byte>(), Signature = Array.Empty<byte>() },
        ];
        foreach (var record in records)
        {
            var canonical = RecordEncoding.Canonical(42, record);

            var decoded = RecordEncoding.TryDecode(canonical, out var sequence);

            Assert.True(decoded.Success, decoded.Message);
            Assert.Equal(42, sequence);
            Assert.Null(decoded.Value.Body);
            Assert.Equal(canonical, RecordEncoding.Canonical(42, decoded.Value));
            Assert.Equal(LogTime.Truncate(record.At), decoded.Value.At);
            Assert.Equal(record.ClientId, decoded.Value.ClientId);
            Assert.Equal(record.HttpStatus, decoded.Value.HttpStatus);
        }
    }

    [Fact]
    public void TryDecode_AnythingCanonicalWouldNotWrite_Refused()
    {
        var canonical = RecordEncoding.Canonical(1, SampleRecords.Request(1, At));
        byte[][] bad =
        [
            [.. canonical, 0],                 // trailing byte
            canonical[..^1],                   // truncated
            Changed(canonical, 0, (byte)'X'),  // label
            Changed(canonical, 30, 3),         // side 3
            Changed(canonical, 22 + 7, 0),     // sequence 0
            [],
        ];

        foreach (var bytes in bad)
        {
            var decoded = RecordEncoding.TryDecode(bytes, out var sequence);

            Assert.False(decoded.Success);
            Assert.Equal("messagelog.invalid_record", decoded.ErrorCode);
            Assert.Equal(0, sequence);
        }
    }

    private static byte[] Changed(byte[] bytes, int index, byte value)
    {
        var copy = bytes.ToArray();
        copy[index] = value;
        return copy;
    }
}
