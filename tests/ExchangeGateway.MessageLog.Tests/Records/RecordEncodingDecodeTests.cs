using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Tests.Support;

namespace ExchangeGateway.MessageLog.Tests.Records;

/// <summary>The archive's round trip through <see cref="RecordDecoding"/>: what <see cref="RecordEncoding.Canonical"/> writes reads back, nothing else does.</summary>
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

            var decoded = RecordDecoding.TryDecode(canonical);

            Assert.True(decoded.Success, decoded.Message);
            Assert.Equal(42, decoded.Value.Sequence);
            Assert.Null(decoded.Value.Record.Body);
            Assert.Equal(canonical, RecordEncoding.Canonical(42, decoded.Value.Record));
            Assert.Equal(LogTime.Truncate(record.At), decoded.Value.Record.At);
            Assert.Equal(record.ClientId, decoded.Value.Record.ClientId);
            Assert.Equal(record.HttpStatus, decoded.Value.Record.HttpStatus);
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
            var decoded = RecordDecoding.TryDecode(bytes);

            Assert.False(decoded.Success);
            Assert.Equal("messagelog.invalid_record", decoded.ErrorCode);
        }
    }

    private static byte[] Changed(byte[] bytes, int index, byte value)
    {
        var copy = bytes.ToArray();
        copy[index] = value;
        return copy;
    }
}
