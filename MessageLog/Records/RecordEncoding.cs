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
    private static readonly long MinMicroseconds = LogTime.ToUnixMicroseconds(DateTimeOffset.MinValue);
    private static readonly long MaxMicroseconds = LogTime.ToUnixMicroseconds(DateTimeOffset.MaxValue);

    /// <summary>The error code of canonical bytes that do not decode.</summary>
    public const string MalformedCode = "messagelog.invalid_record";

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

    /// <summary>
    /// Decodes canonical bytes back into the record they encode (without a body: the body is not part of
    /// the encoding) and the sequence they carry. Strict: anything <see cref="Canonical"/> would not write
    /// is refused (trailing bytes, an option flag other than 0 or 1, invalid UTF-8, an unknown side or
    /// kind, a record that breaks <see cref="MessageRecord.Validate"/>), so a decoded record re-encodes to
    /// exactly <paramref name="canonical"/>.
    /// </summary>
    /// <param name="canonical">The canonical bytes.</param>
    /// <param name="sequence">The sequence the bytes carry; 0 when they do not decode.</param>
    public static ParseResult<MessageRecord> TryDecode(ReadOnlySpan<byte> canonical, out long sequence)
    {
        sequence = 0;
        var r = new Reader(canonical);
        if (!canonical.StartsWith(Label))
        {
            return Malformed("the record does not start with the label " + Encoding.ASCII.GetString(Label));
        }

        r.Skip(Label.Length);
        if (!r.Int64(out var seq) || seq < 1
            || !r.Byte(out var side) || !r.Byte(out var kind)
            || !r.Text(out var messageId)
            || !r.Guid(out var requestId)
            || !r.Text(out var clientId)
            || !r.Text(out var serviceId)
            || !r.Int64(out var at)
            || !r.OptionalText(out var userId)
            || !r.OptionalInt32(out var httpStatus)
            || !r.OptionalText(out var errorCode)
            || !r.Bytes(out var head)
            || !r.Bytes(out var signature)
            || !r.Bytes(out var ocsp)
            || !r.Raw(SHA512.HashSizeInBytes, out var bodyDigest)
            || !r.Int64(out var bodyLength))
        {
            return Malformed("the record is truncated or a field is malformed");
        }

        if (r.Remaining != 0)
        {
            return Malformed($"{r.Remaining} bytes follow the record");
        }

        if (at < MinMicroseconds || at > MaxMicroseconds)
        {
            return Malformed("the record time is out of range");
        }

        var record = new MessageRecord
        {
            Side = (RecordSide)side,
            Kind = (RecordKind)kind,
            MessageId = messageId!,
            RequestId = requestId,
            ClientId = clientId!,
            ServiceId = serviceId!,
            At = LogTime.FromUnixMicroseconds(at),
            UserId = userId,
            HttpStatus = httpStatus,
            ErrorCode = errorCode,
            Head = head,
            Signature = signature,
            Ocsp = ocsp,
            BodyDigest = bodyDigest,
            BodyLength = bodyLength,
        };
        try
        {
            record.Validate();
        }
        catch (ArgumentException ex)
        {
            return Malformed(ex.Message);
        }

        sequence = seq;
        return ParseResult<MessageRecord>.Ok(record);
    }

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

    private static ParseResult<MessageRecord> Malformed(string message) => ParseResult<MessageRecord>.Fail(MalformedCode, message);

    // Bounds-checked reads for TryDecode: each returns false instead of reading past the end.
    private ref struct Reader(ReadOnlySpan<byte> buffer)
    {
        private readonly ReadOnlySpan<byte> _buffer = buffer;
        private int _position;

        public readonly int Remaining => _buffer.Length - _position;

        public void Skip(int count) => _position += count;

        public bool Raw(int count, out byte[] value)
        {
            if (count < 0 || count > Remaining)
            {
                value = [];
                return false;
            }

            value = _buffer.Slice(_position, count).ToArray();
            _position += count;
            return true;
        }

        public bool Byte(out byte value)
        {
            value = 0;
            if (Remaining < 1)
            {
                return false;
            }

            value = _buffer[_position++];
            return true;
        }

        public bool Int32(out int value)
        {
            value = 0;
            if (Remaining < 4)
            {
                return false;
            }

            value = BinaryPrimitives.ReadInt32BigEndian(_buffer[_position..]);
            _position += 4;
            return true;
        }

        public bool Int64(out long value)
        {
            value = 0;
            if (Remaining < 8)
            {
                return false;
            }

            value = BinaryPrimitives.ReadInt64BigEndian(_buffer[_position..]);
            _position += 8;
            return true;
        }

        public bool Guid(out Guid value)
        {
            value = default;
            if (Remaining < 16)
            {
                return false;
            }

            value = new Guid(_buffer.Slice(_position, 16), bigEndian: true);
            _position += 16;
            return true;
        }

        public bool Bytes(out byte[] value)
        {
            value = [];
            if (Remaining < 4)
            {
                return false;
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(_buffer[_position..]);
            _position += 4;
            return length <= int.MaxValue && Raw((int)length, out value);
        }

        public bool Text(out string? value)
        {
            value = null;
            if (!Bytes(out var bytes))
            {
                return false;
            }

            try
            {
                value = Utf8.GetString(bytes);
                return true;
            }
            catch (DecoderFallbackException)
            {
                return false;
            }
        }

        public bool OptionalText(out string? value)
        {
            value = null;
            return Byte(out var flag) && flag switch
            {
                0 => true,
                1 => Text(out value),
                _ => false,
            };
        }

        public bool OptionalInt32(out int? value)
        {
            value = null;
            if (!Byte(out var flag) || flag > 1)
            {
                return false;
            }

            if (flag == 0)
            {
                return true;
            }

            var ok = Int32(out var v);
            value = v;
            return ok;
        }
    }

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
