using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using ExchangeGateway.Common.Crypto.Merkle;
using ExchangeGateway.Common.Results;

namespace ExchangeGateway.MessageLog.Records;

/// <summary>
/// The canonical byte form of a record, the data of its RFC 6962 leaf. The store, the verifier and the
/// evidence bundle of issue #7 all hash exactly these bytes, so the layout is fixed; MessageLog/README.md
/// documents it field by field.
/// </summary>
/// <remarks>
/// Layout: the ASCII label <c>xgw-msg-log-record-v1:</c>, then in order: sequence (u64), side (u8), kind
/// (u8), message id (str), request id (16 bytes, RFC 9562 byte order), client id (str), service id
/// (str), at (i64, Unix microseconds UTC), user id (opt str), HTTP status (opt i32), error code (opt str),
/// head (bytes), signature (bytes), OCSP (bytes), body digest (64 bytes), body length (i64).
/// Integers are big-endian; str is a u32 byte length then UTF-8; bytes is a u32 length then the bytes;
/// opt is one byte 0 (absent) or 1 (present) followed by the value. Every variable field is length
/// prefixed, so no two records encode alike. The body is left out: erasing it keeps the leaf.
/// </remarks>
public static class RecordEncoding
{
    /// <summary>Where the sequence number sits: right after the label.</summary>
    internal const int SequenceOffset = 22;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The label that starts every record encoding (22 ASCII bytes).</summary>
    public static ReadOnlySpan<byte> Label => "xgw-msg-log-record-v1:"u8;

    /// <summary>The canonical bytes of <paramref name="record"/> at <paramref name="sequence"/>.</summary>
    /// <exception cref="ArgumentException">A text field is not valid Unicode, or the record breaks <see cref="MessageRecord.Validate"/>.</exception>
    public static byte[] Canonical(long sequence, MessageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        var bytes = Encode(record);
        SetSequence(bytes, sequence);
        return bytes;
    }

    /// <summary>The RFC 6962 leaf hash of the record at <paramref name="sequence"/>: SHA-256(0x00 ‖ <see cref="Canonical"/>).</summary>
    public static MerkleHash LeafHash(long sequence, MessageRecord record) => MerkleHasher.HashLeaf(Canonical(sequence, record));

    /// <summary>The encoding with sequence 0, to be patched by <see cref="SetSequence"/> once the writer assigns it.</summary>
    internal static byte[] Encode(MessageRecord record)
    {
        record.Validate();
        var messageId = Utf8.GetBytes(record.MessageId);
        var clientId = Utf8.GetBytes(record.ClientId);
        var serviceId = Utf8.GetBytes(record.ServiceId);
        var userId = record.UserId is null ? null : Utf8.GetBytes(record.UserId);
        var errorCode = record.ErrorCode is null ? null : Utf8.GetBytes(record.ErrorCode);

        var length = Label.Length + 8 + 1 + 1
            + 4 + messageId.Length
            + 16
            + 4 + clientId.Length
            + 4 + serviceId.Length
            + 8
            + 1 + (userId is null ? 0 : 4 + userId.Length)
            + 1 + (record.HttpStatus is null ? 0 : 4)
            + 1 + (errorCode is null ? 0 : 4 + errorCode.Length)
            + 4 + record.Head.Length
            + 4 + record.Signature.Length
            + 4 + record.Ocsp.Length
            + record.BodyDigest.Length
            + 8;

        var buffer = new byte[length];
        var w = new Writer(buffer);
        w.Raw(Label);
        w.Int64(0);
        w.Byte((byte)record.Side);
        w.Byte((byte)record.Kind);
        w.Bytes(messageId);
        w.Guid(record.RequestId);
        w.Bytes(clientId);
        w.Bytes(serviceId);
        w.Int64(LogTime.ToUnixMicroseconds(record.At));
        w.Optional(userId);
        if (record.HttpStatus is { } status)
        {
            w.Byte(1);
            w.Int32(status);
        }
        else
        {
            w.Byte(0);
        }

        w.Optional(errorCode);
        w.Bytes(record.Head.Span);
        w.Bytes(record.Signature.Span);
        w.Bytes(record.Ocsp.Span);
        w.Raw(record.BodyDigest.Span);
        w.Int64(record.BodyLength);
        if (w.Position != length)
        {
            throw new InvalidOperationException("Record encoding length mismatch.");
        }

        return buffer;
    }

    /// <summary>Writes <paramref name="sequence"/> into an encoding made by <see cref="Encode"/>.</summary>
    internal static void SetSequence(Span<byte> canonical, long sequence) =>
        BinaryPrimitives.WriteInt64BigEndian(canonical[SequenceOffset..], sequence);

    private ref struct Writer(Span<byte> buffer)
    {
        private readonly Span<byte> _buffer = buffer;

        public int Position { get; private set; }

        public void Raw(ReadOnlySpan<byte> value)
        {
            value.CopyTo(_buffer[Position..]);
            Position += value.Length;
        }

        public void Byte(byte value) => _buffer[Position++] = value;

        public void Int32(int value)
        {
            BinaryPrimitives.WriteInt32BigEndian(_buffer[Position..], value);
            Position += 4;
        }

        public void Int64(long value)
        {
            BinaryPrimitives.WriteInt64BigEndian(_buffer[Position..], value);
            Position += 8;
        }

        public void Guid(Guid value)
        {
            value.TryWriteBytes(_buffer[Position..], bigEndian: true, out _);
            Position += 16;
        }

        public void Bytes(ReadOnlySpan<byte> value)
        {
            BinaryPrimitives.WriteUInt32BigEndian(_buffer[Position..], checked((uint)value.Length));
            Position += 4;
            Raw(value);
        }

        public void Optional(byte[]? value)
        {
            if (value is null)
            {
                Byte(0);
            }
            else
            {
                Byte(1);
                Bytes(value);
            }
        }
    }
}
