using ExchangeGateway.MessageLog.Records;
using ExchangeGateway.MessageLog.Tests.Support;

namespace ExchangeGateway.MessageLog.Tests.Records;

public sealed class RecordDecodingTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, 123, 456, TimeSpan.Zero);

    [Fact]
    public void TryDecode_CanonicalBytes_GivesBackSequenceAndFields()
    {
        var record = SampleRecords.Response(7, At) with { ErrorCode = "server.x", UserId = "u\u00e4" };
        var canonical = RecordEncoding.Canonical(42, record);

        var decoded = RecordDecoding.TryDecode(canonical);

        Assert.True(decoded.Success, decoded.Message);
        Assert.Equal(42, decoded.Value.Sequence);
        Assert.Equal(canonical, RecordEncoding.Canonical(42, decoded.Value.Record));
        Assert.Null(decoded.Value.Record.Body);
        Assert.Equal("u\u00e4", decoded.Value.Record.UserId);
        Assert.Equal(200, decoded.Value.Record.HttpStatus);
    }

    [Fact]
    public void TryDecode_TrailingByte_Refused()
    {
        byte[] canonical = [.. RecordEncoding.Canonical(1, SampleRecords.Request(1, At)), 0];

        var decoded = RecordDecoding.TryDecode(canonical);

        Assert.False(decoded.Success);
        Assert.Equal("record encoding: 1 bytes follow the body length", decoded.Message);
    }

    [Fact]
    public void TryDecode_Truncated_Refused()
    {
        var canonical = RecordEncoding.Canonical(1, SampleRecords.Request(1, At));

        var decoded = RecordDecoding.TryDecode(canonical.AsSpan(0, canonical.Length - 3));

        Assert.False(decoded.Success);
        Assert.Equal("record encoding: the bytes end inside a field", decoded.Message);
    }

    [Fact]
    public void TryDecode_UnknownSide_Refused()
    {
        var canonical = RecordEncoding.Canonical(1, SampleRecords.Request(1, At));
        canonical[RecordEncoding.Label.Length + 8] = 9;

        var decoded = RecordDecoding.TryDecode(canonical);

        Assert.False(decoded.Success);
        Assert.Equal(RecordDecoding.MalformedCode, decoded.ErrorCode);
    }

    [Fact]
    public void TryDecode_WrongLabel_Refused()
    {
        var canonical = RecordEncoding.Canonical(1, SampleRecords.Request(1, At));
        canonical[0] = (byte)'y';

        var decoded = RecordDecoding.TryDecode(canonical);

        Assert.Equal("record encoding: the bytes do not start with the label 'xgw-msg-log-record-v1:'", decoded.Message);
    }

    [Fact]
    public void TryDecode_SequenceZero_Refused()
    {
        var canonical = RecordEncoding.Canonical(1, SampleRecords.Request(1, At));
        canonical.AsSpan(RecordEncoding.Label.Length, 8).Clear();

        var decoded = RecordDecoding.TryDecode(canonical);

        Assert.Equal("record encoding: sequence 0 is not positive", decoded.Message);
    }

    [Fact]
    public void TryDecode_OptionalFlagOtherThanZeroOrOne_Refused()
    {
        var record = SampleRecords.Request(1, At);
        var canonical = RecordEncoding.Canonical(1, record);
        canonical[UserIdFlagOffset(record)] = 2;

        var decoded = RecordDecoding.TryDecode(canonical);

        Assert.Equal("record encoding: an optional field's flag is 2, not 0 or 1", decoded.Message);
    }

    [Fact]
    public void TryDecode_TextNotUtf8_Refused()
    {
        var canonical = RecordEncoding.Canonical(1, SampleRecords.Request(1, At));
        canonical[RecordEncoding.Label.Length + 8 + 2 + 4] = 0xff;

        var decoded = RecordDecoding.TryDecode(canonical);

        Assert.Equal("record encoding: a text field is not UTF-8", decoded.Message);
        Assert.Equal(RecordDecoding.MalformedCode, decoded.ErrorCode);
    }

    [Fact]
    public void TryDecode_FieldLengthBeyondTheBytes_Refused()
    {
        var canonical = RecordEncoding.Canonical(1, SampleRecords.Request(1, At));
        canonical.AsSpan(RecordEncoding.Label.Length + 8 + 2, 4).Fill(0xff);

        var decoded = RecordDecoding.TryDecode(canonical);

        Assert.False(decoded.Success);
        Assert.Equal(RecordDecoding.MalformedCode, decoded.ErrorCode);
    }

    /// <summary>Where the user id's presence flag sits: after the label, sequence, side, kind, three ids, the request id and the time.</summary>
    private static int UserIdFlagOffset(MessageRecord record) =>
        RecordEncoding.Label.Length + 8 + 2
        + 4 + System.Text.Encoding.UTF8.GetByteCount(record.MessageId)
        + 16
        + 4 + System.Text.Encoding.UTF8.GetByteCount(record.ClientId)
        + 4 + System.Text.Encoding.UTF8.GetByteCount(record.ServiceId)
        + 8;
}
